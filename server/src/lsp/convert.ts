import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver';
import type { Diagnostic } from '../core/analysis/types.ts';
import type { LineIndex } from '../core/text/lineIndex.ts';
import type { Span } from '../core/text/span.ts';

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

export function toLspDiagnostic(d: Diagnostic, lines: LineIndex, uri: string, docsBase?: string): LspDiagnostic {
  const out: LspDiagnostic = { range: toRange(lines, d.span), severity: SEVERITY[d.severity], code: d.code, source: 'iptables', message: d.message };
  if (docsBase && d.code !== 'internal-error') out.codeDescription = { href: `${docsBase}/${d.code}.md` };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }));
  if (d.fixes?.length) out.data = { fixes: d.fixes };
  return out;
}
