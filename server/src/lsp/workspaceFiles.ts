import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { severityCounts, type SeverityCounts } from '../core/analysis/severityCounts.ts';
import type { Diagnostic } from '../core/analysis/types.ts';
import { filesAdded, filesUnder } from '../node/filesUnder.ts';
import type { DiskPlace } from '../node/placesJudgedWith.ts';
import type { DiskJudgement } from './diskJudgement.ts';

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
  publish(uri: string, diagnostics: LspDiagnostic[]): void;
  /** Whether the editor has `uri` open (its findings are then the editor's text's). */
  isOpen(uri: string): boolean;
  /** The findings of a document the editor has open; undefined where it is not open or holds no iptables rules. */
  openFindings(uri: string): Diagnostic[] | undefined;
  /** Judges the file `file` from disk with the editor's settings (see judgeOnDisk, DiskJudge). */
  judgeOnDisk(uri: string, file: string): Promise<DiskJudgement>;
  /** Says what went wrong to the server's log. */
  log(message: string): void;
  /** A problem of a `.iptables-lint.json`, said once. */
  configProblem(problem: string): void;
  /** The places on disk a judged file's findings read: the editor is asked to watch them (see FileWatchers). */
  watch(uri: string, places: readonly DiskPlace[]): void;
  /** The folders whose new files the editor is asked to report (see created). */
  watchFolders(dirs: readonly string[]): void;
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
 * and judged as it judges them (judgeFile), one file at a time, by the host: the server judges
 * them in a thread of its own (see DiskJudge).
 */
export class WorkspaceFiles {
  /** The files judged from disk, by uri. */
  private readonly judged = new Map<string, string>();
  private readonly host: WorkspaceFilesHost;
  private generation = 0;
  /** The folders of the last check: a file made under one later is judged when the editor reports it. */
  private folders: readonly string[] = [];
  /** The newest judgement asked of each file (its ticket): an older one that ends after it is not pushed. */
  private readonly newest = new Map<string, number>();
  private tickets = 0;

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
    this.folders = [...folders];
    const reply: CheckReply = { files: 0, errors: 0, warnings: 0 };
    const seen = new Set<string>();
    for (const folder of folders) {
      for (const file of filesUnder(folder)) {
        // a file from disk is judged in another thread; one the editor has open here: requests are answered between them
        await new Promise((r) => setImmediate(r));
        if (generation !== this.generation || cancelled()) return { ...reply, superseded: true };
        const uri = pathToFileURL(file).href;
        if (seen.has(uri)) continue;
        seen.add(uri);
        // one the editor has open counts as it holds it; judged from disk once it is closed
        const open = this.host.openFindings(uri);
        let counts: SeverityCounts | undefined;
        if (open) {
          this.judged.set(uri, file);
          counts = severityCounts(open);
        } else {
          const judged = await this.judge(uri, file);
          if (generation !== this.generation || cancelled()) return { ...reply, superseded: true };
          if (judged?.found) counts = judged;
        }
        if (!counts) continue;
        reply.files++;
        reply.errors += counts.errors;
        reply.warnings += counts.warnings;
      }
    }
    // files judged before that are no longer iptables files, or no longer under the folders
    for (const uri of [...this.judged.keys()]) if (!seen.has(uri) && !this.host.isOpen(uri)) this.drop(uri);
    // the reply once the editor watches the files, and the folders for new ones: a change made after it is seen
    this.host.watchFolders(folders);
    await this.host.watching();
    return reply;
  }

  /**
   * Judges the file `uri` from disk and pushes its findings, unless the editor opened it
   * meanwhile (its own findings count then) or a newer judgement of it was asked for; forgets it
   * (its findings cleared) where it is gone, unreadable or not an iptables file, or could not be
   * judged. Undefined where it was not judged.
   */
  async judge(uri: string, file = this.judged.get(uri)): Promise<DiskJudgement | undefined> {
    if (file === undefined) return undefined;
    const ticket = ++this.tickets;
    this.newest.set(uri, ticket);
    let judged: DiskJudgement;
    try {
      judged = await this.host.judgeOnDisk(uri, file);
    } catch (e) {
      if (this.newest.get(uri) === ticket) this.newest.delete(uri);
      this.host.log(`${file} was not judged: ${e instanceof Error ? e.message : String(e)}`);
      if (!this.host.isOpen(uri)) this.drop(uri);
      return undefined;
    }
    if (this.newest.get(uri) !== ticket) return judged;
    this.newest.delete(uri);
    if (this.host.isOpen(uri)) {
      // kept, to be judged from disk when the editor closes it
      if (judged.found) this.judged.set(uri, file);
      return judged;
    }
    if (!judged.found) {
      this.drop(uri);
      return judged;
    }
    for (const p of judged.configProblems) this.host.configProblem(p);
    this.judged.set(uri, file);
    this.host.watch(uri, judged.places);
    this.host.publish(uri, judged.diagnostics);
    return judged;
  }

  /**
   * A file or folder made on disk (the editor reports those under the checked folders): the
   * files the check would have found there are judged, those it already judges left to their
   * own watch. A file the editor has open counts as it holds it, and is judged from disk when
   * closed.
   */
  created(path: string): void {
    // once each, where the checked folders hold one another
    const added = new Set(this.folders.flatMap((folder) => filesAdded(folder, path)));
    for (const file of added) {
      const uri = pathToFileURL(file).href;
      if (this.judged.has(uri)) continue;
      if (!this.host.isOpen(uri)) void this.judge(uri, file);
      else if (this.host.openFindings(uri)) this.judged.set(uri, file);
    }
  }

  /** A file or folder deleted on disk: the files judged there are forgotten, their findings cleared. */
  deleted(path: string): void {
    const below = path.endsWith(sep) ? path : path + sep;
    for (const [uri, file] of [...this.judged]) if ((file === path || file.startsWith(below)) && !this.host.isOpen(uri)) this.drop(uri);
  }

  /** Judges again every file judged from disk that is not open (the editor's settings changed). */
  judgeAll(): void {
    for (const uri of [...this.judged.keys()]) if (!this.host.isOpen(uri)) void this.judge(uri);
  }

  /** Forgets `uri` and clears its findings. */
  drop(uri: string): void {
    if (!this.judged.delete(uri)) return;
    this.host.forget(uri);
    this.host.publish(uri, []);
  }
}
