import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, SeveritySetting } from '../core/analysis/types.ts';
import { holdsIptablesRules } from '../core/dialect.ts';
import type { LineIndex } from '../core/text/lineIndex.ts';
import { filesUnder } from '../node/filesUnder.ts';
import { judgeFile } from '../node/judgeFile.ts';
import { placesJudgedWith, type DiskPlace } from '../node/placesJudgedWith.ts';
import { readTextFile } from '../node/readTextFile.ts';

/** Reply of the `iptables/checkWorkspace` request. */
export interface CheckReply {
  /** The iptables files judged (open ones counted, judged as the editor holds them). */
  files: number;
  /** Their findings, by severity. */
  errors: number;
  warnings: number;
  /** Another check started before this one ended: this one stopped. */
  superseded?: true;
}

/** What a check needs of the server around it. */
export interface WorkspaceFilesHost {
  /** Pushes a file's findings (none: clears them). */
  publish(uri: string, diagnostics: Diagnostic[], lines: LineIndex | undefined): void;
  /** Whether the editor has `uri` open (its findings are then the editor's text's). */
  isOpen(uri: string): boolean;
  /** The findings of a document the editor has open; undefined where it is not open or holds no iptables rules. */
  openFindings(uri: string): Diagnostic[] | undefined;
  /** The severities set in the editor (`iptables.lint.rules`), over those of `.iptables-lint.json`. */
  severities(): Record<string, SeveritySetting>;
  /** Whether shell scripts are judged (`iptables.shellScripts.enable`). */
  scriptsEnabled(): boolean;
  /** A problem of a `.iptables-lint.json`, said once. */
  configProblem(problem: string): void;
  /** The places on disk a judged file's findings read: the editor is asked to watch them (see FileWatchers). */
  watch(uri: string, places: readonly DiskPlace[]): void;
  /** Settles once the editor watches what it was asked to (see FileWatchers.flush). */
  watching(): Promise<void>;
  forget(uri: string): void;
}

/**
 * The iptables files of the workspace's folders judged from disk without being open (the
 * client's "Check All iptables Files" command, `iptables/checkWorkspace`): their findings are
 * pushed as an open document's are, so the editor lists them (VS Code's Problems view), and
 * kept up to date: judged again when the file or one its findings read changes on disk (the
 * server has the editor watch them), and when it is closed after being open; a file deleted
 * has its findings cleared. The files are found as `iptables-lint DIR` finds them (filesUnder)
 * and judged as it judges them (judgeFile); one file at a time, the server answering requests
 * between them.
 */
export class WorkspaceFiles {
  /** The files judged from disk, by uri. */
  private readonly judged = new Map<string, string>();
  private readonly host: WorkspaceFilesHost;
  private generation = 0;

  constructor(host: WorkspaceFilesHost) {
    this.host = host;
  }

  /** Whether `uri` is one of the files a check found (open then or not). */
  has(uri: string): boolean {
    return this.judged.has(uri);
  }

  /** Judges the iptables files under `folders`; a later check stops this one. */
  async check(folders: readonly string[], cancelled: () => boolean = () => false): Promise<CheckReply> {
    const generation = ++this.generation;
    const reply: CheckReply = { files: 0, errors: 0, warnings: 0 };
    const seen = new Set<string>();
    for (const folder of folders) {
      for (const file of filesUnder(folder)) {
        // each file on its own turn of the event loop: requests are answered between them
        await new Promise((r) => setImmediate(r));
        if (generation !== this.generation || cancelled()) return { ...reply, superseded: true };
        const uri = pathToFileURL(file).href;
        if (seen.has(uri)) continue;
        seen.add(uri);
        // one the editor has open counts as it holds it; judged from disk once it is closed
        const open = this.host.openFindings(uri);
        if (open) this.judged.set(uri, file);
        const found = open ?? this.judge(uri, file);
        if (!found) continue;
        reply.files++;
        for (const d of found) {
          if (d.severity === 'error') reply.errors++;
          else if (d.severity === 'warning') reply.warnings++;
        }
      }
    }
    // files judged before that are no longer iptables files, or no longer under the folders
    for (const uri of [...this.judged.keys()]) if (!seen.has(uri) && !this.host.isOpen(uri)) this.drop(uri);
    // the reply once the editor watches the files: a change made after it is seen
    await this.host.watching();
    return reply;
  }

  /**
   * Judges the file `uri` from disk and pushes its findings; undefined (its findings cleared)
   * where it is gone, unreadable or not an iptables file.
   */
  judge(uri: string, file = this.judged.get(uri)): Diagnostic[] | undefined {
    if (file === undefined) return undefined;
    const read = readTextFile(file, { keepByteOrderMark: true });
    if (!read.ok || !holdsIptablesRules(read.text, file)) {
      this.drop(uri);
      return undefined;
    }
    const judged = judgeFile(read.text, file, { fileName: file }, this.host.severities());
    const doc = judged.doc;
    if (doc.dialect === 'script' && !doc.hooks && (!doc.ruleSet.hasRules || !this.host.scriptsEnabled())) {
      this.drop(uri);
      return undefined;
    }
    for (const p of judged.configProblems) this.host.configProblem(p);
    this.judged.set(uri, file);
    // the file itself, and what its findings read (a script's configuration where it was looked for: one made later counts)
    this.host.watch(uri, [{ dir: dirname(file), name: basename(file) }, ...placesJudgedWith(file, doc.dialect === 'save' ? 'save' : doc.hooks ? 'hooks' : 'script', judged.sourcedLooked)]);
    this.host.publish(uri, judged.diagnostics, doc.lines);
    return judged.diagnostics;
  }

  /** Judges again every file judged from disk that is not open (the editor's settings changed). */
  judgeAll(): void {
    for (const uri of [...this.judged.keys()]) if (!this.host.isOpen(uri)) this.judge(uri);
  }

  /** Forgets `uri` and clears its findings. */
  drop(uri: string): void {
    if (!this.judged.delete(uri)) return;
    this.host.forget(uri);
    this.host.publish(uri, [], undefined);
  }
}
