import { resolve } from 'node:path';
import { holdsIptablesRules } from '../core/dialect.ts';
import { severityCounts } from '../core/analysis/severityCounts.ts';
import type { Dialect } from '../core/model/types.ts';
import { fixAll } from '../core/services/fixAll.ts';
import { LineIndex } from '../core/text/lineIndex.ts';
import { rewriteTextFile } from '../node/rewriteTextFile.ts';
import { readStdinText, readTextFile } from '../node/readTextFile.ts';
import { judgeFile } from '../node/judgeFile.ts';
import { filesUnder, isFolder } from '../node/filesUnder.ts';
import { formatJson } from './formatJson.ts';
import { formatSarif } from './formatSarif.ts';
import { formatText } from './formatText.ts';
import { toReported, type FileReport } from './report.ts';
import type { CliIO } from './io.ts';

export interface LintOptions {
  format: 'text' | 'json' | 'sarif';
  dialect: Dialect | 'auto';
  /** Paths; `-` is standard input; a folder stands for the iptables files under it. */
  files: string[];
  /**
   * The path standard input stands for (an editor's unsaved buffer): reported under that
   * name, whose dialect and family it hints, and whose folder gives the lint config and the
   * files judged with it. Without it, standard input is reported as `-`, with the working
   * directory's lint config, and judged without files beside it.
   */
  stdinName?: string;
  /** Exit 1 when there are more warnings than this, as for an error. */
  maxWarnings?: number;
  /**
   * Rewrite each file with its safe fixes (see fixAll) and report what is left; standard input's
   * fixed text goes to standard output, and the report to standard error.
   */
  fix?: boolean;
}

/** Lints files; exit 0 clean of errors, 1 with error-level findings (or too many warnings), 2 when a file cannot be read or a folder holds none. */
export function lintCommand(opts: LintOptions, io: CliIO): number {
  const reports: FileReport[] = [];
  let ioError = false;
  let fixedText: string | undefined;
  // a folder stands for the iptables files under it: the others are passed over once read
  const targets: { file: string; folder?: string }[] = [];
  const folders: string[] = [];
  for (const file of opts.files) {
    if (file === '-' || !isFolder(file)) targets.push({ file });
    else {
      folders.push(file);
      for (const f of filesUnder(file)) targets.push({ file: f, folder: file });
    }
  }
  const foldersLinted = new Set<string>();
  for (const { file, folder } of targets) {
    const stdin = file === '-';
    const read = stdin ? readStdinText(io.stdin, { keepByteOrderMark: true }) : readTextFile(file, { keepByteOrderMark: true });
    // a binary or unreadable file of a folder is someone else's
    if (folder !== undefined && (!read.ok || !holdsIptablesRules(read.text, file))) continue;
    if (!read.ok) {
      io.stderr(`iptables-lint: ${read.reason}\n`);
      ioError = true;
      continue;
    }
    // the name the text is reported under, and the place it is judged from: nameless standard
    // input takes the lint config of the working directory and is judged without files beside it
    const name = stdin ? (opts.stdinName ?? '-') : file;
    const place = stdin ? opts.stdinName && resolve(opts.stdinName) : resolve(file);
    const judged = judgeFile(read.text, place || undefined, { fileName: stdin ? opts.stdinName : file, dialect: opts.dialect });
    const { doc, runOptions } = judged;
    // a script of the folder that names iptables only in words the shell does not run (a comment, an echo)
    if (folder !== undefined) {
      if (doc.dialect === 'script' && !doc.ruleSet.hasRules) continue;
      foldersLinted.add(folder);
    }
    for (const p of judged.configProblems) io.stderr(`iptables-lint: ${p}\n`);
    let raw = judged.diagnostics;
    let lines = doc.lines;
    let fixed: number | undefined;
    if (opts.fix) {
      // the fixed text is judged as this one was (the same dialect, name and settings)
      const r = fixAll(read.text, doc.documentOptions, runOptions, raw);
      fixed = 0;
      if (stdin) fixedText = r.text;
      if (r.fixed) {
        const written = stdin ? { ok: true as const } : rewriteTextFile(file, read.text, r.text);
        if (written.ok) {
          fixed = r.fixed;
          raw = r.diagnostics;
          lines = new LineIndex(r.text);
          if (!stdin) io.stderr(`iptables-lint: ${name}: fixed ${r.fixed} finding${r.fixed === 1 ? '' : 's'}\n`);
        } else {
          io.stderr(`iptables-lint: ${written.reason}\n`);
          ioError = true;
        }
      }
    }
    reports.push({ file: name, dialect: doc.dialect, diagnostics: raw.map((d) => toReported(d, lines)), raw, lines, fixed });
  }
  for (const folder of folders) {
    if (foldersLinted.has(folder)) continue;
    io.stderr(`iptables-lint: no iptables files under ${folder}\n`);
    ioError = true;
  }
  // with standard input fixed, standard output is the fixed text (an editor's fixer reads it)
  const out = fixedText !== undefined ? io.stderr : io.stdout;
  if (fixedText !== undefined) io.stdout(fixedText);
  if (opts.format === 'json') out(formatJson(reports));
  else if (opts.format === 'sarif') out(formatSarif(reports, '0.1.0'));
  else out(formatText(reports));
  if (ioError) return 2;
  if (reports.some((r) => r.diagnostics.some((d) => d.severity === 'error'))) return 1;
  const warnings = reports.reduce((n, r) => n + severityCounts(r.diagnostics).warnings, 0);
  if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
    io.stderr(`iptables-lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${opts.maxWarnings} allows\n`);
    return 1;
  }
  return 0;
}
