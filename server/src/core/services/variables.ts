import type { KnownValue } from '../model/shellVariables.ts';
import type { RuleSet } from '../model/types.ts';
import type { Span } from '../text/span.ts';

/** The values a script's variables are known to hold at `offset`, with where each was set (see ShellVariables): one per name, a name's values following each other. */
export function knownValuesAt(rs: RuleSet, offset: number): KnownValue[] {
  return (rs.variables ?? []).filter((v) => v.at <= offset && offset < v.until);
}

/** The value `name` is known to hold at `offset` of a script (see knownValuesAt). */
export function knownValueAt(rs: RuleSet, name: string, offset: number): KnownValue | undefined {
  return knownValuesAt(rs, offset).find((v) => v.name === name);
}

/** A `$NAME` or `${NAME}` of a script's text that `offset` is in (on the `$`, the name or its braces): the name and its span. */
export function variableUseAt(text: string, offset: number): { name: string; span: Span } | undefined {
  // back to the `$` over the name's characters and an opening brace, a few dozen at most
  let i = Math.min(offset, text.length - 1);
  for (let steps = 0; i >= 0 && steps < 128 && text[i] !== '$'; i--, steps++) {
    if (!/[A-Za-z0-9_{}]/.test(text[i])) return undefined;
  }
  if (i < 0 || text[i] !== '$') return undefined;
  const m = /^\$(\{)?([A-Za-z_][A-Za-z0-9_]*)(\})?/.exec(text.slice(i, i + 160));
  if (!m || (m[1] && !m[3])) return undefined;
  const span = { start: i, end: i + m[0].length };
  return offset >= span.start && offset < span.end ? { name: m[2], span } : undefined;
}

/**
 * Where the value a script's `$NAME` at `offset` holds was set: the assignment of the script,
 * or of a file it reads with `.` (`from`, its span then in that file's text). Undefined where
 * the value is not known (set twice, under a condition, from the environment).
 */
export function variableDefinitionAt(rs: RuleSet, text: string, offset: number): KnownValue | undefined {
  if (rs.dialect !== 'script') return undefined;
  const use = variableUseAt(text, offset);
  return use && knownValueAt(rs, use.name, use.span.start);
}

/** A file a script reads with `.` or `source`, where the path is written and the file found for it: a link to open it. */
export interface SourceLink {
  span: Span;
  file: string;
}

/** The links of a script's `.` and `source` commands whose file was found (see SourceUse). */
export function sourceLinks(rs: RuleSet): SourceLink[] {
  const out: SourceLink[] = [];
  for (const use of rs.sources ?? []) if (use.pathSpan && use.file) out.push({ span: use.pathSpan, file: use.file });
  return out;
}
