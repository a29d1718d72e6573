import { isBuiltinChain } from '../model/builtinChains.ts';
import type { Chain, RuleSet, Table, TargetUse } from '../model/types.ts';

/**
 * What the chain rules (undefined-chain, unknown-target, unused-chain, chain-loop,
 * target-not-allowed-here) need to know about the chains of a rule set, gathered in one walk
 * over the commands and one over the final rules, and kept per rule set. On a 100k-rule dump
 * each of those rules used to walk everything again; the walks cost more than the checks.
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
  /** The table of that family and name, if the rule set has it. */
  table(family: string, table: string): Table | undefined;
  /** The graph of one table's final rules. */
  graph(table: Table): ChainGraph;
}

export interface Jump {
  target: TargetUse;
  to: Chain;
}

export interface ChainGraph {
  /** Jumps and gotos from each chain to user chains of the same table that exist, in rule order. */
  jumps: Map<Chain, Jump[]>;
  /** The built-in chains (hooks) from which some path of jumps reaches this user chain. */
  hooksReaching(chain: string): readonly string[];
}

const EMPTY: ReadonlySet<string> = new Set();
const facts = new WeakMap<RuleSet, ChainFacts>();

// Per-command checks ask for the facts of the same rule set 100k times in a row: a weak map
// lookup each time cost more than the checks themselves. The last answer is held weakly, so a
// closed document's rule set is not kept alive by it.
let last: WeakRef<{ rs: RuleSet; facts: ChainFacts }> | undefined;

export function chainFacts(rs: RuleSet): ChainFacts {
  const hit = last?.deref();
  if (hit?.rs === rs) return hit.facts;
  let f = facts.get(rs);
  if (!f) facts.set(rs, (f = gather(rs)));
  last = new WeakRef({ rs, facts: f });
  return f;
}

function gather(rs: RuleSet): ChainFacts {
  const declared = new Map<string, Set<string>>();
  const jumped = new Map<string, Set<string>>();
  const uncertain = new Set<string>();
  let dynamicJump = false;
  const setOf = (m: Map<string, Set<string>>, key: string) => {
    let s = m.get(key);
    if (!s) m.set(key, (s = new Set()));
    return s;
  };
  for (const t of rs.tables.values()) {
    const names = setOf(declared, `${t.family}:${t.name}`);
    for (const c of t.chains.values()) if (c.builtin || c.declarations.length) names.add(c.name);
  }
  // consecutive commands mostly share family and table: the key is rebuilt only when they change
  const keyOf = lastKeyMemo((family, table) => `${family}:${table}`);
  for (const cmd of rs.commands) {
    const key = keyOf(cmd.family, cmd.table);
    if (cmd.tableDynamic) uncertain.add(`${cmd.family}:*`);
    if (cmd.kind === 'new-chain' || cmd.kind === 'rename-chain') {
      if (cmd.uncertain) uncertain.add(key);
      if (cmd.kind === 'new-chain' && cmd.chainWord && !cmd.chainWord.dynamic) setOf(declared, key).add(cmd.chainWord.value);
      if (cmd.kind === 'rename-chain' && cmd.newName && !cmd.newName.dynamic) setOf(declared, key).add(cmd.newName.value);
    }
    const rule = cmd.rule;
    const t = rule?.target;
    if (t && !t.spec) {
      if (!t.name.length) dynamicJump = true;
      else setOf(jumped, key).add(t.name);
    }
    // a rule without shell expansions has no dynamic -j; only the others are searched
    if (!dynamicJump && (!rule || rule.dynamic)) {
      dynamicJump = cmd.args.items.some((i) => (i.name === '-j' || i.name === '-g') && i.values[0]?.dynamic);
    }
  }
  const graphs = new WeakMap<Table, ChainGraph>();
  let graphTable: Table | undefined;
  let lastGraph: ChainGraph | undefined;
  return {
    declared: lastKeyMemo((family, table) => declared.get(`${family}:${table}`) ?? EMPTY),
    uncertain: lastKeyMemo((family, table) => uncertain.has(`${family}:*`) || uncertain.has(`${family}:${table}`)),
    jumpedTo: lastKeyMemo((family, table) => jumped.get(`${family}:${table}`) ?? EMPTY),
    dynamicJump,
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
}

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

function buildGraph(table: Table): ChainGraph {
  const jumps = new Map<Chain, Jump[]>();
  for (const c of table.chains.values()) {
    let list: Jump[] | undefined;
    for (const r of c.rules) {
      const t = r.target;
      if (!t || t.spec) continue;
      const to = table.chains.get(t.name);
      if (!to) continue;
      (list ??= []).push({ target: t, to });
    }
    if (list) jumps.set(c, list);
  }
  let reach: ((chain: string) => readonly string[]) | undefined;
  return {
    jumps,
    hooksReaching: (chain) => (reach ??= hooksReaching(table, jumps))(chain),
  };
}

const NO_HOOKS: readonly string[] = [];

/**
 * One bit per built-in chain, spread along the jumps until nothing changes: a table has at
 * most five hooks, and kube-proxy's 36k chains are each visited once or twice instead of
 * being walked again from every hook.
 */
function hooksReaching(table: Table, jumps: Map<Chain, Jump[]>): (chain: string) => readonly string[] {
  const builtins = [...table.chains.values()].filter((c) => isBuiltinChain(table.name, c.name));
  const mask = new Map<Chain, number>();
  const work: Chain[] = [];
  builtins.forEach((c, i) => {
    for (const { to } of jumps.get(c) ?? []) {
      if (to === c) continue;
      const m = mask.get(to) ?? 0;
      if (m & (1 << i)) continue;
      mask.set(to, m | (1 << i));
      work.push(to);
    }
  });
  while (work.length) {
    const cur = work.pop()!;
    const m = mask.get(cur)!;
    for (const { to } of jumps.get(cur) ?? []) {
      const old = mask.get(to) ?? 0;
      if ((old | m) === old) continue;
      mask.set(to, old | m);
      work.push(to);
    }
  }
  // a built-in chain is only "reached" through a jump from another one
  const names = new Map<number, readonly string[]>();
  return (name) => {
    const chain = table.chains.get(name);
    const m = chain ? mask.get(chain) : undefined;
    if (!m) return NO_HOOKS;
    let list = names.get(m);
    if (!list) names.set(m, (list = builtins.filter((_, i) => m & (1 << i)).map((c) => c.name)));
    return list;
  };
}
