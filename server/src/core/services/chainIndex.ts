import type { Family } from '../knowledge/types.ts';
import { getTarget } from '../knowledge/index.ts';
import { isBuiltinChain } from '../model/builtinChains.ts';
import type { Command, RuleSet } from '../model/types.ts';
import { firstStartingFrom, type Span } from '../text/span.ts';

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
 */
export class ChainIndex {
  readonly refs: ChainRef[] = [];
  private readonly byKey = new Map<string, ChainRef[]>();

  /** The index of a rule set; without one, an empty index to fill. */
  constructor(rs?: RuleSet) {
    if (!rs) return;
    for (const t of rs.tables.values()) {
      for (const c of t.chains.values()) {
        for (const d of c.declarations) this.add({ family: t.family, table: t.name, name: c.name, kind: 'declaration', span: d.span, line: d.line });
      }
    }
    for (const cmd of rs.commands) this.addCommand(cmd);
    this.refs.sort(byStart);
  }

  /**
   * The index after rule lines were replaced in place (see patchRuleSet), changed in place
   * like the rule set it indexes: the references of the replaced commands go, those of the
   * new ones come in their places. Rebuilding it after each keystroke took 200 ms on a
   * 100k-rule dump, and every cursor move asks for it (document highlights).
   */
  replaceCommands(replaced: readonly { old: Command; new: Command }[]): void {
    const gone = new Set<Span>(replaced.map((p) => p.old.span));
    const fresh = new ChainIndex();
    for (const p of replaced) fresh.addCommand(p.new);
    // the old commands' references, wherever the edit left their offsets
    const removed: ChainRef[] = [];
    const refs = this.refs;
    let w = 0;
    for (let r = 0; r < refs.length; r++) {
      const ref = refs[r];
      if (gone.has(ref.line)) removed.push(ref);
      else refs[w++] = ref;
    }
    refs.length = w;
    for (const ref of fresh.refs) refs.splice(firstStartingFrom(refs, ref.span.start), 0, ref);
    for (const ref of removed) {
      const list = this.byKey.get(keyOf(ref))!;
      list.splice(list.indexOf(ref), 1);
      if (!list.length) this.byKey.delete(keyOf(ref));
    }
    for (const ref of fresh.refs) {
      const key = keyOf(ref);
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      // a save file's lists: the declarations, then the other references in text order
      let at = list.length;
      while (at > 0 && list[at - 1].kind !== 'declaration' && list[at - 1].span.start > ref.span.start) at--;
      list.splice(at, 0, ref);
    }
  }

  private addCommand(cmd: Command): void {
    if (cmd.uncertain) return;
    const w = cmd.chainWord;
    if (w && !w.dynamic && cmd.kind !== 'new-chain') {
      this.add({ family: cmd.family, table: cmd.table, name: w.value, kind: cmd.kind === 'policy' ? 'policy' : 'command', span: w.span, line: cmd.span });
    }
    if (cmd.kind === 'rename-chain' && cmd.newName && !cmd.newName.dynamic) {
      this.add({ family: cmd.family, table: cmd.table, name: cmd.newName.value, kind: 'declaration', span: cmd.newName.span, line: cmd.span });
    }
    const target = cmd.rule?.target;
    if (target && !target.spec && target.name) {
      this.add({ family: cmd.family, table: cmd.table, name: target.name, kind: target.goto ? 'goto' : 'jump', span: target.span, line: cmd.span, from: cmd.chain });
    }
  }

  private add(ref: ChainRef): void {
    this.refs.push(ref);
    const key = keyOf(ref);
    const list = this.byKey.get(key);
    if (list) list.push(ref);
    else this.byKey.set(key, [ref]);
  }

  /** The chain reference under `offset` (inclusive of the end, as a cursor after a word is still on it). */
  at(offset: number): ChainRef | undefined {
    const refs = this.refs;
    let lo = 0;
    let hi = refs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = refs[mid];
      if (offset < r.span.start) hi = mid - 1;
      else if (offset > r.span.end) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  of(family: Family, table: string, name: string): ChainRef[] {
    return this.byKey.get(`${family}:${table}:${name}`) ?? [];
  }

  isBuiltin(ref: ChainRef): boolean {
    return isBuiltinChain(ref.table, ref.name);
  }
}

function keyOf(ref: ChainRef): string {
  return `${ref.family}:${ref.table}:${ref.name}`;
}

function byStart(a: ChainRef, b: ChainRef): number {
  return a.span.start - b.span.start;
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
