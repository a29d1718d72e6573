import { resolve } from 'node:path';
import type { RunOptions } from '../core/analysis/engine.ts';
import type { Diagnostic, SeveritySetting } from '../core/analysis/types.ts';
import { FirewallDocument, type DocumentOptions } from '../core/facade.ts';
import { findLintConfig } from './lintConfig.ts';
import { readSourced } from './sourcedFiles.ts';
import { heapRoomFor } from './heapRoom.ts';
import { hookSettings, workspaceSettings } from './workspaceSettings.ts';

export interface JudgedFile {
  doc: FirewallDocument;
  /** What it was judged with (a fix is judged again with the same). */
  runOptions: RunOptions;
  diagnostics: Diagnostic[];
  /** What was wrong with the `.iptables-lint.json` that applies (see findLintConfig). */
  configProblems: string[];
  /** The files a script's `.` and `source` were looked for at, found or not (see readSourced). */
  sourcedLooked: string[];
}

/**
 * A text judged as the file at `place` on disk: with the configuration a script reads with `.`
 * found around it, the nearest `.iptables-lint.json` above it (`severities` winning over it),
 * and the files around a rules file or a wg-quick configuration (see workspaceSettings). The CLI
 * judges each file so, and the language server the files of the workspace it has not open.
 * Without `place` (nameless standard input) the working directory's lint config applies and
 * nothing around it is read. A text whose model would not fit in the heap left is not modelled
 * (see heapRoomFor): `analysis-skipped` says so, where the process would have been killed.
 */
export function judgeFile(text: string, place: string | undefined, options: DocumentOptions, severities: Record<string, SeveritySetting> = {}): JudgedFile {
  const doc = new FirewallDocument(text, { memoryRoom: heapRoomFor(text.length), ...options });
  const sourcedLooked = place ? readSourced(doc, place) : [];
  const config = findLintConfig(place || resolve('-'));
  const settings = !place ? {} : doc.dialect === 'save' ? workspaceSettings(place) : doc.hooks ? hookSettings(place) : {};
  const runOptions: RunOptions = { severities: { ...config.severities, ...severities }, settings };
  return { doc, runOptions, diagnostics: doc.diagnostics(runOptions), configProblems: config.problems, sourcedLooked };
}
