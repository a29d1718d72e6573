import type { LineIndex } from '../text/lineIndex.ts';
import type { Diagnostic, Fix } from './types.ts';

/** Every directive holds this word: a text without it has none. */
export const DIRECTIVE_WORD = 'iptables-lint';

/** `# iptables-lint disable-next-line|disable [CODE[, CODE]…]`: the kind, then the codes. */
const DIRECTIVE_SOURCE = String.raw`#\s*iptables-lint\s+(disable-next-line|disable)(?:\s+([\w-]+(?:\s*,\s*[\w-]+)*))?`;
const DIRECTIVE = new RegExp(DIRECTIVE_SOURCE, 'g');

/** The codes a directive on this line names, with their offsets in it (hover reads them). */
export function directiveCodes(line: string): { code: string; start: number; end: number }[] {
  const m = new RegExp(DIRECTIVE_SOURCE).exec(line);
  if (!m?.[2]) return [];
  const at = m.index + m[0].length - m[2].length;
  return [...m[2].matchAll(/[\w-]+/g)].map((w) => ({ code: w[0], start: at + w.index, end: at + w.index + w[0].length }));
}

/** A line that is a `disable-next-line` directive and nothing else: what comes before its codes' end, and its codes. */
const NEXT_LINE_DIRECTIVE = /^(\s*#\s*iptables-lint\s+disable-next-line)(\s+[\w-]+(?:\s*,\s*[\w-]+)*)?\s*$/;

/** Line `line` of the text, without its line break. */
function lineText(read: (from: number, to: number) => string, lines: LineIndex, line: number): string {
  return read(lines.lineStarts[line], line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : lines.length).replace(/\r?\n$/, '');
}

/** Whether the shell continues line `line` on the next one: it ends in a `\`. */
function continues(read: (from: number, to: number) => string, lines: LineIndex, line: number): boolean {
  return line + 1 < lines.lineCount && lineText(read, lines, line).endsWith('\\');
}

/**
 * The quick fix that silences a finding of `code` starting at `offset`: a `disable-next-line`
 * directive above its line, or above the first line of the command it is in where a script
 * continues a command over lines ending in `\` (a comment between them would end the command
 * there; the directive covers the whole command); `code` added to the directive already there
 * (a second directive line would leave the first covering only the new one).
 */
export function suppressionFix(code: string, offset: number, lines: LineIndex, read: (from: number, to: number) => string): Fix {
  let line = lines.lineOf(offset);
  while (line > 0 && continues(read, lines, line - 1)) line--;
  const start = lines.lineStarts[line];
  const title = `Disable ${code} for this line`;
  const above = line > 0 ? NEXT_LINE_DIRECTIVE.exec(lineText(read, lines, line - 1)) : null;
  if (above?.[2]) {
    const at = lines.lineStarts[line - 1] + above[1].length + above[2].length;
    return { title, edits: [{ span: { start: at, end: at }, text: `, ${code}` }], suppression: true };
  }
  const head = read(start, start + 200);
  const indent = /^[ \t]*/.exec(head)![0];
  // an indented comment is a syntax error in iptables-restore files, so the directive starts the line
  const prefix = head.charCodeAt(0) === 35 || /^\s*[*:\-\[]/.test(head.slice(0, 2)) ? '' : indent;
  return { title, edits: [{ span: { start, end: start }, text: `${prefix}# iptables-lint disable-next-line ${code}\n` }], suppression: true };
}

/**
 * `# iptables-lint disable-next-line CODE[,CODE]` silences those codes on the next line (the
 * whole command where a script continues it over lines ending in `\`);
 * `# iptables-lint disable CODE[,CODE]` for the rest of the file. Without codes: all.
 */
export function applySuppressions(text: string, lines: LineIndex, diagnostics: Diagnostic[]): Diagnostic[] {
  if (text.indexOf(DIRECTIVE_WORD) === -1) return diagnostics;
  const read = (from: number, to: number) => text.slice(from, to);
  const nextLine = new Map<number, Set<string> | 'all'>();
  const fromLine: { line: number; codes: Set<string> | 'all' }[] = [];
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    const line = lines.lineOf(m.index);
    const codes = m[2] ? new Set(m[2].split(/\s*,\s*/)) : 'all';
    if (m[1] === 'disable-next-line') {
      let next = line + 1;
      nextLine.set(next, codes);
      while (continues(read, lines, next)) nextLine.set(++next, codes);
    }
    else fromLine.push({ line, codes });
  }
  const covers = (codes: Set<string> | 'all' | undefined, code: string) => codes === 'all' || (codes !== undefined && codes.has(code));
  return diagnostics.filter((d) => {
    const line = lines.lineOf(d.span.start);
    if (covers(nextLine.get(line), d.code)) return false;
    return !fromLine.some((f) => f.line < line && covers(f.codes, d.code));
  });
}
