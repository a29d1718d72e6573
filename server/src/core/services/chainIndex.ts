import type { Family } from '../knowledge/types.ts';
import { getTarget } from '../knowledge/index.ts';
import { isBuiltinChain } from '../model/builtinChains.ts';
import type { Chain, ChainDeclaration, Command, RuleSet } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';
import type { Span } from '../text/span.ts';
import { commandAt } from './commandAt.ts';
import { STEP_ITEMS, type Steps } from './steps.ts';

export type ChainRefKind = 'declaration' | 'command' | 'jump' | 'goto' | 'policy';

/** One place a chain name is written. */
export interface ChainRef {
  family: Family;
  table: string;
  name: string;
  kind: ChainRefKind;
  span: Span;
  /** The line or command it belongs to. */
  line: Span;
  /** Jumps and gotos: the chain the jumping rule is in. */
  from?: string;
}

/**
 * Every occurrence of every chain name in a rule set, grouped by `family:table:name`.
 * Navigation, rename, highlights, code lenses and hover on user chains read it.
 *
 * It keeps no reference objects: per chain name the commands that write it, in order (those
 * that act on the chain and those that jump to it apart, as hover and lenses want the jumps
 * alone), and the declarations in text order. A chain's own declarations are read from the
 * tables. A ChainRef is made when asked for. The 100k-rule dump has 200k references: an
 * object for each, a list of them all in text order and a list per name took 27 MB of heap.
 * A name written by one command keeps that command without a list (see Commands).
 */
export class ChainIndex {
  /** Per `family:table`, per chain name: the commands acting on the chain (`-A`, `-P`, `-E`) and those jumping to it, each in order. */
  private readonly byTable = new Map<string, Lists>();
  /** Every declaration in text order, and beside each the chain it declares (for `at`). */
  private readonly declarations: ChainDeclaration[] = [];
  private readonly declared: Chain[] = [];
  /** The rule set's tables and commands: a rule set patched in place shares both (see patchRuleSet), the rest goes stale. */
  private readonly indexed: Pick<RuleSet, 'tables' | 'commands'>;

  /** Made by `ChainIndex.build`, which fills it. */
  private constructor(rs: RuleSet) {
    this.indexed = { tables: rs.tables, commands: rs.commands };
  }

  /**
   * The index of a rule set, made a step at a time (see Steps): drained at once when a request
   * asks for it, or in a front end's idle time (on a 100k-rule dump it takes 80–280 ms, which
   * the first hover, cursor move or lens on a chain waited for).
   */
  static *build(rs: RuleSet): Steps<ChainIndex> {
    const index = new ChainIndex(rs);
    yield* index.fill(rs);
    return index;
  }

  private *fill(rs: RuleSet): Steps<void> {
    const decls: { d: ChainDeclaration; c: Chain }[] = [];
    for (const t of rs.tables.values()) for (const c of t.chains.values()) for (const d of c.declarations) decls.push({ d, c });
    yield;
    decls.sort((a, b) => a.d.span.start - b.d.span.start);
    yield;
    for (const { d, c } of decls) {
      this.declarations.push(d);
      this.declared.push(c);
    }
    const commands = rs.commands;
    for (let i = 0; i < commands.length; i += STEP_ITEMS) {
      this.add(commands, i, Math.min(i + STEP_ITEMS, commands.length));
      yield;
    }
    let n = 0;
    // a list grown by push keeps room for 16 or more; most names have one to four commands
    for (const { named, jumps } of this.byTable.values()) {
      for (const lists of [named, jumps]) {
        for (const [name, list] of lists as Map<string, Command[]>) {
          if (++n % STEP_ITEMS === 0) yield;
          lists.set(name, list.length === 1 ? list[0] : list.slice());
        }
      }
    }
  }

  /** Puts `commands[from, end)` in the lists of the names they write. */
  private add(commands: readonly Command[], from: number, end: number): void {
    let lists: ReturnType<ChainIndex['lists']> | undefined;
    let last: Command | undefined;
    for (let i = from; i < end; i++) {
      const cmd = commands[i];
      // consecutive commands mostly share family and table
      if (!last || cmd.table !== last.table || cmd.family !== last.family) lists = this.lists(cmd);
      last = cmd;
      for (const name of namedIn(cmd)) listIn(lists!.named, name).push(cmd);
      const to = jumpIn(cmd);
      if (to !== undefined) listIn(lists!.jumps, to).push(cmd);
    }
  }

  /**
   * The index after an edit of rule lines (see patchRuleSet), changed in place like the rule
   * set it indexes: the commands replaced or removed leave the lists of their names, the new
   * ones come in at their places. Rebuilding it after each keystroke took 200 ms on a 100k-rule
   * dump, and every cursor move asks for it (document highlights).
   */
  replaceCommands(replaced: readonly { old?: Command; new?: Command }[]): void {
    for (const { old } of replaced) {
      if (!old) continue;
      const { named, jumps } = this.lists(old);
      for (const name of namedIn(old)) remove(named, name, old);
      const to = jumpIn(old);
      if (to !== undefined) remove(jumps, to, old);
    }
    for (const { new: cmd } of replaced) {
      if (!cmd) continue;
      const { named, jumps } = this.lists(cmd);
      for (const name of namedIn(cmd)) insertInOrder(listIn(named, name), cmd);
      const to = jumpIn(cmd);
      if (to !== undefined) insertInOrder(listIn(jumps, to), cmd);
    }
  }

  private lists(cmd: Command): Lists {
    const key = `${cmd.family}:${cmd.table}`;
    let lists = this.byTable.get(key);
    if (!lists) this.byTable.set(key, (lists = { named: new Map(), jumps: new Map() }));
    return lists;
  }

  /** The chain reference under `offset` (inclusive of the end, as a cursor after a word is still on it). */
  at(offset: number): ChainRef | undefined {
    const decls = this.declarations;
    let lo = 0;
    let hi = decls.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = decls[mid];
      if (offset < d.span.start) hi = mid - 1;
      else if (offset > d.span.end) lo = mid + 1;
      else return declarationRef(this.declared[mid], d);
    }
    const cmd = commandAt(this.indexed, offset);
    return cmd && refsOf(cmd).find((r) => r.span.start <= offset && offset <= r.span.end);
  }

  /** Every place `name` is written in the table: its declarations, then the commands that name it, in order. */
  of(family: Family, table: string, name: string): ChainRef[] {
    const named = this.namedRefs(family, table, name);
    const jumps = this.jumpsTo(family, table, name);
    const out = this.chainDeclarations(family, table, name);
    // both in the commands' order: merged by where they are written (`-A a -j a` has one of each)
    let i = 0;
    let j = 0;
    while (i < named.length || j < jumps.length) {
      if (j >= jumps.length || (i < named.length && named[i].span.start <= jumps[j].span.start)) out.push(named[i++]);
      else out.push(jumps[j++]);
    }
    return out;
  }

  /** Where the chain is declared: `:name`, `-N name`, or the new name of `-E old name`. */
  declarationsOf(family: Family, table: string, name: string): ChainRef[] {
    const out = this.chainDeclarations(family, table, name);
    for (const r of this.namedRefs(family, table, name)) if (r.kind === 'declaration') out.push(r);
    return out;
  }

  /**
   * The jumps and gotos to the chain, in order; with `rulesOnly`, those of rules that end up in
   * the table (`-A`, `-I`, `-R`, a save file's rule lines): a `-D` or `-C` names a jump it does
   * not make.
   */
  jumpsTo(family: Family, table: string, name: string, rulesOnly = false): ChainRef[] {
    const out: ChainRef[] = [];
    for (const cmd of commandsIn(this.byTable.get(`${family}:${table}`)?.jumps, name)) if (!rulesOnly || ADDS_RULE.has(cmd.kind)) out.push(jumpRef(cmd));
    return out;
  }

  /** The jumps and gotos of the chain's own rules (as `jumpsTo` with `rulesOnly` counts them), in order. */
  ruleJumpsFrom(family: Family, table: string, name: string): ChainRef[] {
    const out: ChainRef[] = [];
    for (const cmd of commandsIn(this.byTable.get(`${family}:${table}`)?.named, name)) {
      if (ADDS_RULE.has(cmd.kind) && cmd.chain === name && jumpIn(cmd) !== undefined) out.push(jumpRef(cmd));
    }
    return out;
  }

  /** Whether the name is written anywhere in the table. */
  has(family: Family, table: string, name: string): boolean {
    const key = `${family}:${table}`;
    const lists = this.byTable.get(key);
    return !!this.indexed.tables.get(key)?.chains.get(name)?.declarations.length || !!lists?.named.has(name) || !!lists?.jumps.has(name);
  }

  /** Every reference in text order. */
  all(): ChainRef[] {
    const out: ChainRef[] = [];
    for (let i = 0; i < this.declarations.length; i++) out.push(declarationRef(this.declared[i], this.declarations[i]));
    for (const cmd of this.indexed.commands) out.push(...refsOf(cmd));
    return out.sort((a, b) => a.span.start - b.span.start);
  }

  isBuiltin(ref: ChainRef): boolean {
    return isBuiltinChain(ref.table, ref.name);
  }

  private chainDeclarations(family: Family, table: string, name: string): ChainRef[] {
    const chain = this.indexed.tables.get(`${family}:${table}`)?.chains.get(name);
    return chain ? chain.declarations.map((d) => declarationRef(chain, d)) : [];
  }

  /** The references of the commands acting on the chain, in order. */
  private namedRefs(family: Family, table: string, name: string): ChainRef[] {
    const out: ChainRef[] = [];
    for (const cmd of commandsIn(this.byTable.get(`${family}:${table}`)?.named, name)) for (const r of namedRefsIn(cmd)) if (r.name === name) out.push(r);
    return out;
  }
}

/**
 * The commands writing a name, in order: the one command itself when there is one. 36,000 of
 * the 100k-rule dump's names are jumped to by a single rule; a list each was 2 MB of heap.
 */
type Commands = Command | Command[];

/** Per chain name, the commands acting on the chain and those jumping to it. */
interface Lists {
  named: Map<string, Commands>;
  jumps: Map<string, Commands>;
}

const NO_COMMANDS: readonly Command[] = [];

/** The commands whose rule stays in its chain. */
const ADDS_RULE: ReadonlySet<Command['kind']> = new Set(['append', 'insert', 'replace']);

function commandsIn(lists: Map<string, Commands> | undefined, name: string): readonly Command[] {
  const e = lists?.get(name);
  return e === undefined ? NO_COMMANDS : Array.isArray(e) ? e : [e];
}

/** The name's list, to add to (a single command becomes a list again). */
function listIn(lists: Map<string, Commands>, name: string): Command[] {
  const e = lists.get(name);
  if (Array.isArray(e)) return e;
  const list = e === undefined ? [] : [e];
  lists.set(name, list);
  return list;
}

/** Takes a command out of the list of a name; one that is not there means the index is stale (the caller then builds it afresh). */
function remove(lists: Map<string, Commands>, name: string, cmd: Command): void {
  const e = lists.get(name);
  if (e === cmd) {
    lists.delete(name);
    return;
  }
  const at = Array.isArray(e) ? e.indexOf(cmd) : -1;
  if (at === -1) throw new Error(`the chain index does not hold this command under ${name}`);
  const list = e as Command[];
  list.splice(at, 1);
  if (!list.length) lists.delete(name);
}

/** Puts a command among those of a save file, which are in text order. */
function insertInOrder(list: Command[], cmd: Command): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].span.start < cmd.span.start) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, cmd);
}

function declarationRef(c: Chain, d: ChainDeclaration): ChainRef {
  return { family: c.family, table: c.table, name: c.name, kind: 'declaration', span: d.span, line: d.line };
}

/** The word naming the chain a command acts on (`-A name`, `-P name`, the old name of `-E`); a `-N` word is the chain's declaration, read from the tables. */
function chainActedOn(cmd: Command): Word | undefined {
  const w = cmd.chainWord;
  return !cmd.uncertain && w && !w.dynamic && cmd.kind !== 'new-chain' ? w : undefined;
}

/** The new name of `-E old new`. */
function renamedTo(cmd: Command): Word | undefined {
  const w = cmd.kind === 'rename-chain' ? cmd.newName : undefined;
  return !cmd.uncertain && w && !w.dynamic ? w : undefined;
}

/** The chain names a command acts on, each once (`-E a a`). */
function namedIn(cmd: Command): string[] {
  const acted = chainActedOn(cmd)?.value;
  const renamed = renamedTo(cmd)?.value;
  if (renamed === undefined || renamed === acted) return acted === undefined ? NO_NAMES : [acted];
  return acted === undefined ? [renamed] : [acted, renamed];
}

const NO_NAMES: string[] = [];

/** The references of a command to the chains it acts on, in the order written. */
function namedRefsIn(cmd: Command): ChainRef[] {
  const out: ChainRef[] = [];
  const { family, table } = cmd;
  const acted = chainActedOn(cmd);
  if (acted) out.push({ family, table, name: acted.value, kind: cmd.kind === 'policy' ? 'policy' : 'command', span: acted.span, line: cmd.span });
  const renamed = renamedTo(cmd);
  if (renamed) out.push({ family, table, name: renamed.value, kind: 'declaration', span: renamed.span, line: cmd.span });
  return out;
}

/** The chain a command's rule jumps or goes to, if it does. */
function jumpIn(cmd: Command): string | undefined {
  const target = cmd.rule?.target;
  return !cmd.uncertain && target && !target.spec && target.name ? target.name : undefined;
}

function jumpRef(cmd: Command): ChainRef {
  const target = cmd.rule!.target!;
  return { family: cmd.family, table: cmd.table, name: target.name, kind: target.goto ? 'goto' : 'jump', span: target.span, line: cmd.span, from: cmd.chain };
}

/** Every chain reference of a command, in the order written. */
function refsOf(cmd: Command): ChainRef[] {
  const out = namedRefsIn(cmd);
  if (jumpIn(cmd) !== undefined) out.push(jumpRef(cmd));
  return out;
}

/** What iptables accepts as a new chain name: 1–28 characters, no blanks, not an option, not a target. */
export function chainNameProblem(name: string): string | undefined {
  if (!name) return 'A chain name cannot be empty.';
  if (name.length > 28) return `A chain name is at most 28 characters (this one has ${name.length}).`;
  if (/\s/.test(name)) return 'A chain name cannot contain blanks.';
  if (name.startsWith('-') || name.startsWith('!')) return 'A chain name cannot start with - or !.';
  if (/['"$`\\]/.test(name)) return 'A chain name should not contain quotes, $, backticks or backslashes.';
  if (getTarget(name)) return `${name} is a target, not a free chain name.`;
  if (['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].includes(name)) return `${name} is a built-in chain.`;
  return undefined;
}
