import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, WatchKind, type Connection, type Disposable, type FileSystemWatcher, type InitializeParams } from 'vscode-languageserver';
import { placeHolds, type DiskPlace } from '../node/placesJudgedWith.ts';

/** Quiet time after a document's places change before the editor is asked to watch the new set: once per burst of typing. */
const SYNC_AFTER_MS = 200;

/** Characters a glob reads as its own: a path holding one cannot be written as a plain glob. */
const GLOB_SPECIAL = /[*?[\]{}]/;

/**
 * The places on disk the findings of each open document, and of each file of the workspace
 * judged without being open (see WorkspaceFiles), read (see placesJudgedWith; such a file's
 * own place among them), and the editor's watch of them: where the client lets the server register file watchers
 * (`workspace/didChangeWatchedFiles` with dynamic registration), it is asked to watch the
 * union of the places, asked again when that union changes, and the server judges a document
 * again when one of its places changes on disk (a configuration saved from a terminal, a `git
 * pull`, `.iptables-lint.json` edited). Without it such a change counted at the document's next
 * edit. The places whose folder is not there are left out until a later judgement finds it.
 */
export class FileWatchers {
  private readonly places = new Map<string, readonly DiskPlace[]>();
  /** Folders whose new files are reported (see watchFolders). */
  private folders: readonly string[] = [];
  private readonly connection: Connection;
  private readonly canRegister: boolean;
  private readonly relative: boolean;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The places' watchers and the folders' apart: a document opened or closed changes the places
   * and must not take the folders' watch down and up again: a file made in between would be missed.
   */
  private readonly placesWatch = new Registration();
  private readonly foldersWatch = new Registration();

  constructor(connection: Connection, params: InitializeParams) {
    const caps = params.capabilities.workspace?.didChangeWatchedFiles;
    this.connection = connection;
    this.canRegister = !!caps?.dynamicRegistration;
    this.relative = !!caps?.relativePatternSupport;
  }

  /** The places `uri`'s findings were last judged with (a document or a file judged from disk). */
  watch(uri: string, places: readonly DiskPlace[]): void {
    const before = this.places.get(uri);
    if (before && placesKey(before) === placesKey(places)) return;
    this.places.set(uri, places);
    this.syncSoon();
  }

  /** `uri` was closed, or is no longer judged. */
  forget(uri: string): void {
    if (this.places.delete(uri)) this.syncSoon();
  }

  /** Has the editor report the files made and deleted under `dirs` (the workspace check's folders, see WorkspaceFiles.created), instead of those before. */
  watchFolders(dirs: readonly string[]): void {
    if (dirs.join('\0') === this.folders.join('\0')) return;
    this.folders = [...dirs];
    this.syncSoon();
  }

  /** The documents and files whose findings read `path`. */
  readersOf(path: string): string[] {
    const out: string[] = [];
    for (const [uri, places] of this.places) if (places.some((p) => placeHolds(p, path))) out.push(uri);
    return out;
  }

  /** Asks the editor now for what is due, and settles once it has answered: the watches are then in force. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.sync();
    }
    await Promise.all([this.placesWatch.settled(), this.foldersWatch.settled()]);
  }

  private syncSoon(): void {
    if (!this.canRegister || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sync();
    }, SYNC_AFTER_MS);
    this.timer.unref?.();
  }

  /** Asks the editor to watch the places of every document and file, where that set changed since the last request. */
  private sync(): void {
    const unique = new Map<string, DiskPlace>();
    for (const places of this.places.values()) for (const p of places) unique.set(`${p.dir}\0${p.name}`, p);
    const watchers: FileSystemWatcher[] = [];
    for (const key of [...unique.keys()].sort()) {
      const p = unique.get(key)!;
      if (!existsSync(p.dir)) continue;
      const watcher = this.watcherOf(p);
      if (watcher) watchers.push(watcher);
    }
    this.placesWatch.replace(this.connection, watchers);
    // made and deleted, not changed: a change of a file judged is seen by its own place above,
    // and one of every other file (a build's output) would be sent for nothing; a folder
    // deleted may be reported alone, without the files in it
    const folderWatchers: FileSystemWatcher[] = [];
    for (const dir of this.folders) {
      if (!existsSync(dir)) continue;
      const watcher = this.watcherOf({ dir, name: '**/*' });
      if (watcher) folderWatchers.push({ ...watcher, kind: WatchKind.Create | WatchKind.Delete });
    }
    this.foldersWatch.replace(this.connection, folderWatchers);
  }

  /** A place (or every file below a folder, `**` + `/*`) as the client can be asked to watch it: a pattern in a folder where it takes those, else an absolute glob. */
  private watcherOf(p: { dir: string; name: string }): FileSystemWatcher | undefined {
    if (this.relative) return { globPattern: { baseUri: pathToFileURL(p.dir).href, pattern: p.name } };
    if (GLOB_SPECIAL.test(p.dir) || (p.name !== '*.conf' && p.name !== '**/*' && GLOB_SPECIAL.test(p.name))) return undefined;
    return { globPattern: join(p.dir, p.name).replaceAll('\\', '/') };
  }
}

/**
 * One registration of watchers with the editor, replaced as its set changes: the new one is in
 * force before the old is undone, so a change on disk in between is reported (twice at worst,
 * and judging a file twice is harmless) rather than missed.
 */
class Registration {
  private key = '';
  private current: Promise<Disposable | undefined> = Promise.resolve(undefined);

  replace(connection: Connection, watchers: readonly FileSystemWatcher[]): void {
    const key = JSON.stringify(watchers);
    if (key === this.key) return;
    this.key = key;
    const previous = this.current;
    this.current = (async () => {
      const old = await previous;
      try {
        return watchers.length ? await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [...watchers] }) : undefined;
      } catch (e) {
        connection.console.warn(`Could not ask the editor to watch the files the findings read: ${(e as Error).message}`);
        return undefined;
      } finally {
        old?.dispose();
      }
    })();
  }

  /** Settles once the editor has answered the last request. */
  async settled(): Promise<void> {
    await this.current;
  }
}

function placesKey(places: readonly DiskPlace[]): string {
  return places.map((p) => `${p.dir}\0${p.name}`).join('\n');
}
