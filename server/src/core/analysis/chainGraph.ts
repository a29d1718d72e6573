import { fw3Chain } from '../knowledge/openWrtChains.ts';
import { matches, targets } from '../knowledge/index.ts';
import { BUILTIN_CHAINS, isBuiltinChain } from '../model/builtinChains.ts';
import { undeclared } from '../model/tableState.ts';
import { inPlace, plainAppend, plainChainCommand, type RulePatch } from '../model/patchRuleSet.ts';
import type { Chain, Command, Rule, RuleSet, Table, TargetUse } from '../model/types.ts';
import { unconditional } from './unconditional.ts';
import { firstStartingFrom } from '../text/span.ts';
import { chainsReached } from './chainsReached.ts';
import { drain, STEP_ITEMS, type Steps } from '../services/steps.ts';

/**
 * What the chain rules (undefined-chain, unknown-target, unused-chain, chain-loop,
 * target-not-allowed-here, duplicate-chain, unreachable-rule, shadowing, the DNAT paths) need
 * to know about the chains of a rule set, gathered in one walk over the commands (plus one
 * over the final rules of a table whose rules were not only appended), and kept per rule
 * set. On a 100k-rule dump each of those rules used to walk everything again; the walks cost
 * more than the checks.
 */
export interface ChainFacts {
  /** Per `family:table`: chain names declared anywhere (built-in chains, `:X`, `-N X`, `-E old X`). */
  declared(family: string, table: string): ReadonlySet<string>;
  /** A table name that is a shell expansion, or a dynamic chain declaration, makes chain existence unknowable. */
  uncertain(family: string, table: string): boolean;
  /** Per `family:table`: names any command jumps or goes to (chains, not target extensions). */
  jumpedTo(family: string, table: string): ReadonlySet<string>;
  /** Some jump names its chain by a shell expansion: it could reach any chain. */
  dynamicJump: boolean;
  /**
   * Commands naming a chain (their own, or as a jump) that was not declared when they were
   * met, and every `-P`: the only ones that can name a missing chain, so undefined-chain and
   * unknown-target look at these instead of every command. Empty for a clean dump.
   */
  namingUndeclared: readonly Command[];
  /** `-N`, `-X` and `-E` commands in order. */
  chainCommands: readonly Command[];
  /**
   * Every command is a plain append or a `-N`, `-E`, `-X` of one chain (plainAppend,
   * plainChainCommand: no shell expansion decides its table or chain), and no block or chain
   * line empties rules written above it: a chain's rules are then the commands that wrote them.
   * onlyAppends (patchRuleSet), which the rule numbers ask, takes appends alone and does not
   * mind emptied blocks, whose rules it counts from the last. In-place edits keep both, as
   * they keep kinds.
   */
  appendsOnly: boolean;
  /** Rules with a DNAT target in a nat table, in order (deletes and checks included). */
  dnats: readonly Command[];
  /** Rules whose target is bound to tables or hooks (DNAT, MASQUERADE, REJECT…) or that use a hook-bound match (owner). */
  hookBound: readonly Command[];
  /** Rules with a LOG target, in order (what log-without-limit looks at instead of every rule after each edit). */
  logs: readonly Command[];
  /**
   * Rules with a match or target whose kernel state other rules share by name (a `-m recent`
   * list, a hashlimit table, a RATEEST estimator and the rateest matches that read it, an
   * IDLETIMER's timer), in
   * order: the checks of those names look at these, not at every rule after each edit.
   */
  sharedByName: readonly Command[];
  /** The table of that family and name, if the rule set has it. */
  table(family: string, table: string): Table | undefined;
  /** The graph of one table's final rules. */
  graph(table: Table): ChainGraph;
  /**
   * The rules replaced since the facts were gathered, in order (see carryChainFacts): a rule
   * that derived findings from these facts needs to look again at these commands only.
   */
  carried: readonly RulePatch[];
}

export interface ChainGraph {
  /**
   * Jumps and gotos from each chain to user chains of the same table that exist, in rule
   * order, as their targets: the chain jumped to is the table's chain of the target's name
   * (see jumpedTo). An object per jump with both was 2.8 MB of the 100k-rule dump's heap.
   */
  jumps: Map<Chain, TargetUse[]>;
  /** Per chain, the positions of its rules that match every packet (no test at all); absent when none. */
  unconditional: Map<Chain, number[]>;
  /**
   * Per chain, the position of its first rule that decides (see DECIDING) or goes to another
   * chain with -g (in a built-in chain, or jumps to one), when a rule follows it: one whose
   * packets it may decide first (see shadowing). Absent when no rule decides, or only the last one does (kube-proxy's 27k
   * endpoint chains, each ending in its DNAT).
   */
  firstDecision: Map<Chain, number>;
  /** The built-in chains (hooks) from which some path of jumps reaches this user chain. */
  hooksReaching(chain: string): readonly string[];
}

const EMPTY: ReadonlySet<string> = new Set();

/** Each table's built-in chains as a set, made once. */
const builtinSets = new Map<string, ReadonlySet<string>>();
function builtinNames(table: string): ReadonlySet<string> {
  let s = builtinSets.get(table);
  if (!s) builtinSets.set(table, (s = new Set(BUILTIN_CHAINS[table])));
  return s;
}
/**
 * The facts of a rule set live in a slot on the rule set itself. Per-command checks ask for
 * them 100k times in a row, where a weak map lookup each time cost more than the checks; a
 * slot is one property load, and it goes when the rule set goes. Not enumerable: a rule set
 * copied with `{...rs}` (an edit, see patchRuleSet) starts without the old one's facts.
 */
const FACTS = Symbol('chainFacts');
type WithFacts = RuleSet & { [FACTS]?: ChainFacts };

function factsOf(rs: RuleSet): ChainFacts | undefined {
  return (rs as WithFacts)[FACTS];
}

function keepFacts(rs: RuleSet, f: ChainFacts): void {
  Object.defineProperty(rs, FACTS, { value: f, enumerable: false, configurable: true, writable: true });
}

export function chainFacts(rs: RuleSet): ChainFacts {
  let f = factsOf(rs);
  if (!f) {
    const c = collector(rs);
    for (const cmd of rs.commands) c.visit(cmd);
    for (const cmd of rs.instances ?? []) c.visit(cmd);
    keepFacts(rs, (f = c.finish()));
  }
  return f;
}

/** The built-in chains from which some path of jumps reaches `chain` of that family's table; none when the rule set has no such table. */
export function hooksReachingChain(rs: RuleSet, family: string, table: string, chain: string): readonly string[] {
  const facts = chainFacts(rs);
  const t = facts.table(family, table);
  return t ? facts.graph(t).hooksReaching(chain) : [];
}

/**
 * For a walk that meets every command anyway (the analysis engine's): the facts gathered on
 * the way, while each command is at hand, instead of in a walk of their own. Undefined when
 * the facts of this rule set are known already. `finish` after the last command.
 */
export function chainFactsOnTheWay(rs: RuleSet): { visit(cmd: Command): void; finish(): void } | undefined {
  if (factsOf(rs)) return undefined;
  const c = collector(rs);
  return {
    visit: c.visit,
    finish: () => {
      if (factsOf(rs)) return;
      // a function's commands as its calls run them (see RuleSet.instances)
      for (const cmd of rs.instances ?? []) c.visit(cmd);
      keepFacts(rs, c.finish());
    },
  };
}

function collector(rs: RuleSet): { visit(cmd: Command): void; finish(): ChainFacts } {
  const declared = new Map<string, Set<string>>();
  const jumped = new Map<string, Set<string>>();
  const uncertain = new Set<string>();
  let dynamicJump = false;
  const namingUndeclared: Command[] = [];
  const chainCommands: Command[] = [];
  let appendsOnly = !rs.rulesDropped;
  const dnats: Command[] = [];
  const hookBound: Command[] = [];
  const logs: Command[] = [];
  const sharedByName: Command[] = [];
  const setOf = (m: Map<string, Set<string>>, key: string) => {
    let s = m.get(key);
    if (!s) m.set(key, (s = new Set()));
    return s;
  };
  // a table's built-in chains are there whatever the commands do: a table only commands iptables
  // refuses name (`-s` given twice) is in no table of the model
  const namesIn = (family: string, table: string) => {
    const key = `${family}:${table}`;
    let s = declared.get(key);
    if (!s) declared.set(key, (s = new Set(builtinNames(table))));
    return s;
  };
  for (const t of rs.tables.values()) {
    const names = namesIn(t.family, t.name);
    for (const c of t.chains.values()) if (!undeclared(c)) names.add(c.name);
  }
  // A restore file of appends only (every iptables-save dump) adds each rule at the end of
  // its chain in command order: the graphs are collected in this walk, while each rule is at
  // hand, instead of in a second walk over the chains. A table where rules are inserted,
  // deleted or moved is walked again over its final rules, and so are scripts, where a
  // restore here-document resets tables without a command of its own.
  const builders = new Map<Table, GraphBuilder>();
  const reordered = new Set<Table>();
  // a block or chain line emptied rules written above it: a chain's rules are not every append in command order
  let everyCommandApplies = rs.dialect === 'save' && !rs.rulesDropped;
  // consecutive commands mostly share family and table: what belongs to the pair is looked up
  // only when it changes
  const scopeOf = lastKeyMemo((family, table) => {
    const key = `${family}:${table}`;
    // graphs are collected on the way for restore files only (see above)
    const t = rs.dialect === 'save' ? rs.tables.get(key) : undefined;
    let builder = t && builders.get(t);
    if (t && !builder) builders.set(t, (builder = new GraphBuilder(t)));
    return { key, names: namesIn(family, table), jumped: setOf(jumped, key), builder };
  });
  const templates = rs.templates;
  // a script fw3 runs finds fw3's chains made (see openWrtChains.ts)
  const hostChain = rs.runBy === 'fw3' ? fw3Chain : undefined;
  const visit = (cmd: Command) => {
    // a function's command as written, with `$1`: its instances, met later, stand for it
    if (templates?.has(cmd)) return;
    const { key, names, jumped: jumpedHere, builder: b } = scopeOf(cmd.family, cmd.table);
    if (cmd.tableDynamic) uncertain.add(`${cmd.family}:*`);
    const kind = cmd.kind;
    // a -F or -Z of every chain has no chain, and a -F empties rules written above it; a line
    // with no command changes no chain
    if (appendsOnly && !plainAppend(cmd) && !plainChainCommand(cmd) && kind !== 'none') appendsOnly = false;
    if (kind === 'new-chain' || kind === 'rename-chain' || kind === 'delete-chain') {
      chainCommands.push(cmd);
      if (cmd.uncertain && kind !== 'delete-chain') uncertain.add(key);
      if (kind === 'new-chain' && cmd.chainWord && !cmd.chainWord.dynamic) names.add(cmd.chainWord.value);
      if (kind === 'rename-chain' && cmd.newName && !cmd.newName.dynamic) names.add(cmd.newName.value);
    }
    const rule = cmd.rule;
    const t = rule?.target;
    // names only ever join the declared set: one missing now may be declared later, never the reverse
    if (namesUndeclared(cmd, names, hostChain)) namingUndeclared.push(cmd);
    if (t && !t.spec) {
      if (!t.name.length) dynamicJump = true;
      else jumpedHere.add(t.name);
    }
    if (dnatCommand(cmd)) dnats.push(cmd);
    if (hookBoundCommand(cmd)) hookBound.push(cmd);
    if (logCommand(cmd)) logs.push(cmd);
    if (rule && sharesByName(rule)) sharedByName.push(cmd);
    if (cmd.uncertain || cmd.tableDynamic) everyCommandApplies = false;
    else if (everyCommandApplies && b) {
      if (kind === 'append') {
        if (rule) b.append(cmd.chain ?? '', rule);
      } else if (REORDERS.has(kind)) reordered.add(b.table);
    }
    // a rule without shell expansions has no dynamic -j; only the others are searched
    if (!dynamicJump && (!rule || rule.dynamic)) {
      dynamicJump = cmd.args.items.some((i) => JUMP_OPTIONS.has(i.written) && i.values[0]?.dynamic);
    }
  };
  return { visit, finish };

  function finish(): ChainFacts {
    const graphs = new WeakMap<Table, ChainGraph>();
    if (everyCommandApplies) for (const [t, b] of builders) if (!reordered.has(t)) graphs.set(t, finishGraph(b));
    // the facts' functions below keep this walk's variables alive, the last builder among
    // them: the builders' own per-chain rule counts (a map of the 100k dump's 36k chains,
    // 1.75 MB) are let go of here
    for (const b of builders.values()) b.finish();
    builders.clear();
    let graphTable: Table | undefined;
    let lastGraph: ChainGraph | undefined;
    const result: ChainFacts = {
      declared: lastKeyMemo((family, table) => declared.get(`${family}:${table}`) ?? builtinNames(table)),
      uncertain: lastKeyMemo((family, table) => uncertain.has(`${family}:*`) || uncertain.has(`${family}:${table}`)),
      jumpedTo: lastKeyMemo((family, table) => jumped.get(`${family}:${table}`) ?? EMPTY),
      dynamicJump,
      namingUndeclared,
      chainCommands,
      appendsOnly,
      dnats,
      hookBound,
      logs,
      sharedByName,
      carried: [],
      table: lastKeyMemo((family, table) => rs.tables.get(`${family}:${table}`)),
      graph(table) {
        if (table === graphTable) return lastGraph!;
        let g = graphs.get(table);
        if (!g) graphs.set(table, (g = buildGraph(table)));
        graphTable = table;
        lastGraph = g;
        return g;
      },
    };
    graphsOf.set(result, graphs);
    jumpedOf.set(result, jumped);
    return result;
  }
}

/** Rule edits carried by one set of facts before they are gathered again. */
export const MAX_CARRIED = 500;

/** The graphs a rule set's facts have built so far, for carrying them over an edit. */
const graphsOf = new WeakMap<ChainFacts, WeakMap<Table, ChainGraph>>();

/** The names each table's commands jump to, behind a set of facts' jumpedTo, for carrying them over an edit. */
const jumpedOf = new WeakMap<ChainFacts, Map<string, Set<string>>>();

/** A target of a rule of `table` whose chain is built-in or not: whether the graph counts it as the chain's decision (see GraphBuilder.add). */
function decision(t: TargetUse | undefined, builtin: boolean): boolean {
  return !!t && (DECIDING.has(t.name) || t.goto || (!t.spec && builtin));
}

/** A rule with a LOG target: what ChainFacts.logs lists. */
export function logCommand(cmd: Command): boolean {
  return cmd.rule?.target?.name === 'LOG';
}

/** A rule with a DNAT target in a nat table: what ChainFacts.dnats lists. */
export function dnatCommand(cmd: Command): boolean {
  return cmd.rule?.target?.name === 'DNAT' && cmd.table === 'nat';
}

/** A jump or goto to a chain the table has: an edge of the graph. */
function jumpsWithin(t: TargetUse | undefined, table: Table | undefined): boolean {
  return !!t && !t.spec && !!table?.chains.has(t.name);
}

/**
 * Two targets that play the same part in the graph's edges: the same target, or two targets
 * that are no jump to a chain of the table (a target extension, no target, or a chain name the
 * table does not have, as `-j ACCEPT` is typed), neither a goto (ACCEPT changed to DROP, LOG to
 * MARK, `-j DNA` to `-j DNAT`). Whether each is its chain's decision is another matter: where
 * that changes, the chain's positions are found again; a DNAT that comes or goes changes the
 * DNAT list, which takes it in at its place.
 */
function sameRole(a: TargetUse | undefined, b: TargetUse | undefined, table: Table | undefined): boolean {
  if (a?.name === b?.name) return !a?.spec === !b?.spec && a?.goto === b?.goto;
  return !jumpsWithin(a, table) && !jumpsWithin(b, table) && !a?.goto && !b?.goto;
}

/**
 * A `-P`, or a command naming (as its chain or its jump) a chain not among `names` and not
 * among those the host has before the script runs (`host`, see RuleSet.runBy).
 */
function namesUndeclared(cmd: Command, names: ReadonlySet<string>, host?: (table: string, name: string) => boolean): boolean {
  const w = cmd.chainWord;
  const t = cmd.rule?.target;
  const missing = (name: string) => !names.has(name) && !host?.(cmd.table, name);
  return cmd.kind === 'policy' || (!!w && !w.dynamic && missing(w.value)) || (!!t && !t.spec && t.name.length > 0 && missing(t.name));
}

/** A rule whose target is bound to tables or hooks, or that uses a hook-bound match or option (`-i`, `-o`, addrtype's `--limit-iface-in`). */
export function hookBoundCommand(cmd: Command): boolean {
  const rule = cmd.rule;
  const t = rule?.target;
  return !!rule && (!!(t?.spec && (t.spec.tables || t.spec.chains || t.spec.legacyTables || HOOK_BOUND_OPTIONS.has(t.spec))) || !!rule.inInterface || !!rule.outInterface || hookBoundMatch(rule));
}

/** A command the facts list among others (in command order, which is text order in a restore file), taken out of the list or put in its place. */
function removeFrom(list: readonly Command[], cmd: Command): void {
  const i = list.indexOf(cmd);
  if (i !== -1) (list as Command[]).splice(i, 1);
}

function insertInto(list: readonly Command[], cmd: Command): void {
  (list as Command[]).splice(firstStartingFrom(list, cmd.span.start), 0, cmd);
}

/**
 * Whether the facts of a command that came or went (see RulePatch) are all in the ordered
 * lists, name sets and graph edges carryChainFacts updates: no shell expansion in a jump.
 */
function carriable(cmd: Command): boolean {
  if (cmd.uncertain || cmd.tableDynamic) return false;
  const rule = cmd.rule;
  const t = rule?.target;
  if (rule?.dynamic || (t && !t.spec && !t.name.length)) return false;
  // a line with no command keeps its `-j` among its words: one the shell expands could jump anywhere
  return !!rule || !cmd.args.items.some((i) => (i.written === '-j' || i.written === '-g') && i.values[0]?.dynamic);
}

/**
 * Where a chain's rules came or went: the positions of its rules without tests and of its
 * first decision, found again from its rules as GraphBuilder finds them.
 */
function placeAgain(g: ChainGraph, c: Chain): void {
  const rules = c.rules;
  const plain: number[] = [];
  let first: number | undefined;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (unconditional(r)) plain.push(i);
    if (first === undefined && decision(r.target, c.builtin)) first = i;
  }
  if (plain.length) g.unconditional.set(c, plain);
  else g.unconditional.delete(c);
  if (first !== undefined && first < rules.length - 1) g.firstDecision.set(c, first);
  else g.firstDecision.delete(c);
}

/**
 * After an edit of rules (see patchRuleSet), the facts of the old rule set carried over to the
 * new one, when the edit cannot change them beyond the rules themselves: a rule replaced by
 * one whose target plays the same part (so the same jumps), or rules that came or went; no
 * shell expansion. The lists of hook-bound, shared-by-name (`-m recent`…), DNAT and undeclared-naming commands
 * (`-j A` as `-j ACCEPT` is typed) take the new commands in at their places; a chain whose
 * rules came or went, or whose first decision or rules without tests may have moved, has those
 * positions found again. A jump to a chain of the table that came or went (a kube-proxy rule
 * typed, deleted or duplicated; `-j KUBE-SVC-` becoming a chain's name) is an edge of the
 * graph: it is taken in where it closes no loop, and the hooks reaching the chains below it
 * are worked out again (see hooksAfter); what was derived from the hooks of those chains is
 * derived again (see hooksChanged), and from the jumps themselves (see changesJumps). The
 * facts of a 100k-rule dump take 200 ms to gather; this takes microseconds. Otherwise the new
 * rule set's facts are gathered again when asked for.
 */
export function carryChainFacts(oldRs: RuleSet, newRs: RuleSet, patches: readonly RulePatch[]): boolean {
  const f = factsOf(oldRs);
  // the log of replaced rules keeps the old commands alive: after this many edits the facts
  // are gathered afresh, so a long editing session does not grow without bound
  if (!f || f.dynamicJump || f.carried.length + patches.length > MAX_CARRIED) return false;
  const jumped = jumpedOf.get(f);
  if (!jumped) return false;
  const graphs = graphsOf.get(f);
  // per table, the jumps to its chains that an edit took away or put in
  const edges = new Map<Table, EdgeChanges>();
  const edgeChange = (table: Table | undefined): EdgeChanges | undefined => {
    // the graph's edges are the final rules' jumps, the names jumped to every command's: the two
    // agree, for a name taken away, where every command is an append in place (no -X, -E,
    // rules emptied or dropped)
    const g = table && graphs?.get(table);
    if (!g || !f.appendsOnly || f.chainCommands.length || newRs.rulesDropped) return undefined;
    let e = edges.get(table);
    if (!e) edges.set(table, (e = { graph: g, removed: new Map(), added: [] }));
    return e;
  };
  const jumpsChanged = new Set<RulePatch>();
  for (const p of patches) {
    const cmd = (p.old ?? p.new)!;
    const table = f.table(cmd.family, cmd.table);
    if (!inPlace(p)) {
      if (!carriable(cmd)) return false;
      // a chain no line declares comes and goes with its rules (see patchRuleSet): a jump to
      // its name would be an edge of the graph then, and not before
      const c = p.chain;
      if (c && undeclared(c) && jumped.get(`${c.family}:${c.table}`)?.has(c.name)) return false;
      const t = cmd.rule?.target;
      if (!jumpsWithin(t, table)) continue;
      const e = edgeChange(table);
      if (!e || !c || !edgeTo(t!, table!)) return false;
      if (p.old) e.removed.set(t!, c);
      else e.added.push({ from: c, target: t! });
      jumpsChanged.add(p);
      continue;
    }
    const a = p.old.rule!;
    const b = p.new.rule!;
    // a jump with no name (`-j ""`) could go anywhere, as one the shell expands (see dynamicJump)
    if (a.dynamic || b.dynamic || (b.target && !b.target.spec && !b.target.name.length)) return false;
    if (sameRole(a.target, b.target, table)) continue;
    // a jump went, came, or goes to another chain (or became a goto)
    const e = edgeChange(table);
    if (!e) return false;
    if (jumpsWithin(a.target, table)) {
      if (!edgeTo(a.target!, table!)) return false;
      e.removed.set(a.target!, p.chain);
    }
    if (jumpsWithin(b.target, table)) {
      if (!edgeTo(b.target!, table!)) return false;
      e.added.push({ from: p.chain, target: b.target! });
    }
    jumpsChanged.add(p);
  }
  // per table, the chains whose hooks the jumps change, with their new masks
  const rehooked = new Map<EdgeChanges, Map<Chain, number>>();
  for (const [table, e] of edges) {
    const masks = hooksAfter(table, e);
    if (!masks) return false;
    if (masks.size) rehooked.set(e, masks);
  }
  // first every check, then every change: a carry that fails half-way would leave the facts wrong
  const steps: (() => void)[] = [];
  // chains whose rules came or went, or whose rules without tests or first decision may have
  // moved: their positions are found again after the other steps
  const resized = new Set<Chain>();
  for (const p of patches) {
    const { old, new: cmd } = p;
    steps.push(() => {
      for (const list of [f.hookBound, f.sharedByName, f.namingUndeclared, f.dnats, f.logs]) if (old) removeFrom(list, old);
      if (!cmd) return;
      if (hookBoundCommand(cmd)) insertInto(f.hookBound, cmd);
      if (logCommand(cmd)) insertInto(f.logs, cmd);
      if (cmd.rule && sharesByName(cmd.rule)) insertInto(f.sharedByName, cmd);
      if (dnatCommand(cmd)) insertInto(f.dnats, cmd);
      if (namesUndeclared(cmd, f.declared(cmd.family, cmd.table))) insertInto(f.namingUndeclared, cmd);
      // a name the table has no chain of counts for no chain, and stays: such chains come and
      // go only while nothing names them (above). A chain's name leaves with its last jump (below)
      const t = cmd.rule?.target;
      if (t && !t.spec && t.name) {
        const key = `${cmd.family}:${cmd.table}`;
        let names = jumped.get(key);
        if (!names) jumped.set(key, (names = new Set()));
        names.add(t.name);
      }
    });
    if (!p.chain) continue;
    const table = f.table(p.chain.family, p.chain.table);
    const g = table && graphs?.get(table);
    if (!g || !table) continue;
    const a = p.old?.rule;
    const b = p.new?.rule;
    if (!inPlace(p) || !a || !b || jumpsChanged.has(p)) {
      resized.add(p.chain);
      continue;
    }
    const to = b.target && !b.target.spec ? table.chains.get(b.target.name) : undefined;
    if (to) {
      const list = g.jumps.get(p.chain);
      const k = list ? list.indexOf(a.target!) : -1;
      if (k === -1) return false;
      // in place: what was derived from the graph (the loops) refers to its jumps by place
      steps.push(() => {
        list![k] = b.target!;
      });
    }
    if (decision(a.target, p.chain.builtin) !== decision(b.target, p.chain.builtin) || unconditional(a) !== unconditional(b)) resized.add(p.chain);
  }
  for (const [table, e] of edges) steps.push(() => applyEdges(e, jumped.get(`${table.family}:${table.name}`)));
  // the hooks of the chains below the jumps (see hooksAfter), and the patches that tell whose changed (see hooksChanged)
  const moved = new Set<Chain>();
  for (const [e, masks] of rehooked) {
    const reach = reachOf.get(e.graph)!;
    steps.push(() => {
      for (const [c, m] of masks) {
        if (m) reach.masks.set(c, m);
        else reach.masks.delete(c);
        moved.add(c);
      }
    });
  }
  for (const step of steps) step();
  if (moved.size) for (const p of jumpsChanged) rehookedBy.set(p, moved);
  for (const c of resized) {
    const table = f.table(c.family, c.table);
    const g = table && graphs?.get(table);
    if (g) placeAgain(g, c);
  }
  for (const p of jumpsChanged) jumpEdits.add(p);
  (f.carried as RulePatch[]).push(...patches);
  keepFacts(newRs, f);
  // the old rule set is stale (its tables were changed in place): it must not answer with these
  (oldRs as WithFacts)[FACTS] = undefined;
  return true;
}

/** The jumps to chains of one table that an edit took away (with the chain they left) or put in. */
interface EdgeChanges {
  graph: ChainGraph;
  removed: Map<TargetUse, Chain>;
  added: { from: Chain; target: TargetUse }[];
}

/** Patches carried over whose rules took away or put in a jump to a chain of the table (see changesJumps). */
const jumpEdits = new WeakSet<RulePatch>();

/**
 * Whether a carried patch took away or put in a jump to a chain of its table: the names jumped
 * to, the jumps themselves and the hooks reaching the chains below (see hooksChanged) may have
 * changed.
 */
export function changesJumps(p: RulePatch): boolean {
  return jumpEdits.has(p);
}

/** Per carried patch that took away or put in jumps, the chains whose hooks changed with them (see hooksAfter). */
const rehookedBy = new WeakMap<RulePatch, ReadonlySet<Chain>>();

/**
 * The commands whose chain some of the carried patches gave other hooks (a service's chain
 * and its endpoints reached from none once the service's rule is deleted): a value derived
 * from the hooks of a command's chain is derived again for these. Undefined when none did.
 */
export function hooksChanged(patches: readonly RulePatch[], facts: ChainFacts): ((cmd: Command) => boolean) | undefined {
  let chains: Set<Chain> | undefined;
  for (const p of patches) {
    const moved = rehookedBy.get(p);
    if (moved) for (const c of moved) (chains ??= new Set()).add(c);
  }
  if (!chains) return undefined;
  const moved: ReadonlySet<Chain> = chains;
  // asked of a dump's 27k DNATs: the name first, the chain only where it is one of those
  const names = new Set([...chains].map((c) => c.name));
  return (cmd) => {
    if (cmd.chain === undefined || !names.has(cmd.chain)) return false;
    const c = facts.table(cmd.family, cmd.table)?.chains.get(cmd.chain);
    return !!c && moved.has(c);
  };
}

/** A jump the carry can take in or out: to a chain that is declared or built in, not one that comes and goes with its rules. */
function edgeTo(t: TargetUse, table: Table): boolean {
  const c = table.chains.get(t.name);
  return !!c && !undeclared(c);
}

/**
 * The hooks reaching the chains of the table's graph once the jumps of `e` are taken away and
 * put in: per chain whose hooks change, its new mask (0: none); undefined where a jump put in
 * closes a loop (loops found earlier are then all there is to find, see jumpsEdited). Only the
 * chains below the jumps (those they lead to, and on) can change: their hooks are worked out
 * again from the chains above them, whose own hooks stay. A service's chain of a kube-proxy
 * dump and its endpoints, not the 36k chains of the table (50 ms).
 */
function hooksAfter(table: Table, e: EdgeChanges): Map<Chain, number> | undefined {
  const { jumps } = e.graph;
  // the lists as they will be, for the chains an edge leaves or joins (order does not matter here)
  const changed = new Map<Chain, TargetUse[]>();
  const listOf = (c: Chain) => {
    let l = changed.get(c);
    if (!l) changed.set(c, (l = [...(jumps.get(c) ?? [])].filter((t) => !e.removed.has(t))));
    return l;
  };
  for (const c of e.removed.values()) listOf(c);
  for (const { from, target } of e.added) listOf(from).push(target);
  const targetsOf = (c: Chain) => changed.get(c) ?? jumps.get(c);
  // a line replaced by one with the same jump (a line deleted together with the start of the
  // next, a line pasted over its twin) takes the jump away and puts it back: no change to the edges
  const added = [...e.added];
  const removed: TargetUse[] = [];
  for (const [t, from] of e.removed) {
    const k = added.findIndex((a) => a.from === from && a.target.name === t.name);
    if (k === -1) removed.push(t);
    else added.splice(k, 1);
  }
  // the table's rules are as the edit left them already: the chains a jump leads to are read from them
  for (const { from, target } of added) if (chainsReached(table, jumpedTo(table, target)).includes(from)) return undefined;
  const none = new Map<Chain, number>();
  const reach = reachOf.get(e.graph);
  // not asked yet: it is worked out from the edges as they will be
  if (!reach) return none;
  // a built-in chain made by an edit (`-A INPUT` in a table without it) has no bit yet
  if (e.added.some(({ from }) => from.builtin && !reach.builtins.includes(from))) return undefined;
  // a built-in chain brings its own hook too
  const ownBit = (c: Chain) => (c.builtin ? 1 << reach.builtins.indexOf(c) : 0);
  const bitsOf = (c: Chain) => (reach.masks.get(c) ?? 0) | ownBit(c);
  // jumps put in from chains that reach their targets already, and none taken away: nothing moves
  if (!removed.length && added.every(({ from, target }) => (bitsOf(from) & ~(reach.masks.get(jumpedTo(table, target)) ?? 0)) === 0)) return none;
  // the chains below the jumps as the graph will be (a chain below one only through a jump
  // taken away is below that jump's target, one of these)
  const below = new Set<Chain>();
  for (const t of [...removed, ...added.map((a) => a.target)]) for (const c of chainsReached(table, jumpedTo(table, t))) below.add(c);
  // a jump to a built-in chain (which iptables refuses) made by an edit: no bit for it either
  for (const c of below) if (c.builtin && !reach.builtins.includes(c)) return undefined;
  const masks = new Map<Chain, number>();
  for (const c of below) masks.set(c, 0);
  // what the chains above bring them (a built-in chain its own hook too); every jump of the
  // table is looked at, by name first (a name's hash is kept with the string)
  const names = new Set([...below].map((c) => c.name));
  const fromAbove = (from: Chain, list: readonly TargetUse[] | undefined) => {
    if (!list || below.has(from)) return;
    for (let i = 0; i < list.length; i++) {
      if (!names.has(list[i].name)) continue;
      const to = jumpedTo(table, list[i]);
      masks.set(to, masks.get(to)! | bitsOf(from));
    }
  };
  for (const [from, list] of jumps) fromAbove(from, changed.get(from) ?? list);
  for (const [from, list] of changed) if (!jumps.has(from)) fromAbove(from, list);
  // then spread among them until nothing changes
  const work = [...below];
  while (work.length) {
    const c = work.pop()!;
    const own = ownBit(c);
    for (const t of targetsOf(c) ?? []) {
      const to = jumpedTo(table, t);
      const bits = masks.get(c)! | (to === c ? 0 : own);
      const m = masks.get(to)!;
      if ((m | bits) === m) continue;
      masks.set(to, m | bits);
      work.push(to);
    }
  }
  const out = new Map<Chain, number>();
  for (const [c, m] of masks) if ((reach.masks.get(c) ?? 0) !== m) out.set(c, m);
  return out;
}

/**
 * The edges of `e` taken out of the graph and put in at their places (a chain's jumps are in
 * rule order: a file of appends has its rules in line order), and a chain's name out of the
 * names jumped to when its last jump went.
 */
function applyEdges(e: EdgeChanges, names: Set<string> | undefined): void {
  const { jumps } = e.graph;
  for (const [t, from] of e.removed) {
    const list = jumps.get(from);
    const k = list ? list.indexOf(t) : -1;
    if (k === -1) continue;
    list!.splice(k, 1);
    if (!list!.length) jumps.delete(from);
  }
  for (const { from, target } of e.added) {
    const list = jumps.get(from);
    if (list) list.splice(firstStartingFrom(list, target.span.start), 0, target);
    // a map built afresh lists chains in the table's order; no check reads it in order
    else jumps.set(from, [target]);
  }
  for (const t of e.removed.keys()) {
    if (!names?.has(t.name) || e.added.some((a) => a.target.name === t.name)) continue;
    let still = false;
    for (const list of jumps.values()) {
      for (let i = 0; i < list.length && !still; i++) still = list[i].name === t.name;
      if (still) break;
    }
    if (!still) names.delete(t.name);
  }
  edgeEditsOf.set(e.graph, (edgeEditsOf.get(e.graph) ?? 0) + 1);
}

const edgeEditsOf = new WeakMap<ChainGraph, number>();

/** How many carried edits took jumps out of the graph or put them in: what was derived from its jumps by place is stale after one (see chain-loop). */
export function jumpsEdited(graph: ChainGraph): number {
  return edgeEditsOf.get(graph) ?? 0;
}

/** Extensions whose state in the kernel is found by the name a rule gives it. */
const SHARED_BY_NAME = new Set(['recent', 'hashlimit', 'rateest']);
const TARGETS_SHARED_BY_NAME = new Set(['RATEEST', 'IDLETIMER']);

function sharesByName(rule: Rule): boolean {
  const ms = rule.matches;
  for (let i = 0; i < ms.length; i++) if (SHARED_BY_NAME.has(ms[i].name)) return true;
  const t = rule.target;
  return t !== undefined && TARGETS_SHARED_BY_NAME.has(t.name);
}

function hookBoundMatch(rule: Rule): boolean {
  const ms = rule.matches;
  for (let i = 0; i < ms.length; i++) {
    const spec = ms[i].spec;
    if (spec && (spec.chains || HOOK_BOUND_OPTIONS.has(spec))) return true;
  }
  return false;
}

/** Matches and targets with an option only some hooks accept (addrtype's `--limit-iface-in`, devgroup, TCPMSS's `--clamp-mss-to-pmtu`…). */
const HOOK_BOUND_OPTIONS = new Set([...matches, ...targets].filter((m) => m.options.some((o) => o.chains || o.chainsByValue)));

/** Rules ask once per command, and consecutive commands mostly share family and table. */
function lastKeyMemo<T>(f: (family: string, table: string) => T): (family: string, table: string) => T {
  let lastFamily: string | undefined;
  let lastTable: string | undefined;
  let last: T;
  return (family, table) => {
    if (family !== lastFamily || table !== lastTable) {
      lastFamily = family;
      lastTable = table;
      last = f(family, table);
    }
    return last;
  };
}

/**
 * The targets of a graph's `firstDecision`: those that end the chain for the packets they
 * match, with a decision of their own. A verdict; in nat an address translation (the first
 * translation a connection meets in a chain is its only one there); RETURN, which hands the
 * packet back to the calling chain or to the policy.
 */
export const DECIDING: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP', 'RETURN']);

/** Collects a table's graph rule by rule, in each chain's final order. */
class GraphBuilder {
  readonly jumps = new Map<Chain, TargetUse[]>();
  readonly always = new Map<Chain, number[]>();
  readonly firstDecision = new Map<Chain, number>();
  readonly table: Table;
  // Appends come chain by chain in a dump: the chain being filled is kept at hand, and the
  // maps are only asked when the chain changes.
  private curName: string | undefined;
  private cur: Chain | undefined;
  private curCount = 0;
  private readonly counts = new Map<Chain, number>();
  constructor(table: Table) {
    this.table = table;
  }

  /** No more appends: what only they needed is let go of (the maps stay, in the graph). */
  finish(): void {
    this.counts.clear();
    this.curName = this.cur = undefined;
  }

  /** The next rule appended to the chain of that name. */
  append(chain: string, r: Rule): void {
    if (chain !== this.curName) {
      if (this.cur) this.counts.set(this.cur, this.curCount);
      this.curName = chain;
      this.cur = this.table.chains.get(chain);
      this.curCount = this.cur ? (this.counts.get(this.cur) ?? 0) : 0;
    }
    if (this.cur) this.add(this.cur, this.curCount++, r);
  }

  add(c: Chain, index: number, r: Rule): void {
    if (unconditional(r)) {
      const plain = this.always.get(c);
      if (plain) plain.push(index);
      else this.always.set(c, [index]);
    }
    const t = r.target;
    if (!t) return;
    // a goto ends the chain too: the packet never comes back to it. A jump to a user chain may
    // (a log-and-drop chain): counted in the built-in chains only, a handful per table, where
    // such jumps are made (kube-proxy's 36k user chains are all jumps)
    if ((DECIDING.has(t.name) || t.goto || (!t.spec && c.builtin)) && !this.firstDecision.has(c)) this.firstDecision.set(c, index);
    if (t.spec) return;
    if (!this.table.chains.has(t.name)) return;
    const list = this.jumps.get(c);
    if (list) list.push(t);
    else this.jumps.set(c, [t]);
  }
}

/** The chain a jump of the table's graph goes to (see ChainGraph.jumps). */
export function jumpedTo(table: Table, target: TargetUse): Chain {
  return table.chains.get(target.name)!;
}

/** The options that name a rule's target: a shell expansion there could be any chain. */
const JUMP_OPTIONS = new Set(['-j', '--jump', '-g', '--goto']);

/** Commands that change a chain's rules other than by appending: the final order is then not the command order. */
const REORDERS = new Set<string>(['insert', 'replace', 'delete', 'flush', 'delete-chain', 'rename-chain']);

/** One walk over the final rules, while each rule is at hand: jumps, rules without tests, first decisions. Exported for a test. */
export function buildGraph(table: Table): ChainGraph {
  const b = new GraphBuilder(table);
  for (const c of table.chains.values()) {
    const rules = c.rules;
    for (let i = 0; i < rules.length; i++) b.add(c, i, rules[i]);
  }
  return finishGraph(b);
}

function finishGraph(b: GraphBuilder): ChainGraph {
  const { table, jumps, always, firstDecision } = b;
  // the chains are at hand once here, not in the checks that run after every keystroke
  for (const [c, first] of firstDecision) if (first >= c.rules.length - 1) firstDecision.delete(c);
  // asked once per rule by some checks: a variable here, the weak map for the carry (hooksAfter)
  let reach: Reach | undefined;
  const graph: ChainGraph = {
    jumps,
    unconditional: always,
    firstDecision,
    hooksReaching: (chain) => {
      // worked out in steps beforehand (see hooksSteps), or now
      reach ??= reachOf.get(graph) ?? drain(reachSteps(graph, table, Infinity));
      const c = table.chains.get(chain);
      const m = c ? reach.masks.get(c) : undefined;
      if (!m) return NO_HOOKS;
      let list = reach.names.get(m);
      if (!list) reach.names.set(m, (list = reach.builtins.filter((_, i) => m & (1 << i)).map((h) => h.name)));
      return list;
    },
  };
  return graph;
}

const NO_HOOKS: readonly string[] = [];

/**
 * The hooks reaching each chain of every table of `rs` (see ChainGraph.hooksReaching), worked
 * out in steps, `perStep` chains at a time, for the checks that ask them of many chains: on
 * the 100k dump's 36k chains 75–110 ms in one piece, in the first analysis's longest step.
 */
export function* hooksSteps(rs: RuleSet, perStep = STEP_ITEMS): Steps<void> {
  const facts = chainFacts(rs);
  for (const t of rs.tables.values()) {
    const graph = facts.graph(t);
    if (!reachOf.has(graph)) yield* reachSteps(graph, t, perStep);
  }
}

/**
 * A graph's reach (see Reach), kept for it unless an edit carried its jumps meanwhile (see
 * carryChainFacts), when the masks worked out are of neither graph.
 */
function* reachSteps(graph: ChainGraph, table: Table, perStep: number): Steps<Reach> {
  const edits = jumpsEdited(graph);
  const builtins = [...table.chains.values()].filter((c) => isBuiltinChain(table.name, c.name));
  const reach: Reach = { builtins, masks: yield* hookMasks(table, builtins, (c) => graph.jumps.get(c), perStep), names: new Map() };
  if (jumpsEdited(graph) === edits && !reachOf.has(graph)) reachOf.set(graph, reach);
  return reachOf.get(graph) ?? reach;
}

/** The hooks reaching each chain of a graph, worked out when first asked (see hookMasks). */
interface Reach {
  /** The table's built-in chains: bit i of a mask is the i-th. */
  builtins: Chain[];
  /** Per chain some built-in chain reaches through jumps, the bits of those built-in chains. */
  masks: Map<Chain, number>;
  /** The names of a mask's built-in chains, made once per mask. */
  names: Map<number, readonly string[]>;
}

const reachOf = new WeakMap<ChainGraph, Reach>();

/**
 * One bit per built-in chain, spread along the jumps until nothing changes: a table has at
 * most five hooks, and kube-proxy's 36k chains are each visited once or twice instead of
 * being walked again from every hook. A built-in chain is only "reached" through a jump from
 * another one.
 */
function* hookMasks(table: Table, builtins: readonly Chain[], targetsOf: (c: Chain) => readonly TargetUse[] | undefined, perStep: number): Steps<Map<Chain, number>> {
  const mask = new Map<Chain, number>();
  const work: Chain[] = [];
  builtins.forEach((c, i) => {
    for (const t of targetsOf(c) ?? []) {
      const to = jumpedTo(table, t);
      if (to === c) continue;
      const m = mask.get(to) ?? 0;
      if (m & (1 << i)) continue;
      mask.set(to, m | (1 << i));
      work.push(to);
    }
  });
  for (let n = 1; work.length; n++) {
    if (n % perStep === 0) yield;
    const cur = work.pop()!;
    const m = mask.get(cur)!;
    for (const t of targetsOf(cur) ?? []) {
      const to = jumpedTo(table, t);
      const old = mask.get(to) ?? 0;
      if ((old | m) === old) continue;
      mask.set(to, old | m);
      work.push(to);
    }
  }
  return mask;
}
