import type { Diagnostic } from '../core/analysis/types.ts';
import { safeFix } from '../core/services/fixAll.ts';
import type { LineIndex } from '../core/text/lineIndex.ts';

export interface ReportedDiagnostic {
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  /** 1-based; endColumn exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Set when `--fix` would fix it (a safe fix, see Fix.safe). */
  fixable?: true;
}

export interface FileReport {
  file: string;
  dialect: 'save' | 'script';
  diagnostics: ReportedDiagnostic[];
  /** Kept for formats that need more (SARIF rule metadata, related locations). */
  raw: Diagnostic[];
  lines: LineIndex;
  /** With `--fix`: how many findings were fixed. */
  fixed?: number;
}

export function toReported(d: Diagnostic, lines: LineIndex): ReportedDiagnostic {
  const s = lines.positionAt(d.span.start);
  const e = lines.positionAt(d.span.end);
  const r: ReportedDiagnostic = { code: d.code, severity: d.severity, message: d.message, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  if (safeFix(d)) r.fixable = true;
  return r;
}
