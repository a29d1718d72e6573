import { getRule } from '../core/analysis/registry.ts';
import type { Span } from '../core/text/span.ts';
import type { FileReport } from './report.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/**
 * SARIF 2.1.0, the form GitHub code scanning uploads: one run, rule metadata from the rule
 * files, one result per diagnostic with its region (1-based, end column exclusive), related
 * locations, and its quick fixes as SARIF fixes (each edit a replacement of a region, empty for
 * an insertion; the suppression comment every finding offers is left out).
 */
export function formatSarif(reports: FileReport[], version: string): string {
  const codes = [...new Set(reports.flatMap((r) => r.raw.map((d) => d.code)))].sort();
  const rules = codes.map((code) => {
    const rule = getRule(code);
    return {
      id: code,
      name: code.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: rule?.summary ?? 'An internal problem of iptables-lint.' },
      fullDescription: { text: rule ? `${rule.docs.description} ${rule.docs.rationale}` : 'A check failed to run on this file.' },
      help: { text: rule?.docs.description ?? '', markdown: rule ? `${rule.docs.description}\n\n${rule.docs.rationale}` : '' },
      defaultConfiguration: { level: rule ? LEVEL[rule.severity] : 'error' },
    };
  });
  const results = reports.flatMap((r) =>
    r.raw.map((d, i) => {
      const rd = r.diagnostics[i];
      const region = { startLine: rd.line, startColumn: rd.column, endLine: rd.endLine, endColumn: rd.endColumn };
      const regionOf = (span: Span) => {
        const s = r.lines.positionAt(span.start);
        const e = r.lines.positionAt(span.end);
        return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
      };
      const result: Record<string, unknown> = {
        ruleId: d.code,
        ruleIndex: codes.indexOf(d.code),
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: toUri(r.file) }, region } }],
      };
      if (d.related?.length) {
        result.relatedLocations = d.related.map((rel, id) => ({
          id,
          message: { text: rel.message },
          physicalLocation: { artifactLocation: { uri: toUri(r.file) }, region: regionOf(rel.span) },
        }));
      }
      const fixes = (d.fixes ?? []).filter((f) => !f.suppression);
      if (fixes.length) {
        result.fixes = fixes.map((f) => ({
          description: { text: f.title },
          artifactChanges: [{ artifactLocation: { uri: toUri(r.file) }, replacements: f.edits.map((e) => ({ deletedRegion: regionOf(e.span), insertedContent: { text: e.text } })) }],
        }));
      }
      return result;
    }),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'iptables-lint', semanticVersion: version, rules } }, results, columnKind: 'utf16CodeUnits' }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** Relative paths stay relative (GitHub resolves them against the checkout); backslashes become slashes. */
function toUri(file: string): string {
  return file.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
}
