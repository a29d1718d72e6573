import type { Span } from '../text/span.ts';
import type { Word } from './nodes.ts';

/**
 * The value a shell word has after quote removal, and whether it depends on an expansion
 * (`$VAR`, `${…}`, `$(…)`, backticks). A dynamic word's value is shown as written, minus
 * quotes; nothing is concluded from it. `known`: variables whose value the script gives
 * (see ShellVariables); `$NAME` and `${NAME}` of those read as the value.
 */
export function shellWord(image: string, start: number, known?: (name: string) => string | undefined): Word {
  let value = '';
  let dynamic = false;
  let quoted = false;
  let unterminated = false;
  const n = image.length;
  let i = 0;
  while (i < n) {
    const c = image[i];
    if (c === "'") {
      quoted = true;
      const close = image.indexOf("'", i + 1);
      const stop = close === -1 ? n : close;
      if (close === -1) unterminated = true;
      value += image.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '"') {
      quoted = true;
      i++;
      if (image.indexOf('"', i) === -1) unterminated = true;
      while (i < n && image[i] !== '"') {
        const d = image[i];
        if (d === '\\' && i + 1 < n && '$`"\\\n'.includes(image[i + 1])) {
          if (image[i + 1] !== '\n') value += image[i + 1];
          i += 2;
        } else if (d === '$' || d === '`') {
          const end = expansionEnd(image, i);
          // in double quotes the value is taken whole, blanks and all
          const v = known && d === '$' ? knownValue(image, i, end, known) : undefined;
          if (v !== undefined) value += v;
          else {
            if (end > i + 1 || d === '`') dynamic = true;
            value += image.slice(i, end);
          }
          i = end;
        } else {
          // a run of plain characters in one piece
          let j = i + 1;
          while (j < n && !inDoubleQuotesSpecial(image.charCodeAt(j))) j++;
          value += image.slice(i, j);
          i = j;
        }
      }
      i++;
    } else if (c === '\\') {
      if (image[i + 1] !== '\n' && image[i + 1] !== undefined) value += image[i + 1];
      i += image[i + 1] === '\r' && image[i + 2] === '\n' ? 3 : 2;
    } else if (c === '$' || c === '`') {
      if (c === '$' && image[i + 1] === "'") {
        // $'…' ANSI-C quoting: a literal with backslash escapes
        quoted = true;
        const close = image.indexOf("'", i + 2);
        const stop = close === -1 ? n : close;
        value += image.slice(i + 2, stop).replace(/\\(.)/g, '$1');
        i = stop + 1;
        continue;
      }
      const end = expansionEnd(image, i);
      // unquoted, a value with blanks or glob characters would be split or matched against
      // files, and an empty one may remove the word: those stay unknown
      const v = known && c === '$' ? knownValue(image, i, end, known) : undefined;
      if (v !== undefined && v !== '' && !/[\s*?[]/.test(v)) value += v;
      else {
        if (end > i + 1 || c === '`') dynamic = true;
        value += image.slice(i, end);
      }
      i = end;
    } else {
      // a run of plain characters in one piece: a word without quotes or expansions is its
      // own value, the same string (most words of a script; adding them one character at a
      // time was 100 ms of a 1.5 s lint of a 10k-rule router script)
      let j = i + 1;
      while (j < n && !special(image.charCodeAt(j))) j++;
      value += i === 0 && j === n ? image : image.slice(i, j);
      i = j;
    }
  }
  const span: Span = { start, end: start + n };
  const word: Word = { text: image, value, span, quoted, dynamic };
  if (unterminated) word.unterminated = true;
  return word;
}

/** A character that starts something other than a literal outside quotes: a quote, a backslash, `$` or a backtick. */
function special(c: number): boolean {
  return c === 39 || c === 34 || c === 92 || c === 36 || c === 96;
}

/** Inside double quotes, the same less the single quote, and the closing `"`. */
function inDoubleQuotesSpecial(c: number): boolean {
  return c === 34 || c === 92 || c === 36 || c === 96;
}

/** End of the expansion starting at `i` (`$NAME`, `$1`, `$?`, `${…}`, `$(…)`, `` `…` ``). */
function expansionEnd(s: string, i: number): number {
  if (s[i] === '`') {
    let j = i + 1;
    while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, s.length);
  }
  const next = s[i + 1];
  if (next === '{' || next === '(') {
    const open = next;
    const close = open === '{' ? '}' : ')';
    let depth = 0;
    for (let j = i + 1; j < s.length; j++) {
      if (s[j] === open) depth++;
      else if (s[j] === close && --depth === 0) return j + 1;
    }
    return s.length;
  }
  if (next !== undefined && /[A-Za-z_]/.test(next)) {
    let j = i + 1;
    while (j < s.length && /[A-Za-z0-9_]/.test(s[j])) j++;
    return j;
  }
  if (next !== undefined && /[0-9@*#?$!-]/.test(next)) return i + 2;
  return i + 1; // a lone `$` is literal
}

/** `$NAME` or `${NAME}`, or a positional parameter `$1`…`$9`: the name is the first or the second group. */
const VARIABLE = String.raw`\$(?:([A-Za-z_][A-Za-z0-9_]*|[1-9])|\{([A-Za-z_][A-Za-z0-9_]*|[1-9])\})`;
const LONE_VARIABLE = new RegExp(`^${VARIABLE}$`);
const ESCAPE_OR_VARIABLE = new RegExp(String.raw`\\.|${VARIABLE}`, 'g');

/** The value of `$NAME`, `${NAME}` or `$1` at [i, end) when `known` has it; undefined for any other expansion. */
function knownValue(s: string, i: number, end: number, known: (name: string) => string | undefined): string | undefined {
  const m = LONE_VARIABLE.exec(s.slice(i, end));
  return m ? known(m[1] ?? m[2]) : undefined;
}

/**
 * A here-document line with the variables `known` gives put in place, as the shell hands it
 * to iptables-restore: `$NAME` and `${NAME}` whose value has no blank, quote, backslash or `$`
 * (iptables-restore would split or read those again). Other expansions are left as written.
 */
export function expandKnownVariables(image: string, known: (name: string) => string | undefined): string {
  return image.replace(ESCAPE_OR_VARIABLE, (m, a?: string, b?: string) => {
    if (m.startsWith('\\')) return m;
    const v = known((a ?? b)!);
    return v !== undefined && v !== '' && !/[\s"'\\$`]/.test(v) ? v : m;
  });
}
