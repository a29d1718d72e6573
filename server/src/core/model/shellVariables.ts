import type { Word } from '../syntax/nodes.ts';
import { parseShell, type ShellCommand, type ShellScript } from '../syntax/shellParser.ts';
import { LineIndex } from '../text/lineIndex.ts';
import type { Span } from '../text/span.ts';
import { shellWord } from '../syntax/shellWord.ts';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/;
/** Words before the assignments of a command that only assigns (`export WAN=eth0`); a `declare`, `typeset` or `local` line leaves its names unknown (see boundOtherwise). */
const DECLARERS = new Set(['export', 'readonly']);

/** A file a script reads with `.` or `source`, as the caller found it: where, and its text. */
export interface SourcedText {
  /** The file read, as the caller names it (a path on disk, or in the workspace). */
  file: string;
  text: string;
}

/** The files a script reads, by the path as the script names them (see SourceUse.path). */
export type SourcedTexts = ReadonlyMap<string, SourcedText>;

/** A `.` or `source` command of a script. */
export interface SourceUse {
  span: Span;
  /** The path it reads, where the text says which (`/etc/firewall.conf`, `$CONF_DIR/fw.conf` with CONF_DIR set once above). */
  path?: string;
  /** The path is written relative to the script's own folder (`. "$(dirname "$0")/fw.conf"`: `./fw.conf`). */
  scriptFolder?: true;
  /** Where the path is written (the word after `.`), where it is known. */
  pathSpan?: Span;
  /** The file given for that path (see SourcedTexts). */
  file?: string;
  /**
   * The file given only sets variables (and tests): it runs no command, defines no function
   * and reads no other file, so nothing of the rule set can come from it.
   */
  plain: boolean;
  /** The values the file gives, as the script reads them after this command. */
  values?: KnownValue[];
  /** The file's assignments (`IPT=/sbin/iptables` among them), their spans in the file's text. */
  assignments?: readonly Word[];
  /** The file was given but not read: the command may not run there (in a function, under a condition), or the file reads others or runs eval. */
  unread?: 'condition' | 'reads-others';
}

/**
 * A variable's value, known in the script from `at` to `until` (offsets), given by the
 * assignment at `span`: of the script, or of a file it reads with `.` (`from`, on that line of
 * it, 1-based; the span then in that file's text).
 */
export interface KnownValue {
  name: string;
  value: string;
  at: number;
  until: number;
  span: Span;
  from?: { file: string; line: number };
  /**
   * A path relative to the script's own folder (`DIR=$(dirname "$0")`: `.`), which only the
   * paths of `.` and `source` read: elsewhere the value is the folder the script was run from.
   */
  scriptFolder?: true;
  /** Put in the environment by the program running the text (see EnvironmentValue): who sets it, for hover. */
  setBy?: string;
}

/**
 * A variable the program running the text puts in its environment, from `at` (a subshell's
 * start) on: ifupdown's `IFACE`, the name of the stanza's interface (`span`).
 */
export interface EnvironmentValue {
  at: number;
  name: string;
  value: string;
  span: Span;
  /** Who sets it (`ifupdown, to the interface of this stanza`). */
  setBy: string;
}

/** How a script names its own path: `$0`, `${BASH_SOURCE[0]}`, quoted or not. */
const SELF = String.raw`"?(?:\$0|\$\{0\}|\$BASH_SOURCE|\$\{BASH_SOURCE(?:\[0\])?\})"?`;
/** `dirname "$0"`, or of the path with its links followed (`dirname "$(readlink -f "$0")"`). */
const DIRNAME_OF_SELF = String.raw`dirname\s+(?:--\s+)?(?:${SELF}|"?\$\(\s*(?:readlink\s+-[fem]|realpath)\s+(?:--\s+)?${SELF}\s*\)"?)`;
/**
 * The script's own folder as scripts write it at the start of a word: `$(dirname "$0")`,
 * `` `dirname $0` ``, `${0%/*}`, `$(cd "$(dirname "$0")" && pwd)`; after a `"` the word opens with.
 * Scripts run from cron or systemd (another working directory) find their configuration so.
 */
const SCRIPT_FOLDER = new RegExp(
  String.raw`^("?)(?:\$\(\s*${DIRNAME_OF_SELF}\s*\)|\`\s*${DIRNAME_OF_SELF}\s*\`|\$\{(?:0|BASH_SOURCE(?:\[0\])?)%/\*\}|\$\(\s*cd\s+(?:--\s+)?"?\$\(\s*${DIRNAME_OF_SELF}\s*\)"?\s*(?:&&|;)\s*pwd(?:\s+-P)?\s*\))`,
);

/** A word's text with a leading script folder (see SCRIPT_FOLDER) written as `.`; undefined where it has none. */
function withScriptFolder(text: string): string | undefined {
  const m = SCRIPT_FOLDER.exec(text);
  return m ? `${m[1]}.${text.slice(m[0].length)}` : undefined;
}

/** Commands a file that only sets variables may hold besides its assignments. */
const PLAIN_COMMANDS = new Set(['[', '[[', 'test', ':', 'true']);
/** File tests after which `. FILE` runs when the file is there: `[ -f FILE ] && . FILE`. */
const FILE_TESTS = new Set(['-f', '-r', '-e', '-s']);

/**
 * The variables a script sets once, at its top level, to a value known from the text:
 * `WAN=eth0`, `WEB="192.168.1.10"`, `NET=$BASE.0/24` where BASE is one of them. Router
 * scripts name their interfaces, addresses and ports so; with the values the analyses see
 * `-i $WAN` and `--to-destination $WEB:8080` as the shell runs them.
 *
 * A name is left unknown when the script could give it another value: a second assignment
 * anywhere, one under a condition, in a loop or a function, `for NAME in`, `read NAME`,
 * `local`, `unset`, `${NAME:=…}`, `NAME+=`. Before its assignment a use reads the environment,
 * so only the uses after it get the value, up to an `eval` or a `.`/`source` of another file.
 * A file read so whose text the caller gives (see SourcedTexts: the configuration beside a
 * router script, `. /etc/firewall.conf`) is read as the shell would: the names it sets once at
 * its top level take its values there, the others it may set become unknown, and the script's
 * other values go on.
 */
export class ShellVariables {
  private readonly known = new Map<string, KnownValue[]>();
  /** Every value known somewhere in the script, in the order they were set. */
  readonly values: KnownValue[] = [];
  /** The script's `.` and `source` commands, in order. */
  readonly sources: SourceUse[] = [];
  /** The use of each `.` and `source` command. */
  private readonly uses = new Map<ShellCommand, SourceUse>();

  /**
   * `subshells`: offsets where the text starts afresh in another shell (wg-quick and ifupdown
   * run each hook line so): known values end there. `environment`: values known from a
   * subshell's start, where the text does not set the name itself.
   */
  constructor(script: Pick<ShellScript, 'commands' | 'guards' | 'afterSuccess'>, text: string, subshells: readonly number[] = [], sourced?: SourcedTexts, environment: readonly EnvironmentValue[] = []) {
    const commands = script.commands;
    const count = new Map<string, number>();
    type Event = { at: number; assign?: { name: string; image: string; span: Span }; reset?: true; source?: ShellCommand; env?: EnvironmentValue };
    const events: Event[] = [];
    const assigned = (name: string, word: Word, image: string) => events.push({ at: word.span.end, assign: { name, image, span: word.span } });
    for (const sc of commands) {
      const words = sc.words;
      if (words.length && (words[0].value === '.' || words[0].value === 'source')) {
        events.push({ at: sc.span.start, source: sc });
        continue;
      }
      // an `eval` may set any variable: known values end there
      if (words.length && words[0].value === 'eval') events.push({ at: sc.span.start, reset: true });
      countAssignments(sc, count, assigned);
    }
    for (const at of subshells) events.push({ at, reset: true });
    for (const env of environment) events.push({ at: env.at, env });
    // subshell starts come after the commands: in text order, a reset before what starts there
    events.sort((a, b) => a.at - b.at || (a.reset ? -1 : 0) - (b.reset ? -1 : 0));
    const other = events.length ? boundOtherwise(text) : undefined;
    const order = new Map(commands.map((c, i) => [c, i]));
    for (const e of events) {
      if (e.reset) this.endAll(e.at);
      else if (e.env) {
        const { name, value, span, setBy } = e.env;
        if (!count.has(name) && !other!.has(name)) this.open({ name, at: e.at, until: Infinity, value, span, setBy });
      } else if (e.assign) {
        const { name, image, span } = e.assign;
        if (count.get(name) !== 1 || other!.has(name)) continue;
        // a value a file read before gave it ends here, whatever this one is
        this.end(name, e.at);
        const w = this.wordValue(image, e.at);
        if (w) this.open({ name, at: e.at, until: Infinity, value: w.value, span, ...(w.scriptFolder ? { scriptFolder: true as const } : {}) });
      } else this.read(e.source!, script, order, sourced, (name) => (count.get(name) ?? 0) <= 1 && !other!.has(name));
    }
  }

  /**
   * A `.` or `source` command: its file's values where the caller gave its text and the shell
   * surely reads it there (at the top level, or after a test that the file is there); every
   * known value ends otherwise.
   */
  private read(sc: ShellCommand, script: Pick<ShellScript, 'commands' | 'guards' | 'afterSuccess'>, index: Map<ShellCommand, number>, sourced: SourcedTexts | undefined, settable: (name: string) => boolean): void {
    // `.` alone, or a quoted one: not the shell's builtin as written; known values end as for any
    if (sc.words.length < 2 || sc.words[0].quoted) {
      this.endAll(sc.span.start);
      return;
    }
    const arg = sc.words[1];
    const w = arg && sc.words.length === 2 ? this.wordValue(arg.text, sc.span.start) : undefined;
    const path = w?.value || undefined;
    const given = path !== undefined ? sourced?.get(path) : undefined;
    const use: SourceUse = { span: sc.span, ...(path !== undefined ? { path } : {}), ...(path !== undefined && w!.scriptFolder ? { scriptFolder: true as const } : {}), ...(path !== undefined ? { pathSpan: arg.span } : {}), ...(given ? { file: given.file } : {}), plain: false };
    this.sources.push(use);
    this.uses.set(sc, use);
    if (!given) {
      this.endAll(sc.span.start);
      return;
    }
    if (!runsWhenThere(sc, path!, script, index, (word) => this.wordValue(word.text, word.span.start)?.value)) {
      use.unread = 'condition';
      this.endAll(sc.span.start);
      return;
    }
    const inner = parseShell(given.text);
    const innerCount = new Map<string, number>();
    const assignments: Word[] = [];
    const candidates: { name: string; image: string; span: Span }[] = [];
    let plain = inner.functions.length === 0;
    for (const c of inner.commands) {
      if (!c.words.length) continue;
      const onlyAssigns = countAssignments(c, innerCount, (name, word, image) => candidates.push({ name, image, span: word.span }));
      if (onlyAssigns) {
        for (const w of c.words) if (ASSIGNMENT.test(w.value)) assignments.push(w);
      } else if (!PLAIN_COMMANDS.has(c.words[0].value)) plain = false;
    }
    // a file that reads another, or runs eval, may set anything: every known value ends here
    if (inner.commands.some((c) => c.words.length && (c.words[0].value === '.' || c.words[0].value === 'source' || c.words[0].value === 'eval'))) {
      use.unread = 'reads-others';
      this.endAll(sc.span.start);
      return;
    }
    use.plain = plain;
    use.assignments = assignments;
    const innerOther = boundOtherwise(given.text);
    for (const name of [...innerCount.keys(), ...innerOther]) this.end(name, sc.span.start);
    // the file's own values, read in its order; a name it does not set reads the script's value here
    const outer = this.at(sc.span.start);
    const mine = new Map<string, string>();
    const lines = new LineIndex(given.text);
    for (const c of candidates) {
      const v = shellWord(c.image, 0, (name) => (mine.has(name) ? mine.get(name) : innerCount.has(name) || innerOther.has(name) ? undefined : outer(name)));
      if (innerCount.get(c.name) !== 1 || innerOther.has(c.name) || v.dynamic || v.unterminated) continue;
      mine.set(c.name, v.value);
      if (!settable(c.name)) continue;
      const value: KnownValue = { name: c.name, at: sc.span.end, until: Infinity, value: v.value, span: c.span, from: { file: given.file, line: lines.lineOf(c.span.start) + 1 } };
      this.open(value);
      (use.values ??= []).push(value);
    }
  }

  /** A value from `k.at` on: one of the same name known before ends there (the script's own after a file's). */
  private open(k: KnownValue): void {
    this.end(k.name, k.at);
    const list = this.known.get(k.name);
    if (list) list.push(k);
    else this.known.set(k.name, [k]);
    if (!k.scriptFolder) this.values.push(k);
  }

  /**
   * A word's value at `offset`, where it is known: the script's own folder (see SCRIPT_FOLDER,
   * and variables set to it) read as `.`, which makes the value a path relative to that folder
   * (`scriptFolder`), for the paths of `.` and of variables.
   */
  private wordValue(text: string, offset: number): { value: string; scriptFolder: boolean } | undefined {
    const own = withScriptFolder(text);
    let scriptFolder = own !== undefined;
    const w = shellWord(own ?? text, 0, (name) => {
      const k = this.entry(name, offset, true);
      if (k?.scriptFolder) scriptFolder = true;
      return k?.value;
    });
    return w.dynamic || w.unterminated ? undefined : { value: w.value, scriptFolder };
  }

  /** A value of `name` still known at `at` ends there. */
  private end(name: string, at: number): void {
    for (const k of this.known.get(name) ?? []) if (k.until > at) k.until = at;
  }

  private endAll(at: number): void {
    for (const list of this.known.values()) for (const k of list) if (k.until > at) k.until = at;
  }

  /** The values known at `offset` of the script. */
  at(offset: number): (name: string) => string | undefined {
    return (name) => this.entry(name, offset)?.value;
  }

  /** The value of `name` known at `offset`; one relative to the script's folder only for a path (`folders`). */
  private entry(name: string, offset: number, folders = false): KnownValue | undefined {
    const list = this.known.get(name);
    if (!list) return undefined;
    for (const k of list) if (k.at <= offset && offset < k.until) return !k.scriptFolder || folders ? k : undefined;
    return undefined;
  }

  /** The use of a `.` or `source` command of the script (see sources). */
  useOf(sc: ShellCommand): SourceUse | undefined {
    return this.uses.get(sc);
  }

  /** `w` with the known variables it expands read as their values; `w` itself when it still depends on another. */
  resolve(w: Word): Word {
    if (!w.dynamic || w.unterminated || !this.known.size) return w;
    const r = shellWord(w.text, w.span.start, this.at(w.span.start));
    // the word keeps its place as the parser measured it
    return r.dynamic ? w : { ...r, span: w.span };
  }
}

/**
 * Counts the assignments of a command in `count` (`NAME=value` words after `export` or
 * `readonly`, alone or before a command: `LANG=C sort`, each a value given), and hands
 * `candidate` those that may give a value known from the text: a plain `=` in a command that only
 * assigns, at the top level; any other makes its name unknown. Whether the command only assigns.
 */
function countAssignments(sc: ShellCommand, count: Map<string, number>, candidate: (name: string, word: Word, image: string) => void): boolean {
  const words = sc.words;
  const lead = words.length && DECLARERS.has(words[0].value) ? 1 : 0;
  const onlyAssigns = words.length > lead && words.slice(lead).every((w) => ASSIGNMENT.test(w.value));
  for (let i = lead; i < words.length; i++) {
    const m = ASSIGNMENT.exec(words[i].value);
    if (!m) break;
    count.set(m[1], (count.get(m[1]) ?? 0) + 1);
    if (onlyAssigns && sc.guard === 0 && words[i].value.charAt(m[1].length) === '=') candidate(m[1], words[i], words[i].text.slice(words[i].text.indexOf('=') + 1));
    else count.set(m[1], Infinity);
  }
  return onlyAssigns;
}

/**
 * Whether the shell surely reads the file of `sc` when it is there: at the top level, or as
 * the command after a test that it is (`[ -f FILE ] && . FILE`, `if [ -r "$CONF" ]; then . "$CONF"; fi`).
 */
function runsWhenThere(sc: ShellCommand, path: string, script: Pick<ShellScript, 'commands' | 'guards' | 'afterSuccess'>, index: Map<ShellCommand, number>, valueOf: (w: Word) => string | undefined): boolean {
  if (sc.guard === 0) return true;
  if (script.guards[sc.guard] !== 0) return false;
  const test = script.commands[script.afterSuccess.get(sc.guard) ?? -1];
  if (!test || (index.get(test) ?? Infinity) > (index.get(sc) ?? -1)) return false;
  const w = test.words;
  const args = w[0]?.value === 'test' ? w.slice(1) : w[0]?.value === '[' && w.at(-1)?.value === ']' ? w.slice(1, -1) : w[0]?.value === '[[' && w.at(-1)?.value === ']]' ? w.slice(1, -1) : undefined;
  return !!args && args.length === 2 && FILE_TESTS.has(args[0].value) && valueOf(args[1]) === path;
}

/**
 * Names the script may set other than by `NAME=value`: `for NAME in`, `${NAME:=…}`,
 * `NAME[i]=…`, `printf -v NAME`, and every name on a `read`, `local`, `unset`, `declare`,
 * `let`… line. Two scans of the text, not one per variable: a 10k-line router script is read
 * again on every edit.
 */
function boundOtherwise(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\bfor\s+([A-Za-z_]\w*)|\$\{([A-Za-z_]\w*):?=|\b([A-Za-z_]\w*)\[[^\]\n]*\]\+?=|\bprintf\s+-v\s*([A-Za-z_]\w*)/g)) {
    out.add(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  for (const m of text.matchAll(/\b(?:read|local|unset|declare|typeset|getopts|mapfile|readarray|let)\b([^\n;|&]*)/g)) {
    for (const name of m[1].matchAll(/[A-Za-z_]\w*/g)) out.add(name[0]);
  }
  return out;
}
