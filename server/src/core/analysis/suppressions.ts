import type { LineIndex } from '../text/lineIndex.ts';
import type { Diagnostic } from './types.ts';

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

/**
 * `# iptables-lint disable-next-line CODE[,CODE]` silences those codes on the next line;
 * `# iptables-lint disable CODE[,CODE]` for the rest of the file. Without codes: all.
 */
export function applySuppressions(text: string, lines: LineIndex, diagnostics: Diagnostic[]): Diagnostic[] {
  if (text.indexOf(DIRECTIVE_WORD) === -1) return diagnostics;
  const nextLine = new Map<number, Set<string> | 'all'>();
  const fromLine: { line: number; codes: Set<string> | 'all' }[] = [];
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    const line = lines.lineOf(m.index);
    const codes = m[2] ? new Set(m[2].split(/\s*,\s*/)) : 'all';
    if (m[1] === 'disable-next-line') nextLine.set(line + 1, codes);
    else fromLine.push({ line, codes });
  }
  const covers = (codes: Set<string> | 'all' | undefined, code: string) => codes === 'all' || (codes !== undefined && codes.has(code));
  return diagnostics.filter((d) => {
    const line = lines.lineOf(d.span.start);
    if (covers(nextLine.get(line), d.code)) return false;
    return !fromLine.some((f) => f.line < line && covers(f.codes, d.code));
  });
}
