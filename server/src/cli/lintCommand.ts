import { resolve } from 'node:path';
import { FirewallDocument } from '../core/facade.ts';
import type { Dialect } from '../core/model/types.ts';
import { findLintConfig } from '../node/lintConfig.ts';
import { readTextFile } from '../node/readTextFile.ts';
import { workspaceSettings } from '../node/workspaceSettings.ts';
import { formatJson } from './formatJson.ts';
import { formatSarif } from './formatSarif.ts';
import { formatText } from './formatText.ts';
import { toReported, type FileReport } from './report.ts';
import type { CliIO } from './io.ts';

export interface LintOptions {
  format: 'text' | 'json' | 'sarif';
  dialect: Dialect | 'auto';
  files: string[];
}

/** Lints files; exit 0 clean of errors, 1 with error-level findings, 2 when a file cannot be read. */
export function lintCommand(opts: LintOptions, io: CliIO): number {
  const reports: FileReport[] = [];
  let ioError = false;
  for (const file of opts.files) {
    const read = readTextFile(file);
    if (!read.ok) {
      io.stderr(`iptables-lint: ${read.reason}\n`);
      ioError = true;
      continue;
    }
    const config = findLintConfig(resolve(file));
    for (const p of config.problems) io.stderr(`iptables-lint: ${p}\n`);
    const doc = new FirewallDocument(read.text, { fileName: file, dialect: opts.dialect });
    const settings = doc.dialect === 'save' ? workspaceSettings(resolve(file)) : {};
    const raw = doc.diagnostics({ severities: config.severities, settings });
    reports.push({ file, dialect: doc.dialect, diagnostics: raw.map((d) => toReported(d, doc.lines)), raw, lines: doc.lines });
  }
  if (opts.format === 'json') io.stdout(formatJson(reports));
  else if (opts.format === 'sarif') io.stdout(formatSarif(reports, '0.1.0'));
  else io.stdout(formatText(reports));
  if (ioError) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
