import { basename, dirname } from 'node:path';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { severityCounts, type SeverityCounts } from '../core/analysis/severityCounts.ts';
import type { SeveritySetting } from '../core/analysis/types.ts';
import { holdsIptablesRules } from '../core/dialect.ts';
import { judgeFile } from '../node/judgeFile.ts';
import { judgedKind, placesJudgedWith, type DiskPlace } from '../node/placesJudgedWith.ts';
import { readTextFile } from '../node/readTextFile.ts';
import { toLspDiagnostic } from './convert.ts';

/** What judging a file of the workspace from disk needs: plain data, so it can be sent to another thread. */
export interface DiskJudgementRequest {
  uri: string;
  file: string;
  /** The severities set in the editor (`iptables.lint.rules`), over those of `.iptables-lint.json`. */
  severities: Record<string, SeveritySetting>;
  /** Whether shell scripts are judged (`iptables.shellScripts.enable`). */
  scriptsEnabled: boolean;
  /** Where the rule docs are (a finding's link), see toLspDiagnostic. */
  docsBase?: string;
}

/** A file judged from disk, as plain data (see DiskJudgementRequest). */
export type DiskJudgement =
  /** Gone, unreadable, or not an iptables file (a script without rules, or while scripts are not judged). */
  | { found: false }
  | (SeverityCounts & {
      found: true;
      /** Its findings as the editor receives them. */
      diagnostics: LspDiagnostic[];
      /** The file itself and what its findings read (see placesJudgedWith). */
      places: DiskPlace[];
      /** What was wrong with the `.iptables-lint.json` that applies. */
      configProblems: string[];
    });

/**
 * Judges the file of a request as `iptables-lint FILE` judges it (judgeFile), with the
 * editor's severities, and hands back what the server pushes and watches. Runs in the
 * server's judging thread (see DiskJudge): a 15 MB dump takes seconds.
 */
export function judgeOnDisk(request: DiskJudgementRequest): DiskJudgement {
  const { uri, file } = request;
  const read = readTextFile(file, { keepByteOrderMark: true });
  if (!read.ok || !holdsIptablesRules(read.text, file)) return { found: false };
  const judged = judgeFile(read.text, file, { fileName: file }, request.severities);
  const doc = judged.doc;
  if (doc.dialect === 'script' && !doc.hooks && (!doc.ruleSet.hasRules || !request.scriptsEnabled)) return { found: false };
  const lines = doc.lines;
  return {
    found: true,
    ...severityCounts(judged.diagnostics),
    // as JSON makes them: a quick fix's spans are measured from their line (LineSpan), which a
    // copy to another thread would carry along whole, line and all
    diagnostics: JSON.parse(JSON.stringify(judged.diagnostics.map((d) => toLspDiagnostic(d, lines, uri, request.docsBase)))) as LspDiagnostic[],
    // a script's configuration where it was looked for: one made later counts
    places: [{ dir: dirname(file), name: basename(file) }, ...placesJudgedWith(file, judgedKind(doc), judged.sourcedLooked)],
    configProblems: judged.configProblems,
  };
}
