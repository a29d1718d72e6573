import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findLintConfig } from '../node/lintConfig.ts';
import { hookSettings, workspaceSettings } from '../node/workspaceSettings.ts';
import { readSourced, readSourcedSteps, sourcedFileText } from '../node/sourcedFiles.ts';
import { judgedKind, placesJudgedWith } from '../node/placesJudgedWith.ts';
import { withInterfaceName } from '../core/model/wgQuick.ts';
import { companionFacts, companionKey, companionPaths, type OpenModel } from '../node/ipv6RulesBeside.ts';
import { savedWithByteOrderMark } from '../node/byteOrderMark.ts';
import { FileChangeType, type Connection, type InitializeParams, type Range } from 'vscode-languageserver';
import type { RunOptions } from '../core/analysis/engine.ts';
import type { Diagnostic, SeveritySetting } from '../core/analysis/types.ts';
import { compileScript } from '../core/compile/toRestore.ts';
import { toLspDiagnostic, toRange } from './convert.ts';
import { DocumentStore, type OpenDocument } from './documentStore.ts';
import { findingsInSteps, timedSteps, type FindingsContext } from './findingsInSteps.ts';
import { DEFAULT_RELEASE, MemoryRelease, type HeapControl } from './memoryRelease.ts';
import { Background } from './background.ts';
import { registerLanguageFeatures } from './languageHandlers.ts';
import { registerNavigation } from './navigationHandlers.ts';
import { registerInlayHints } from './inlayHintHandlers.ts';
import { registerCallHierarchy } from './callHierarchyHandlers.ts';
import { registerTrace } from './traceHandlers.ts';
import { registerSemanticTokens } from './semanticTokensHandlers.ts';
import { registerCodeLens } from './codeLensHandlers.ts';
import { documentSymbolSteps, foldingRanges } from './symbols.ts';
import { jsonPartsSteps } from './jsonParts.ts';
import { QuietTimers } from './quietTimers.ts';
import { FileWatchers } from './fileWatchers.ts';
import { heapLimit } from '../node/heapRoom.ts';
import { memorySkip } from '../core/limits.ts';
import { WorkspaceFiles, type CheckReply } from './workspaceFiles.ts';
import { DiskJudge } from './diskJudge.ts';

/** Reply of the `iptables/compileToRestore` request. */
interface CompileReply {
  outputs?: { family: string; text: string }[];
  error?: string;
  range?: Range;
}

export interface ServerSettings {
  lint: { rules: Record<string, SeveritySetting> };
  shellScripts: { enable: boolean };
  /** See documentSymbolSteps. */
  outline: { maxChains: number };
  /** See registerCodeLens. */
  codeLens: { maxLenses: number };
  /** See registerInlayHints. */
  inlayHints: { ruleNumbers: boolean };
}

/**
 * The default limits of the outline and of the code lenses: a file past them is a dump of
 * thousands of generated chains (kube-proxy, Docker), whose whole outline and lens places an
 * editor would read after every pause in typing (8.8 and 6.2 MB of JSON for 100k rules).
 */
export const OUTLINE_MAX_CHAINS = 5000;
export const MAX_CODE_LENSES = 5000;

/**
 * Past this size (characters, about 13,000 kube-proxy rules), an edit that makes the model
 * rebuild its tables waits for a pause in edits: the rebuild then runs once per burst of
 * typing instead of holding up hover and completion after every keystroke. An edit of rules in
 * place, analysed in a few tens of milliseconds, is not held back.
 */
const LARGE_DOCUMENT = 2_000_000;
const LARGE_DOCUMENT_DELAY_MS = 300;
/**
 * A document whose last rebuilt model and analysis took longer than this waits for a pause in
 * edits the same way, whatever its size: a shell script is modelled again at every keystroke
 * (not patched like a save file), and a 10,000-rule router script (1.2 MB) took 400–550 ms each,
 * during which a hover on another document waited (p50 974 ms while typing).
 */
const SLOW_REBUILD_MS = 100;
/**
 * Past this size a document is opened in steps (see openInSteps), and made ready for edits and
 * hovers while the server is idle (see prepare): on a 10,000-rule dump (1.5 MB) the first
 * keystroke waited 50–70 ms for what the next ones find made, and the first hover 44 ms for the
 * chain index; a 10,000-rule router script (1.2 MB) held the server 1.5 s while it opened.
 */
const IN_STEPS_ABOVE = 200_000;
/** Quiet time after an edit of a big document before its text is copied into one piece (see QuietTimers). */
const SETTLE_AFTER_MS = 1000;

const defaults: ServerSettings = { lint: { rules: {} }, shellScripts: { enable: true }, outline: { maxChains: OUTLINE_MAX_CHAINS }, codeLens: { maxLenses: MAX_CODE_LENSES }, inlayHints: { ruleNumbers: true } };

/** A limit as set (`iptables.outline.maxChains`, `iptables.codeLens.maxLenses`): a whole number of at least 0, else the default. */
function limitSetting(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** Folder of the generated rule docs, next to the bundle (`dist/../docs/rules`). */
function docsBase(): string | undefined {
  const candidates = [join(__dirname, '..', 'docs', 'rules'), join(dirname(process.argv[1] ?? ''), '..', 'docs', 'rules')];
  for (const c of candidates) if (existsSync(c)) return pathToFileURL(c).href;
  return undefined;
}

/**
 * The language server: a thin layer that keeps documents, asks the core, and converts
 * offsets to LSP ranges. Diagnostics are pushed, which every client understands. Started
 * when the client has the initialize reply (see bin/language-server.ts), with its parameters.
 */
export function startServer(connection: Connection, params: InitializeParams, heap?: HeapControl): void {
  const mb = (n: number) => (n / 1048576).toFixed(0);
  // no collection while an analysis is due, a big document is being prepared or a job is queued
  const working = () => pending.size > 0 || preparing.size > 0 || background.working;
  const release = heap
    ? new MemoryRelease(heap, (r) => connection.console.log(`Memory released while idle: heap ${mb(r.before)} → ${mb(r.after)} MB in ${r.ms.toFixed(0)} ms${r.thorough ? ' (compacted)' : ''}`), DEFAULT_RELEASE, working)
    : undefined;
  const store = new DocumentStore(release, heapLimit());
  // whole-document answers wait while an edit's diagnostics are scheduled: those come first;
  // the quiet period before a collection starts when the last one is answered
  const background = new Background(() => store.lastUse, () => pending.size > 0, () => release?.activity());
  let settings: ServerSettings = defaults;
  /** How many times the settings were read (see contextOf). */
  let settingsRead = 0;
  /** How many times a document whose findings are worked out in steps was to be judged again meanwhile (see publish, judgeInSteps). */
  const judgedAgain = new WeakMap<OpenDocument, number>();
  const canPullConfig = !!params.capabilities.workspace?.configuration;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const settling = new QuietTimers(SETTLE_AFTER_MS);
  const preparing = new Set<string>();
  const base = typeof __dirname === 'string' ? docsBase() : undefined;
  const watchers = new FileWatchers(connection, params);

  async function refreshSettings(): Promise<void> {
    if (!canPullConfig) return;
    try {
      const [cfg] = await connection.workspace.getConfiguration([{ section: 'iptables' }]);
      if (cfg && typeof cfg === 'object') {
        settings = {
          lint: { rules: (cfg as ServerSettings).lint?.rules ?? {} },
          shellScripts: { enable: (cfg as ServerSettings).shellScripts?.enable ?? true },
          outline: { maxChains: limitSetting((cfg as Partial<ServerSettings>).outline?.maxChains, OUTLINE_MAX_CHAINS) },
          codeLens: { maxLenses: limitSetting((cfg as Partial<ServerSettings>).codeLens?.maxLenses, MAX_CODE_LENSES) },
          inlayHints: { ruleNumbers: (cfg as Partial<ServerSettings>).inlayHints?.ruleNumbers !== false },
        };
        settingsRead++;
      }
    } catch {
      // a client that cannot answer keeps the defaults
    }
  }

  // started on the client's `initialized`: the settings are asked for now
  void refreshSettings().then(() => store.all().forEach((d) => publish(d)));

  // the editor asks for inlay hints again when told: a setting may have turned them on or off
  const refreshHints = () => {
    if (params.capabilities.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh();
  };
  connection.onDidChangeConfiguration(() => {
    void refreshSettings().then(() => {
      store.all().forEach((d) => publish(d));
      workspaceFiles.judgeAll();
      refreshHints();
    });
  });

  const reportedConfigProblems = new Set<string>();
  /** A problem of a `.iptables-lint.json`, said once to the user. */
  function configProblem(problem: string): void {
    if (reportedConfigProblems.has(problem)) return;
    reportedConfigProblems.add(problem);
    // a notification (MessageType.Warning = 2): nothing to answer, every client shows it
    void connection.sendNotification('window/showMessage', { type: 2, message: `iptables: ${problem}` });
  }
  /** Documents whose outline was said to leave chains out, with the limit then: said once to the log. */
  const outlineCut = new Map<string, number>();
  /**
   * The nearest `.iptables-lint.json` above the file, with `iptables.lint.rules` winning, as
   * the CLI and the apply command judge it. Read on each publish: it is one small file, and
   * an edit of it then counts at the next keystroke where the client watches no files (see
   * FileWatchers).
   */
  function severitiesFor(file: string | undefined): Record<string, SeveritySetting> {
    if (!file) return settings.lint.rules;
    const config = findLintConfig(file);
    for (const problem of config.problems) configProblem(problem);
    return { ...config.severities, ...settings.lint.rules };
  }

  /** Copies a big document's edited text into one piece once typing has stopped for a while (see QuietTimers). */
  function settleLater(doc: OpenDocument): void {
    settling.later(doc.uri, () => {
      if (store.holds(doc)) void background.run(undefined, () => doc.model.settleText());
    });
  }

  /**
   * Whether each open file is saved with a byte order mark (see savedWithByteOrderMark):
   * read from disk when the document is first judged and when it is saved, not on every keystroke.
   */
  const byteOrderMarks = new Map<string, boolean>();
  function byteOrderMarkOf(uri: string, file: string): boolean {
    let bom = byteOrderMarks.get(uri);
    if (bom === undefined) byteOrderMarks.set(uri, (bom = savedWithByteOrderMark(file)));
    return bom;
  }

  /** The file an open document is, when it is one (a `file:` URI). */
  function fileOf(doc: OpenDocument): string | undefined {
    return doc.uri.startsWith('file://') ? fileURLToPath(doc.uri) : undefined;
  }

  /** The open documents by file, for judging a rules file with its other half as the editor holds it (see OpenModel). */
  const openModel: OpenModel = (path) => {
    for (const d of store.all()) if (fileOf(d) === path) return d.model;
    return undefined;
  };

  /**
   * What each open save file's findings last read of its other half (see companionKey): when
   * that half is edited, opened or closed, the file is judged again only where this changed,
   * not at every keystroke in the other.
   */
  const companionRead = new Map<string, string>();

  /** What a document's findings are judged with: the severities, and a save file's files around it. */
  function lintOptions(doc: OpenDocument): RunOptions {
    const file = fileOf(doc);
    if (!file || doc.model.dialect !== 'save') {
      companionRead.delete(doc.uri);
      // a script's configuration read with `.`, as the editor holds it or from disk
      if (file && doc.model.dialect === 'script') {
        const looked = readSourced(doc.model, file, openModel);
        const found = [...(doc.model.sourced?.values() ?? [])];
        sourcedRead.set(doc.uri, new Map(looked.map((f) => [f, found.find((t) => t.file === f)?.text])));
      }
      const around = file && doc.model.hooks ? hookSettings(file) : {};
      return { severities: severitiesFor(file), settings: file ? { ...around, savedWithByteOrderMark: byteOrderMarkOf(doc.uri, file) } : {} };
    }
    const around = workspaceSettings(file, openModel);
    companionRead.set(doc.uri, companionKey(around));
    return { severities: severitiesFor(file), settings: { ...around, savedWithByteOrderMark: byteOrderMarkOf(doc.uri, file) } };
  }

  /**
   * The open save files beside `changed` that read it as their other half (rules.v6 beside a
   * rules.v4, and the other way): judged again where what they read of it is no longer what
   * their findings were judged with (its text was edited, opened or closed unsaved).
   */
  function judgeCompanionsOf(changed: string): void {
    // one still opening too: its first findings may be worked out with the file as it was (see openInSteps)
    for (const doc of store.everyDocument()) {
      const file = fileOf(doc);
      if (!file || file === changed || doc.model.dialect !== 'save' || !companionPaths(file).includes(changed)) continue;
      const now = companionKey(companionFacts(file, openModel));
      if (now !== companionRead.get(doc.uri)) schedule(doc);
    }
  }

  /** The files each open script looked at for what it reads with `.` (see readSourced), with the text it found there (none: missing). */
  const sourcedRead = new Map<string, Map<string, string | undefined>>();

  /**
   * The open scripts that read `changed` with `.`, or looked for it there: judged again where its
   * text is no longer the one they read (two scripts that read each other do not judge each
   * other again without end).
   */
  function judgeScriptsReading(changed: string): void {
    for (const doc of store.all()) {
      const read = sourcedRead.get(doc.uri);
      if (read?.has(changed) && fileOf(doc) !== changed && sourcedFileText(changed, openModel) !== read.get(changed)) schedule(doc);
    }
  }

  /** The files of the workspace judged from disk (see WorkspaceFiles), in a thread of their own when the server runs from its bundle. */
  const diskJudge = new DiskJudge(typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : undefined);
  const workspaceFiles = new WorkspaceFiles({
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    isOpen: (uri) => store.has(uri),
    openFindings: (uri) => {
      const doc = store.get(uri);
      if (!doc || (doc.model.dialect === 'script' && !doc.model.hooks && !doc.model.ruleSet.hasRules)) return undefined;
      return scriptTurnedOff(doc) ? [] : doc.model.diagnostics(lintOptions(doc));
    },
    judgeOnDisk: (uri, file) => diskJudge.judge({ uri, file, severities: settings.lint.rules, scriptsEnabled: settings.shellScripts.enable, docsBase: base }),
    log: (message) => connection.console.warn(message),
    configProblem,
    watch: (uri, places) => watchers.watch(uri, places),
    forget: (uri) => watchers.forget(uri),
    watchFolders: (dirs) => watchers.watchFolders(dirs),
    watching: () => watchers.flush(),
  });

  /** A shell script while `iptables.shellScripts.enable` is off (a WireGuard configuration is not one). */
  function scriptTurnedOff(doc: OpenDocument): boolean {
    return doc.model.dialect === 'script' && !doc.model.hooks && !settings.shellScripts.enable;
  }

  /** Pushes the document's findings (`found`: worked out already, see openInSteps) and does what follows an analysis. */
  function publish(doc: OpenDocument, found?: Diagnostic[]): void {
    const t = pending.get(doc.uri);
    if (t) clearTimeout(t);
    pending.delete(doc.uri);
    // its first findings are on their way (see openInSteps), for the text and what it reads as they are then
    if (store.isOpening(doc)) return askAgain(doc);
    if (scriptTurnedOff(doc)) {
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
      return;
    }
    const rebuilt = found === undefined && !doc.model.ruleSetReady;
    const started = performance.now();
    const diagnostics = found ?? doc.model.diagnostics(lintOptions(doc));
    if (rebuilt) rebuildCost.set(doc, performance.now() - started);
    const lines = doc.model.lines;
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnostics.map((d) => toLspDiagnostic(d, lines, doc.uri, base)) });
    const file = fileOf(doc);
    if (file) watchers.watch(doc.uri, placesJudgedWith(file, judgedKind(doc.model), [...(sourcedRead.get(doc.uri)?.keys() ?? [])]));
    if (file && companionPaths(file).length) judgeCompanionsOf(file);
    if (file) judgeScriptsReading(file);
    if (doc.model.text.length > IN_STEPS_ABOVE) {
      prepare(doc);
      // once typing has stopped for a while (see SETTLE_AFTER_MS)
      if (doc.model.text.length > LARGE_DOCUMENT) settleLater(doc);
      // and the chain index, which the first hover or cursor move (an editor asks for the
      // highlights at the cursor as it moves) would wait for; started over when the document
      // changes between its steps
      void background.runSteps(
        undefined,
        function* () {
          // a document closed since has nothing to prepare
          if (store.holds(doc)) yield* doc.model.prepareChains();
        },
        () => doc.version,
      );
    }
  }

  /**
   * A big document is made ready for edits while the server is idle, a slice at a time (about
   * 10 ms on a kube-proxy dump), so requests are answered between slices and the first
   * keystroke does not stop for a second.
   */
  function prepare(doc: OpenDocument): void {
    if (preparing.has(doc.uri)) return;
    preparing.add(doc.uri);
    // the editor's positions are turned into offsets by the model's line table, built on
    // first use (a scan of the whole text): built now, not at the first keystroke
    void doc.model.lines;
    const step = () => {
      if (!store.holds(doc) || doc.model.prepareForEdits()) {
        preparing.delete(doc.uri);
        release?.activity();
      } else setImmediate(step);
    };
    setImmediate(step);
  }

  /** How long each document's last analysis with its model made again took (see SLOW_REBUILD_MS). */
  const rebuildCost = new WeakMap<OpenDocument, number>();

  /** Rapid edits: only the newest version is analysed; a big or slow file whose tables must be rebuilt waits for a pause in typing. */
  function schedule(doc: OpenDocument): void {
    const t = pending.get(doc.uri);
    if (t) clearTimeout(t);
    const slow = (doc.model.text.length > LARGE_DOCUMENT || (rebuildCost.get(doc) ?? 0) > SLOW_REBUILD_MS) && !doc.model.ruleSetReady;
    pending.set(doc.uri, setTimeout(() => (slow ? judgeInSteps(doc) : publish(doc)), slow ? LARGE_DOCUMENT_DELAY_MS : 0));
  }

  /** The documents whose findings are being worked out in steps (see judgeInSteps). */
  const judging = new WeakSet<OpenDocument>();

  /**
   * A slow document's findings after an edit, worked out in the background queue: its model (a
   * save file's lines are parsed again as the edit comes in, its tables patched or made again in
   * one step; a script's made again in steps), then its analysis in steps, so that requests about
   * other documents wait for a step at most. An edit meanwhile starts the job over.
   */
  function judgeInSteps(doc: OpenDocument): void {
    // its first findings are on their way, for the text as it is then; or it gets none (see publish)
    if (store.isOpening(doc) || scriptTurnedOff(doc)) return publish(doc);
    pending.delete(doc.uri);
    // the job under way starts over on a new text (see Background.runSteps), or works the
    // findings out again when asked during them (see findingsInSteps)
    if (judging.has(doc)) return askAgain(doc);
    judging.add(doc);
    let spent = 0;
    void background
      .runSteps(undefined, () => timedSteps(findingsInSteps(doc.model, contextOf(doc)), (ms) => (spent = ms)), () => doc.version)
      .catch(() => undefined)
      .then((found) => {
        judging.delete(doc);
        if (!store.holds(doc) || !found) return;
        rebuildCost.set(doc, spent);
        publish(doc, found);
      });
  }

  /** `doc`'s findings, being worked out in steps, are to be worked out again at their end (see findingsInSteps). */
  function askAgain(doc: OpenDocument): void {
    judgedAgain.set(doc, (judgedAgain.get(doc) ?? 0) + 1);
  }

  /**
   * What findingsInSteps reads of the server for `doc`: whether it is still open, and what its
   * findings are worked out with (the settings, and how many times it was to be judged again
   * while they were worked out in steps).
   */
  function contextOf(doc: OpenDocument): FindingsContext {
    const file = fileOf(doc);
    return {
      holds: () => store.holds(doc),
      judgement: () => `${settingsRead} ${judgedAgain.get(doc) ?? 0}`,
      options: () => lintOptions(doc),
      // lintOptions finds them again, with the model made for them
      prepare:
        file && doc.model.dialect === 'script'
          ? function* () {
              yield* readSourcedSteps(doc.model, file, openModel);
            }
          : undefined,
    };
  }

  /**
   * A big document opened (see IN_STEPS_ABOVE): its model and first findings are made in the
   * background queue, a slice at a time (a save file's lines 500 at a time, then 10,000 lines put
   * in their tables, a script's shell parse and then its commands a stretch at a time; then 2,000
   * commands of the analysis, the whole-set checks and what they share), where they held the
   * server for 3–4 s on a 15 MB dump; requests about
   * other documents are answered meanwhile, and those about this one answered as if it were not
   * open yet (the editor asks again). The whole-document answers asked for it wait behind it in
   * the queue. An edit meanwhile starts the job over on the new text; a settings change, or a
   * file it reads changing, works out its findings again (see findingsInSteps).
   */
  function openInSteps(doc: OpenDocument): void {
    void background
      .runSteps(
        undefined,
        () => timedSteps(findingsInSteps(doc.model, contextOf(doc)), (ms) => rebuildCost.set(doc, ms)),
        () => doc.version,
      )
      .catch(() => undefined)
      .then((found) => {
        store.opened(doc);
        if (!store.holds(doc)) return;
        publish(doc, found);
        // inlay hints asked for while it opened were answered with none
        refreshHints();
      });
  }

  /** A document the editor opened (or one judged again, see reconsiderSkipped): modelled at once, or in steps when big. */
  function openDocument(uri: string, languageId: string, version: number, text: string): void {
    const doc = store.open(uri, languageId, version, text, text.length > IN_STEPS_ABOVE);
    if (store.isOpening(doc)) openInSteps(doc);
    else publish(doc);
  }

  /**
   * Documents left without a model because it would not fit in the memory left (see
   * DocumentStore.roomFor) are opened again once a closed document makes room for them, the
   * smallest first.
   */
  function reconsiderSkipped(): void {
    const waiting = [...store.everyDocument()].filter((d) => d.model.skipped?.kind === 'memory').sort((a, b) => a.model.text.length - b.model.text.length);
    for (const doc of waiting) {
      const m = doc.model;
      if (memorySkip(m.text.length, m.dialect, store.roomFor(doc.uri))) continue;
      const t = pending.get(doc.uri);
      if (t) clearTimeout(t);
      pending.delete(doc.uri);
      openDocument(doc.uri, doc.languageId, doc.version, m.source);
    }
  }

  connection.onDidOpenTextDocument((p) => openDocument(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text));
  connection.onDidChangeTextDocument((p) => {
    const doc = store.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
    if (doc) schedule(doc);
  });
  // a save file is judged with the files beside it (ipv6-left-open reads the rules.v6 beside a
  // rules.v4): when one of them is saved, the open save files of that folder are judged again
  connection.onDidSaveTextDocument((p) => {
    // saved with another encoding (Save with Encoding): the byte order mark came or went
    const saved = store.get(p.textDocument.uri);
    const hadMark = byteOrderMarks.get(p.textDocument.uri);
    if (saved && hadMark !== undefined && p.textDocument.uri.startsWith('file://')) {
      byteOrderMarks.delete(p.textDocument.uri);
      if (byteOrderMarkOf(p.textDocument.uri, fileURLToPath(p.textDocument.uri)) !== hadMark) schedule(saved);
    }
    const folder = p.textDocument.uri.slice(0, p.textDocument.uri.lastIndexOf('/') + 1);
    for (const doc of store.everyDocument()) {
      if (doc.uri !== p.textDocument.uri && doc.uri.startsWith(folder) && !doc.uri.includes('/', folder.length) && doc.model.dialect === 'save') schedule(doc);
    }
  });
  connection.onDidCloseTextDocument((p) => {
    const t = pending.get(p.textDocument.uri);
    if (t) clearTimeout(t);
    pending.delete(p.textDocument.uri);
    settling.cancel(p.textDocument.uri);
    const closed = store.get(p.textDocument.uri);
    const file = closed && fileOf(closed);
    // one still opening made room too
    const modelled = store.queued(p.textDocument.uri)?.model.skipped === undefined;
    store.close(p.textDocument.uri);
    if (modelled) reconsiderSkipped();
    outlineCut.delete(p.textDocument.uri);
    byteOrderMarks.delete(p.textDocument.uri);
    companionRead.delete(p.textDocument.uri);
    sourcedRead.delete(p.textDocument.uri);
    watchers.forget(p.textDocument.uri);
    // closed unsaved: the files beside it read it from disk again
    if (file && companionPaths(file).length) judgeCompanionsOf(file);
    if (file) judgeScriptsReading(file);
    // a file of the workspace's check keeps its findings, now those of the file on disk
    if (workspaceFiles.has(p.textDocument.uri)) void workspaceFiles.judge(p.textDocument.uri);
    else void connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
  });

  // the client's "Check All iptables Files" command: the workspace's folders, or those it names
  connection.onRequest('iptables/checkWorkspace', (p: { folders?: string[] }, token): Promise<CheckReply> => {
    const uris = p.folders ?? params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    const folders = uris.filter((u) => u.startsWith('file://')).map((u) => fileURLToPath(u));
    return workspaceFiles.check(folders, () => token.isCancellationRequested);
  });

  // a file the findings read changed on disk (the editor watches them, see FileWatchers): the
  // documents that read it are judged again; one the editor holds counts as it holds it
  connection.onDidChangeWatchedFiles((p) => {
    for (const change of p.changes) {
      if (!change.uri.startsWith('file://')) continue;
      const path = fileURLToPath(change.uri);
      // a file made or deleted under the folders of the workspace check (see WorkspaceFiles.created)
      if (change.type === FileChangeType.Created) workspaceFiles.created(path);
      else if (change.type === FileChangeType.Deleted) workspaceFiles.deleted(path);
      if (openModel(path)) continue;
      for (const uri of watchers.readersOf(path)) {
        const doc = store.get(uri);
        if (doc) schedule(doc);
        else void workspaceFiles.judge(uri);
      }
    }
  });

  connection.onDocumentSymbol((p, token) => {
    const doc = store.queued(p.textDocument.uri);
    // written out in steps too: 1.2 MB of JSON for 5,000 kube-proxy chains (see JsonParts)
    return doc
      ? background.runSteps(
          token,
          function* () {
            const max = settings.outline.maxChains;
            const { symbols, unlisted } = yield* documentSymbolSteps(doc.model, max);
            if (unlisted && outlineCut.get(doc.uri) !== max) {
              outlineCut.set(doc.uri, max);
              connection.console.info(`The outline of ${doc.uri} lists the first ${max} chains and leaves out ${unlisted} (setting iptables.outline.maxChains).`);
            }
            return yield* jsonPartsSteps(symbols);
          },
          () => doc.version,
        )
      : [];
  });
  // folding is asked for with the others after each pause in typing (15–40 ms on the 100k
  // dump): in the queue too, so a hover sent with them does not wait for it
  connection.onFoldingRanges((p, token) => {
    const doc = store.queued(p.textDocument.uri);
    return doc ? background.run(token, () => foldingRanges(doc.model)) : [];
  });

  // the client's "Show as iptables-restore File" command asks for this
  connection.onRequest('iptables/compileToRestore', (p: { uri: string }): CompileReply => {
    // a command the user runs: a document still opening is read at once
    const doc = store.queued(p.uri);
    if (!doc) return { error: 'The document is not open.' };
    if (doc.model.dialect === 'save') return { outputs: [{ family: doc.model.family, text: doc.model.text }] };
    const r = compileScript(doc.model.text, doc.model.scriptOptions);
    if (r.refusal) return { error: `Line ${doc.model.lines.lineOf(r.refusal.span.start) + 1}: cannot compile: ${r.refusal.reason}`, range: toRange(doc.model.lines, r.refusal.span) };
    if (!r.outputs.length) return { error: 'This script holds no iptables commands.' };
    // a wg-quick configuration's rules as wg-quick loads them: its interface's name for %i
    if (doc.model.hooks === 'wg-quick') return { outputs: r.outputs.map((o) => ({ ...o, text: withInterfaceName(o.text, decodeURIComponent(doc.uri)) })) };
    return { outputs: r.outputs };
  });

  registerNavigation(connection, store);
  registerCallHierarchy(connection, store);
  // a script gets no findings while shell scripts are turned off: nothing to fix either
  registerLanguageFeatures(connection, store, (doc) => (scriptTurnedOff(doc) ? undefined : lintOptions(doc)));
  registerTrace(connection, store);
  registerSemanticTokens(connection, store, background);
  registerCodeLens(connection, store, background, () => settings.codeLens.maxLenses);
  registerInlayHints(connection, store, (doc) => settings.inlayHints.ruleNumbers && !scriptTurnedOff(doc));
}
