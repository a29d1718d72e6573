import type { Word } from '../syntax/nodes.ts';
import type { ShellCommand } from '../syntax/shellParser.ts';
import { shellWord } from '../syntax/shellWord.ts';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/;
/** Words before the assignments of a command that only assigns (`export WAN=eth0`); a `declare`, `typeset` or `local` line leaves its names unknown (see boundOtherwise). */
const DECLARERS = new Set(['export', 'readonly']);

/**
 * The variables a script sets once, at its top level, to a value known from the text:
 * `WAN=eth0`, `WEB="192.168.1.10"`, `NET=$BASE.0/24` where BASE is one of them. Router
 * scripts name their interfaces, addresses and ports so; with the values the analyses see
 * `-i $WAN` and `--to-destination $WEB:8080` as the shell runs them.
 *
 * A name is left unknown when the script could give it another value: a second assignment
 * anywhere, one under a condition, in a loop or a function, `for NAME in`, `read NAME`,
 * `local`, `unset`, `${NAME:=…}`, `NAME+=`. Before its assignment a use reads the environment,
 * so only the uses after it get the value, up to a `.`/`source` of another file or an `eval`.
 */
export class ShellVariables {
  private readonly known = new Map<string, { at: number; until: number; value: string }>();

  /** `subshells`: offsets where the text starts afresh in another shell (wg-quick runs each hook line so): known values end there. */
  constructor(commands: readonly ShellCommand[], text: string, subshells: readonly number[] = []) {
    const count = new Map<string, number>();
    const candidates: { name: string; at: number; image: string }[] = [];
    // a file read with `.` or `source`, or an `eval`, may set any variable: known values end there
    const resets: number[] = [];
    for (const sc of commands) {
      const words = sc.words;
      if (words.length && (words[0].value === '.' || words[0].value === 'source' || words[0].value === 'eval')) resets.push(sc.span.start);
      const lead = words.length && DECLARERS.has(words[0].value) ? 1 : 0;
      const onlyAssigns = words.length > lead && words.slice(lead).every((w) => ASSIGNMENT.test(w.value));
      // assignments alone, or before a command (`LANG=C sort`): each counts as a value given
      for (let i = lead; i < words.length; i++) {
        const m = ASSIGNMENT.exec(words[i].value);
        if (!m) break;
        count.set(m[1], (count.get(m[1]) ?? 0) + 1);
        const plainAssign = words[i].value.charAt(m[1].length) === '=';
        if (onlyAssigns && sc.guard === 0 && plainAssign) candidates.push({ name: m[1], at: words[i].span.end, image: words[i].text.slice(words[i].text.indexOf('=') + 1) });
        else count.set(m[1], Infinity);
      }
    }
    if (subshells.length) {
      resets.push(...subshells);
      resets.sort((a, b) => a - b);
    }
    const other = candidates.length ? boundOtherwise(text) : undefined;
    for (const c of candidates) {
      if (count.get(c.name) !== 1 || other!.has(c.name)) continue;
      const w = shellWord(c.image, 0, this.at(c.at));
      if (!w.dynamic && !w.unterminated) this.known.set(c.name, { at: c.at, until: resets.find((r) => r > c.at) ?? Infinity, value: w.value });
    }
  }

  /** The values known at `offset` of the script. */
  at(offset: number): (name: string) => string | undefined {
    return (name) => {
      const v = this.known.get(name);
      return v && v.at <= offset && offset < v.until ? v.value : undefined;
    };
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
