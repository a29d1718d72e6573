import type { SyntaxIssue } from '../syntax/nodes.ts';

/**
 * `iptables -L` prints the tables for people to read: a `Chain INPUT (policy ACCEPT)` header
 * (`Chain NAME (N references)` for a user chain), a column heading, then a row per rule.
 * iptables-restore cannot load it (it fails on the first line), yet it ends up where rules are
 * kept (`iptables -L > /etc/iptables/rules.v4`) or is given to the linter as if it held rules.
 * Such a text gets one finding that says what it is, not an error on every line.
 */
export const LIST_OUTPUT_HEADER = /^Chain [^\s()]+ \((policy [A-Z]+|\d+ references?)\b/;

/** The first of the first lines that is not blank or a comment (the same look as the dialect's). */
function firstContent(text: string, from: number, to: number): { start: number; end: number } | undefined {
  let at = from;
  for (let n = 0; n < 200 && at < to; n++) {
    let nl = text.indexOf('\n', at);
    if (nl === -1 || nl > to) nl = to;
    let start = at;
    while (start < nl && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
    let end = nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end > start && text.charCodeAt(start) !== 35) return { start, end };
    at = nl + 1;
  }
  return undefined;
}

/** The `syntax-error` for a text that is `iptables -L` output, on its first line; undefined for any other text. */
export function listOutputIssue(text: string, from = 0, to = text.length): SyntaxIssue | undefined {
  const line = firstContent(text, from, to);
  if (!line || !LIST_OUTPUT_HEADER.test(text.slice(line.start, Math.min(line.end, line.start + 200)))) return undefined;
  return {
    code: 'syntax-error',
    message: 'This is iptables -L output, a table for people to read: iptables-restore cannot load it (it fails on this line), and it holds no rules to check. Keep rules as iptables-save writes them (iptables-save > rules.v4), or list them with iptables -S.',
    span: line,
  };
}
