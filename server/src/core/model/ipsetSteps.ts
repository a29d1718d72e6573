import type { Family } from '../knowledge/types.ts';
import type { Word } from '../syntax/nodes.ts';
import type { Span } from '../text/span.ts';

/**
 * What one `ipset` command of a script does to the sets that iptables rules name (`-m set
 * --match-set NAME`, `-j SET --add-set NAME`): iptables refuses a rule naming a set that does
 * not exist ("Set NAME doesn't exist"), or one of the other address family.
 */
export interface IpsetStep {
  /**
   * `create`: the set exists from here on; `destroy`: it is gone (every set when `name` is
   * undefined); `rename`: `name` is called `to` from here on; `fill`: entries added or
   * deleted (the set must exist); `flush`: the set emptied (every set when `name` is
   * undefined; a `swap` empties both of the old entries); `unknown`: sets made or deleted by
   * input the model does not read (`ipset restore` from a file, a name the shell expands).
   */
  kind: 'create' | 'destroy' | 'rename' | 'fill' | 'flush' | 'unknown';
  /** fill: an `add` (not a `del`), and the entry it adds as written. */
  adds?: string;
  /** fill: the entry is added as an exception (`nomatch`: inside a network of the set, not in it). */
  nomatch?: true;
  /** create: made by an `ipset restore` here-document, whose adds are not followed one by one. */
  restored?: true;
  name?: string;
  to?: string;
  /** create: the family of the addresses it holds (`family inet6`); undefined where the type holds no addresses (list:set, bitmap:port, hash:mac). */
  family?: Family;
  /** create: the set's type as written (`hash:net`). */
  type?: string;
  /**
   * create: the extensions it is made with (`timeout`, `counters`, `skbinfo`, `comment`): without
   * them the kernel takes a rule's per-entry timeout or counter test and ignores it.
   */
  extensions?: SetExtension[];
  /** Where the set's name is written; the command where there is none. */
  span: Span;
  /** The shell condition it runs under (see ShellCommand.guard). */
  guard: number;
  /** create and add: with `-exist` (`-!`): no failure where the set (or the entry) exists already. */
  exist?: true;
  /** fill, create and destroy: the script expects it may fail (`2>/dev/null`, `|| true`, a test). */
  failureHandled?: boolean;
  /** `set -e` is in force and the shell does not catch its failure: where it fails, the script stops (see Command.stopsOnFailure). */
  stopsOnFailure?: true;
  /** The whole ipset command it is part of. */
  command: Span;
  /** When it runs: after this many of the script's steps (RuleSet.steps), before the next. */
  order: number;
}

/** The ipset commands by every spelling ipset 7 takes: the word, its letter, its old option. */
// a Map: a word such as `constructor` must not find Object.prototype's
const COMMANDS = new Map<string, 'create' | 'add' | 'fill' | 'destroy' | 'rename' | 'flush' | 'swap' | 'restore'>();
for (const [kind, names] of [
  ['create', ['create', 'n', '-N', '--create']],
  ['add', ['add', 'a', '-A', '--add']],
  ['fill', ['del', 'd', '-D', '--del']],
  ['flush', ['flush', 'f', '-F', '--flush']],
  ['swap', ['swap', 'w', '-W', '--swap']],
  ['destroy', ['destroy', 'x', '-X', '--destroy']],
  ['rename', ['rename', 'e', '-E', '--rename']],
  ['restore', ['restore', 'r', '-R', '--restore']],
] as const) for (const n of names) COMMANDS.set(n, kind);

/** Global options that take a value (`-o save`, `-file rules.ipset`). */
const WITH_VALUE = new Set(['-o', '-output', '--output', '-f', '-file', '--file']);

/** ipset's option to leave what exists already alone, anywhere on its command line. */
const EXIST = /^(-exist|--exist|-!)$/;

/** Types whose entries hold no address: their sets work with iptables and ip6tables alike. */
const ANY_FAMILY = /^(list:set|bitmap:port|hash:mac)$/;

type Made = Omit<IpsetStep, 'guard' | 'order' | 'command'>;

export type SetExtension = 'timeout' | 'counters' | 'skbinfo' | 'comment';
const EXTENSIONS = new Set<string>(['timeout', 'counters', 'skbinfo', 'comment']);

/**
 * The steps of one ipset command, from its words after `ipset` (the shell's variables
 * resolved where they are known). `input`: a here-document it reads, for `ipset restore`.
 */
export function ipsetSteps(words: readonly Word[], span: Span, input?: { text: string; start: number; expands: boolean }): Made[] {
  let file = false;
  const args: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    if (WITH_VALUE.has(v)) {
      if (v.endsWith('f') || v.endsWith('file')) file = true;
      i++;
    } else if (args.length || !/^-/.test(v) || COMMANDS.has(v)) args.push(words[i]);
  }
  const command = args[0] && !args[0].dynamic ? COMMANDS.get(args[0].value) : undefined;
  if (!command) return args[0]?.dynamic ? [{ kind: 'unknown', span }] : [];
  const exist = words.some((w) => EXIST.test(w.value));
  // a restore reads a file or a pipe the model does not see, or a here-document it reads line by line
  const steps = command === 'restore' ? (file || !input ? [{ kind: 'unknown' as const, span }] : restoreSteps(input)) : stepOf(command, args.slice(1).filter((w) => !EXIST.test(w.value) && !/^-(q|quiet)$/.test(w.value)), span);
  return exist ? steps.map((s) => (s.kind === 'create' || s.adds !== undefined ? { ...s, exist: true } : s)) : steps;
}

/** One command's step, from its arguments after the command word. */
function stepOf(command: 'create' | 'add' | 'fill' | 'destroy' | 'rename' | 'flush' | 'swap', args: readonly Word[], span: Span): Made[] {
  const name = args[0];
  if ((command === 'destroy' || command === 'flush') && !name) return [{ kind: command, span }];
  if (!name) return [];
  // a name the shell expands: which set is made or deleted is not known (an add to it or a flush of it checks nothing)
  if (name.dynamic || ((command === 'rename' || command === 'swap') && args[1]?.dynamic)) return command === 'fill' || command === 'add' || command === 'flush' ? [] : [{ kind: 'unknown', span: name.span }];
  if (command === 'rename') return args[1] ? [{ kind: 'rename', name: name.value, to: args[1].value, span: name.span }] : [];
  // both sets exist and keep their names; each holds the other's entries
  if (command === 'swap') return args[1] ? [{ kind: 'fill', name: name.value, span: name.span }, { kind: 'fill', name: args[1].value, span: args[1].span }, { kind: 'flush', name: name.value, span: name.span }, { kind: 'flush', name: args[1].value, span: args[1].span }] : [];
  if (command === 'add') return [{ kind: 'fill', name: name.value, span: name.span, ...(args[1] && !args[1].dynamic ? { adds: args[1].value } : {}), ...(args.slice(2).some((w) => w.value === 'nomatch') ? { nomatch: true as const } : {}) }];
  if (command !== 'create') return [{ kind: command, name: name.value, span: name.span }];
  const type = args[1]?.value ?? '';
  const at = args.findIndex((w) => w.value === 'family' || w.value === '--family');
  const written = at > 0 ? args[at + 1]?.value : undefined;
  const family: Family | undefined = ANY_FAMILY.test(type) ? undefined : written === 'inet6' ? 'ipv6' : 'ipv4';
  const extensions = [...new Set(args.slice(2).map((w) => w.value.replace(/^--/, '')).filter((v) => EXTENSIONS.has(v)))] as SetExtension[];
  return [{ kind: 'create', name: name.value, span: name.span, ...(type ? { type } : {}), ...(family ? { family } : {}), extensions }];
}

/** The sets an `ipset restore` here-document creates, destroys and renames, line by line (its adds fill sets made above them). */
function restoreSteps(input: { text: string; start: number; expands: boolean }): Made[] {
  const out: Made[] = [];
  let at = 0;
  for (const line of input.text.split('\n')) {
    const start = input.start + at;
    at += line.length + 1;
    // its adds, flushes and swaps: iptables rules see none of them before the restore ends.
    // The command is read first: a saved country list is hundreds of thousands of adds
    const command = COMMANDS.get(/^\s*(\S*)/.exec(line)![1]);
    if (command !== 'create' && command !== 'destroy' && command !== 'rename') continue;
    const parts: Word[] = [];
    for (const m of line.matchAll(/\S+/g)) {
      const text = m[0];
      parts.push({ text, value: text, span: { start: start + m.index, end: start + m.index + text.length }, quoted: false, dynamic: input.expands && /[$`]/.test(text) });
    }
    const made = stepOf(command, parts.slice(1).filter((w) => !EXIST.test(w.value)), { start, end: start + line.length }).map((s) => (s.kind === 'create' ? { ...s, restored: true as const } : s));
    out.push(...(parts.some((w) => EXIST.test(w.value)) ? made.map((s) => (s.kind === 'create' ? { ...s, exist: true as const } : s)) : made));
  }
  return out;
}

/** The sets an `ipset save` file creates (what `ipset restore` makes of it), each with where its name stands in the file. */
export function setsOfIpsetSave(text: string): { name: string; family?: Family; type?: string; extensions: SetExtension[]; span: Span }[] {
  const out: { name: string; family?: Family; type?: string; extensions: SetExtension[]; span: Span }[] = [];
  for (const s of restoreSteps({ text, start: 0, expands: false })) {
    if (s.kind === 'create' && s.name !== undefined) out.push({ name: s.name, span: s.span, ...(s.family ? { family: s.family } : {}), ...(s.type ? { type: s.type } : {}), extensions: s.extensions ?? [] });
  }
  return out;
}
