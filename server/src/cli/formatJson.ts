import type { FileReport } from './report.ts';

/**
 * The JSON contract of DESIGN.md: `{ version: 1, files: [{ file, dialect, diagnostics }] }`;
 * with `--fix`, each file also says how many findings were `fixed`.
 */
export function formatJson(reports: FileReport[]): string {
  const files = reports.map((r) => (r.fixed === undefined ? { file: r.file, dialect: r.dialect, diagnostics: r.diagnostics } : { file: r.file, dialect: r.dialect, fixed: r.fixed, diagnostics: r.diagnostics }));
  return JSON.stringify({ version: 1, files }, null, 2) + '\n';
}
