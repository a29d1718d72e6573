import type { FileReport } from './report.ts';

/** `FILE:LINE:COL: SEVERITY CODE: MESSAGE`, 1-based, one per line. */
export function formatText(reports: FileReport[]): string {
  let out = '';
  for (const r of reports) {
    for (const d of r.diagnostics) out += `${r.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message.replace(/\n/g, ' ')}\n`;
  }
  return out;
}
