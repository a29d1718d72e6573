import { SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { FirewallDocument } from '../core/facade.ts';
import type { Family } from '../core/knowledge/types.ts';
import type { Dialect } from '../core/model/types.ts';
import type { Span } from '../core/text/span.ts';
import { toRange } from './convert.ts';
import { STEP_ITEMS, type Steps } from '../core/services/steps.ts';

/** The outline, and how many chains it leaves out (see documentSymbolSteps). */
export interface Outline {
  symbols: DocumentSymbol[];
  unlisted: number;
}

/** A table as the editor names it: a script's ip6tables tables apart from its iptables ones (the outline, the call hierarchy). */
export function tableLabel(family: Family, table: string, dialect: Dialect): string {
  return family === 'ipv6' && dialect === 'script' ? `${table} (ip6tables)` : table;
}

/**
 * Tables with their chains, as an outline. Save files: a table spans its block up to COMMIT.
 * In steps (a kube-proxy dump has 36,000 chains; see steps.ts).
 *
 * At most `maxChains` chains are listed, the first ones; each table says in its detail how
 * many of its chains are left out. An editor asks for the outline after each pause in typing
 * (breadcrumbs, sticky scroll): the 100k-rule dump's 36,373 chains were 8.8 MB of JSON each
 * time, which the editor parses before it reads the next message, a keystroke's diagnostics
 * included.
 */
export function* documentSymbolSteps(doc: FirewallDocument, maxChains = Infinity): Steps<Outline> {
  const rs = doc.ruleSet;
  const lines = doc.lines;
  const blocks = doc.dialect === 'save' ? tableBlocks(doc) : [];
  const out: DocumentSymbol[] = [];
  let seen = 0;
  let listed = 0;
  let unlisted = 0;
  for (const t of rs.tables.values()) {
    const block = blocks.find((b) => b.name === t.name);
    const children: DocumentSymbol[] = [];
    // the table's extent in a script: from its first chain's first line to its last chain's last
    let tableStart = Infinity;
    let tableEnd = -Infinity;
    let left = 0;
    for (const c of t.chains.values()) {
      if (++seen % STEP_ITEMS === 0) yield;
      // past the limit, a save file's table has its block for a range: the chain is only counted
      if (listed >= maxChains && block) {
        if (c.declarations.length || c.policySpan || c.rules.length) left++;
        continue;
      }
      const decl = c.declarations[0];
      // iptables-save lists a chain's rules together, below all the chain lines of the table:
      // the chain's symbol is its rules (its declaration when it has none), so a rule line is
      // inside its own chain's symbol and no other (breadcrumbs, sticky scroll). In a script a
      // chain runs from its first to its last line that declares it, sets its policy or adds
      // a rule. A loop, not a list of spans: a kube-proxy dump has 36,000 chains.
      let start = Infinity;
      let end = -Infinity;
      const take = (sp: Span) => {
        if (sp.start < start) start = sp.start;
        if (sp.end > end) end = sp.end;
      };
      const byRules = doc.dialect === 'save' && c.rules.length > 0;
      if (decl && !byRules) take(decl.line);
      if (c.policySpan && !byRules) take(c.policySpan);
      for (const r of c.rules) take(r.span);
      if (start === Infinity) continue;
      if (start < tableStart) tableStart = start;
      if (end > tableEnd) tableEnd = end;
      if (listed >= maxChains) {
        left++;
        continue;
      }
      listed++;
      const sel = (byRules ? c.rules[0].chainSpan : decl?.span) ?? c.rules[0]?.chainSpan ?? { start, end };
      children.push({
        name: c.name,
        detail: c.builtin ? `policy ${c.policy}, ${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}` : `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`,
        kind: c.builtin ? SymbolKind.Event : SymbolKind.Function,
        range: toRange(lines, { start, end }),
        selectionRange: toRange(lines, sel),
      });
    }
    unlisted += left;
    const header = block?.header ?? t.spans[0];
    let whole = block?.span ?? (tableStart !== Infinity ? { start: tableStart, end: tableEnd } : header);
    if (!whole || (tableStart === Infinity && !header)) continue;
    // the name's place must lie inside the symbol (editors drop the outline otherwise): an
    // iptables -S listing's table stands at its first line, above a chain's rules
    if (header && (header.start < whole.start || header.end > whole.end)) whole = { start: Math.min(header.start, whole.start), end: Math.max(header.end, whole.end) };
    const chains = `${t.chains.size} chain${t.chains.size === 1 ? '' : 's'}`;
    out.push({
      name: tableLabel(t.family, t.name, doc.dialect),
      detail: left ? `${chains}, ${left} not listed (iptables.outline.maxChains)` : chains,
      kind: SymbolKind.Namespace,
      range: toRange(lines, whole),
      selectionRange: toRange(lines, header ?? whole),
      children,
    });
  }
  return { symbols: out, unlisted };
}

interface Block {
  name: string;
  header: Span;
  span: Span;
}

/**
 * `*table` … `COMMIT` blocks by scanning line starts (cheap even on 100k lines), read through
 * the edits since the text was last in one piece (see FirewallDocument.chars).
 */
function tableBlocks(doc: FirewallDocument): Block[] {
  const text = doc.chars;
  const out: Block[] = [];
  let open: Block | undefined;
  const starts = doc.lines.lineStarts;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    const c = text.charCodeAt(s);
    if (c === 42) {
      if (open) out.push(open);
      const end = doc.lines.lineEnd(i, text);
      open = { name: text.slice(s + 1, end).trim(), header: { start: s + 1, end }, span: { start: s, end } };
    } else if (c === 67 && open && text.slice(s, s + 6) === 'COMMIT') {
      open.span = { start: open.span.start, end: doc.lines.lineEnd(i, text) };
      out.push(open);
      open = undefined;
    } else if (open) {
      open.span = { start: open.span.start, end: doc.lines.lineEnd(i, text) };
    }
  }
  if (open) out.push(open);
  return out;
}

export function foldingRanges(doc: FirewallDocument): FoldingRange[] {
  if (doc.dialect !== 'save') return [];
  return tableBlocks(doc)
    .map((b) => ({ startLine: doc.lines.lineOf(b.span.start), endLine: doc.lines.lineOf(b.span.end) }))
    .filter((r) => r.endLine > r.startLine);
}
