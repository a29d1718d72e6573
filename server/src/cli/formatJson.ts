import type { FileReport } from './report.ts';

/** The JSON contract of DESIGN.md: `{ version: 1, files: [{ file, dialect, diagnostics }] }`. */
export function formatJson(reports: FileReport[]): string {
  return JSON.stringify({ version: 1, files: reports.map((r) => ({ file: r.file, dialect: r.dialect, diagnostics: r.diagnostics })) }, null, 2) + '\n';
}
