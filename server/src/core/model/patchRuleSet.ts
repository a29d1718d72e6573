import { isNoCommandIssue, noCommandIssue, type EditedLines, type SaveEntry } from './saveDocument.ts';
import { firstStartingFrom } from '../text/span.ts';
import { undeclared, undeclaredChain } from './tableState.ts';
import type { Chain, Command, Rule, RuleSet, Table } from './types.ts';

/**
 * One change of an edit to the commands: a rule replaced by another at the same position of
 * the same chain (both commands), a rule removed from its chain (`old` alone) or added to one
 * (`new` alone), or a line with no command (`-` as a rule is typed) removed or added, which is
 * in the commands only (no chain). Patches are in the order they were applied: a position is
 * the one in the chain as the patches before it left it.
 */
export interface RulePatch {
  /** The command replaced or removed; undefined for one added. */
  old?: Command;
  /** The command put in its place, or added; undefined for one removed. */
  new?: Command;
  /** The chain whose rules changed; undefined for a command that has no rule in a chain. */
  chain?: Chain;
  /** The rule's position in its chain: of the rule removed (before it went), or of the one put there. */
  index: number;
}

/** A patch that replaced a rule where it stood: the chain's length and the positions of its other rules are what they were. */
export function inPlace(p: RulePatch): p is RulePatch & { old: Command; new: Command; chain: Chain } {
  return p.old !== undefined && p.new !== undefined;
}

/**
 * Rule sets whose tables were built by appends alone (every iptables-save dump). In other
 * files a rule's content can decide where later commands act (`-D CHAIN spec` deletes the
 * first equal rule), so an edit there rebuilds the tables.
 */
const appendsOnly = new WeakMap<RuleSet, boolean>();

/** Every command is a plain append or a line with no command (which changes no table), see plainAppend. */
export function onlyAppends(rs: RuleSet): boolean {
  let known = appendsOnly.get(rs);
  if (known === undefined) {
    known = true;
    for (const c of rs.commands) {
      if (!plainAppend(c) && c.kind !== 'none') {
        known = false;
        break;
      }
    }
    appendsOnly.set(rs, known);
  }
  return known;
}

/** `-A` whose table and chain are known (no shell expansion decides them). */
export function plainAppend(c: Command): boolean {
  return c.kind === 'append' && !c.uncertain && !c.tableDynamic;
}

/**
 * `-N`, `-E` or `-X` of one chain whose table and name are known: beside plain appends, what
 * leaves a chain's rules the commands that wrote them (ChainFacts.appendsOnly). A `-X` of
 * every chain is not one: it deletes chains no line names.
 */
export function plainChainCommand(c: Command): boolean {
  return (c.kind === 'new-chain' || c.kind === 'rename-chain' || c.kind === 'delete-chain') && c.chain !== undefined && !c.uncertain && !c.tableDynamic;
}

function textOnly(e: SaveEntry): boolean {
  const kind = e.line.kind;
  return kind === 'blank' || kind === 'comment';
}

/** The rule command of a line that sat inside a table, or undefined. */
function ruleCommand(e: SaveEntry): Command | undefined {
  const cmd = e.command;
  return e.line.kind === 'rule' && cmd?.rule && plainAppend(cmd) ? cmd : undefined;
}

/**
 * The rule set after an edit of rule lines of a save file made of appends: the common edit (a
 * port, an address, a comment, a new line, a rule typed, pasted or deleted) on a 100k-rule
 * dump. Rebuilding the tables from every line takes 130-200 ms there; this changes the edited
 * rules where they stand. Rule lines replaced by rule lines of the same chains are replaced in
 * place; otherwise the edited rules leave their chains and the new ones join theirs (see
 * movesOf). Blank and comment lines come and go freely, and so do lines with no command (`-`
 * as a rule is typed). Undefined when the edit changes anything else (a header, a chain line,
 * a chain that only exists because a rule names it): the caller then rebuilds.
 *
 * The tables and the command list are shared with `rs`, which is stale afterwards; a chain
 * whose rules change gets a new rule array, so what was derived from the old array (an index
 * by destination) is derived again.
 */
export function patchRuleSet(rs: RuleSet, edited: EditedLines): { ruleSet: RuleSet; patches: RulePatch[] } | undefined {
  // blank and comment lines come and go freely (Enter at the end of a line, a comment typed):
  // they hold nothing of the tables, only their own syntax issues
  const removed = edited.removed.filter((e) => !textOnly(e));
  const added = edited.added.filter((e) => !textOnly(e));
  // an iptables -S listing takes its tables from all its lines (a DNAT typed may make a run nat): rebuilt
  if (rs.dialect !== 'save' || rs.listing || !onlyAppends(rs)) return undefined;
  // the first line also decides the byte order mark and line ending findings of the whole file
  if (edited.removed.some((e) => e.start === 0) || edited.added.some((e) => e.start === 0)) return undefined;
  const patches = replacedInPlace(rs, removed, added) ?? movesOf(rs, edited, removed, added);
  if (!patches) return undefined;
  const gone = new Set<object>();
  const fresh: RuleSet['issues'] = [];
  const noCommandLines: SaveEntry['line'][] = [];
  for (const e of edited.removed) {
    for (const i of e.issues) gone.add(i);
    if (textOnly(e) || !e.command) continue;
    for (const i of e.command.issues) gone.add(i);
    if (e.command.kind === 'none') noCommandLines.push(e.line);
  }
  for (const e of edited.added) {
    fresh.push(...e.issues);
    if (textOnly(e) || e.line.kind !== 'rule' || !e.command) continue;
    fresh.push(...e.command.issues);
    const none = noCommandIssue(e.line, e.command);
    if (none) fresh.push(none);
  }
  const keep = (i: RuleSet['issues'][number]) => !gone.has(i) && !noCommandLines.some((line) => isNoCommandIssue(i, line));
  const issues = gone.size || noCommandLines.length ? rs.issues.filter(keep) : rs.issues.slice();
  issues.push(...fresh);
  const ruleSet: RuleSet = { ...rs, issues };
  appendsOnly.set(ruleSet, true);
  return { ruleSet, patches };
}

/**
 * Rule lines replaced one for one by rule lines of the same chains: each new rule takes the
 * old one's place. Undefined, with nothing changed, when the lines do not pair so.
 */
function replacedInPlace(rs: RuleSet, removed: SaveEntry[], added: SaveEntry[]): RulePatch[] | undefined {
  if (removed.length !== added.length) return undefined;
  const patches: (RulePatch & { old: Command; new: Command; chain: Chain })[] = [];
  const commands = rs.commands;
  const at: number[] = [];
  let from = 0;
  for (let k = 0; k < removed.length; k++) {
    const a = ruleCommand(removed[k]);
    const b = ruleCommand(added[k]);
    if (!a || !b || a.chain !== b.chain || a.family !== b.family) return undefined;
    // the lines are in document order, and so are the commands
    const i = commands.indexOf(a, from);
    if (i === -1) return undefined;
    from = i + 1;
    at.push(i);
    const chain = knownChain(rs, a.family, a.table, a.chain);
    if (!chain) return undefined;
    const index = chain.rules.indexOf(a.rule!);
    if (index === -1) return undefined;
    patches.push({ old: a, new: b, chain, index });
  }
  // nothing is changed before every line is known to qualify; the command list is changed in
  // place (a copy of 100k entries per keystroke only feeds the garbage collector)
  for (let k = 0; k < patches.length; k++) {
    const { old, new: cmd } = patches[k];
    commands[at[k]] = cmd;
    // what the table line gives every rule of its block (see SaveDocument.toRuleSet)
    cmd.table = old.table;
    cmd.rule!.table = old.table;
  }
  const changed = new Set<Chain>();
  for (const p of patches) {
    if (!changed.has(p.chain)) {
      changed.add(p.chain);
      p.chain.rules = p.chain.rules.slice();
    }
    p.chain.rules[p.index] = p.new.rule!;
  }
  return patches;
}

/**
 * A chain that is the table's own or declared by a chain line: one that exists only because a
 * rule appends to it (`-A K` as `-A KUBE-SERVICES` is typed) would come or go with the edit.
 */
function knownChain(rs: RuleSet, family: string, table: string, name: string | undefined): Chain | undefined {
  const chain = name === undefined ? undefined : rs.tables.get(`${family}:${table}`)?.chains.get(name);
  return chain && !undeclared(chain) ? chain : undefined;
}

/** A line that adds nothing to a table: no command at all (`-p tcp`, or `-` as a rule is typed). */
function noCommand(e: SaveEntry): boolean {
  return e.line.kind === 'rule' && e.command?.kind === 'none';
}

/** Whether a chain of the table was made by a line after `offset` (its first chain line, or its first rule not among `leaving`). */
function madeAfter(t: Table, offset: number, leaving: ReadonlySet<Rule>): boolean {
  for (const c of t.chains.values()) {
    if (c.builtin) continue;
    // a chain whose line stands above was made there, whatever its rules (every chain of a
    // dump: its rules are not looked at, 7 ms a keystroke on the 100k dump's 36k chains)
    const declared = c.declarations[0]?.line.start;
    if (declared !== undefined && declared <= offset) continue;
    const first = c.rules.find((r) => !leaving.has(r));
    const made = Math.min(c.declarations[0]?.line.start ?? Infinity, first?.span.start ?? Infinity);
    if (made > offset && made !== Infinity) return true;
  }
  return false;
}

/**
 * Rule lines removed from their chains and rule lines added to theirs, in one run of lines
 * inside a block: a rule typed on a new line, pasted, duplicated, deleted, or moved to another
 * chain. In a file of appends a chain's rules are in the order of their lines, so a new rule
 * goes where its line stands among its chain's. A chain no line declares comes with its first
 * rule and goes with its last, as the tables are built (`-A K`, `-A KU` as `-A KUBE-SERVICES`
 * is typed): the table counts it (Table.chainEdits), so what was derived from its chain names
 * (the chains completion offers) is derived again. Undefined, with nothing changed, for any other
 * edit, or where a later block or chain line empties rules written above it.
 */
function movesOf(rs: RuleSet, edited: EditedLines, removed: SaveEntry[], added: SaveEntry[]): RulePatch[] | undefined {
  if (rs.rulesDropped) return undefined;
  for (const e of removed) if (!ruleCommand(e) && !noCommand(e)) return undefined;
  for (const e of added) if (!ruleCommand(e) && !noCommand(e)) return undefined;
  const table = added.length ? edited.blockTable() : undefined;
  if (added.length && table === undefined) return undefined;
  const commands = rs.commands;
  // the lines before the edit start before it; the lines removed, and the lines after it
  // (moved already), start at or after it: the commands of the lines removed are found there
  const regionStart = (edited.removed[0] ?? edited.added[0]).start;
  const pos = firstStartingFrom(commands, regionStart);
  for (let j = 0; j < removed.length; j++) if (commands[pos + j] !== removed[j].command) return undefined;
  const tableOf = (cmd: Command, name: string) => rs.tables.get(`${cmd.family}:${name}`);
  // chains the added rules make, and the rules leaving theirs (see madeAfter)
  const making = new Set<string>();
  const leavingRules = new Set(removed.flatMap((e) => ruleCommand(e)?.rule ?? []));
  // one rule line replaced by a rule of the same chain: where the chain is made stays this line
  const oneForOne = removed.length === 1 && added.length === 1 && ruleCommand(removed[0])?.chain === ruleCommand(added[0])?.chain;
  for (const e of removed) {
    const cmd = e.command!;
    if (cmd.kind === 'none') continue;
    const chain = tableOf(cmd, cmd.table)?.chains.get(cmd.chain ?? '');
    if (!chain || chain.rules.indexOf(cmd.rule!, firstStartingFrom(chain.rules, regionStart)) === -1) return undefined;
    // a chain no line declares is made where its first rule stands: that rule gone while
    // others stay makes it later, maybe after other chains (see madeAfter)
    if (undeclared(chain) && !oneForOne && chain.rules[0] === cmd.rule && chain.rules.some((r) => !leavingRules.has(r))) return undefined;
  }
  for (const e of added) {
    const cmd = e.command!;
    if (cmd.kind === 'none') continue;
    // the block's table, made by its `*table` line
    const t = tableOf(cmd, table!);
    if (!t) return undefined;
    const name = cmd.chain ?? '';
    // a later block of the table (loaded without --noflush) or a later line of the chain empties the rules above it
    const at = cmd.span.start;
    if ((!rs.noflush && t.spans.some((h) => h.start > at)) || t.chains.get(name)?.declarations.some((d) => d.line.start > at)) return undefined;
    // a table's chains are in the order the lines made them: a chain made here goes last, and
    // a rule above the first of a chain no line declares (or in place of all its rules) would
    // make that chain elsewhere
    const chain = t.chains.get(name);
    if (chain && undeclared(chain) && !oneForOne && (chain.rules.find((r) => !leavingRules.has(r))?.span.start ?? Infinity) > at) return undefined;
    if (!chain && !making.has(`${t.family}:${t.name}:${name}`)) {
      if (madeAfter(t, at, leavingRules)) return undefined;
      making.add(`${t.family}:${t.name}:${name}`);
    }
  }
  // every line qualifies: the changes
  commands.splice(pos, removed.length, ...added.map((e) => e.command!));
  const patches: RulePatch[] = [];
  const copied = new Set<Chain>();
  const rulesOf = (chain: Chain): Rule[] => {
    if (!copied.has(chain)) {
      copied.add(chain);
      chain.rules = chain.rules.slice();
    }
    return chain.rules;
  };
  // chains made or emptied: their tables count the change (see Table.chainEdits)
  const chainsOf = (t: Table) => {
    t.chainEdits = (t.chainEdits ?? 0) + 1;
    return t.chains;
  };
  const touched = new Map<Chain, Table>();
  for (const e of removed) {
    const cmd = e.command!;
    if (cmd.kind === 'none') {
      patches.push({ old: cmd, index: -1 });
      continue;
    }
    const t = tableOf(cmd, cmd.table)!;
    const chain = t.chains.get(cmd.chain ?? '')!;
    const rules = rulesOf(chain);
    const index = rules.indexOf(cmd.rule!, firstStartingFrom(rules, regionStart));
    rules.splice(index, 1);
    touched.set(chain, t);
    patches.push({ old: cmd, chain, index });
  }
  for (const e of added) {
    const cmd = e.command!;
    // what the table line gives every rule of its block (see SaveDocument.toRuleSet)
    cmd.table = table!;
    if (cmd.rule) cmd.rule.table = table!;
    if (cmd.kind === 'none') {
      patches.push({ new: cmd, index: -1 });
      continue;
    }
    const t = tableOf(cmd, table!)!;
    const name = cmd.chain ?? '';
    let chain = t.chains.get(name);
    if (!chain) chainsOf(t).set(name, (chain = undeclaredChain(t, name)));
    const rules = rulesOf(chain);
    const index = firstStartingFrom(rules, cmd.span.start);
    rules.splice(index, 0, cmd.rule!);
    touched.set(chain, t);
    patches.push({ new: cmd, chain, index });
  }
  for (const [chain, t] of touched) if (undeclared(chain) && !chain.rules.length) chainsOf(t).delete(chain.name);
  return patches;
}
