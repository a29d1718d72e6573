import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { FirewallDocument, type TextChange } from '../core/facade.ts';
import { LineIndex, type Position } from '../core/text/lineIndex.ts';
import type { Dialect } from '../core/model/types.ts';
import { scriptByContent } from '../core/dialect.ts';
import { ALL_LINES_CHANGED, linesTouched, type ChangedLines } from './changedLines.ts';
import { keptModelBytes } from '../core/limits.ts';
import { HEAP_RESERVE } from '../node/heapRoom.ts';

export interface OpenDocument {
  uri: string;
  languageId: string;
  /** The client's version of the text (the model holds the text). */
  version: number;
  model: FirewallDocument;
}

/**
 * The dialect a client's language id implies; other ids are decided from the name and content.
 * Editors give the iptables-save id by file name (`*.iptables`): a text that calls iptables
 * there is a script all the same (see scriptByContent).
 */
function dialectOf(languageId: string, text: string): Dialect | 'auto' {
  if (languageId === 'wireguard' || languageId === 'ifupdown') return 'script';
  if (languageId === 'shellscript' || languageId === 'sh' || languageId === 'bash' || languageId === 'zsh') return 'script';
  if (languageId === 'iptables-save' || languageId === 'iptables') return scriptByContent(text) ? 'script' : 'save';
  return 'auto';
}

/** Told when the documents are used, and when one is closed (see MemoryRelease). */
export interface StoreActivity {
  activity(): void;
  closed(size: number): void;
}

/**
 * Open documents with their models. Incremental edits are turned into offset changes on
 * the text they apply to, so the core re-parses only the lines they touch.
 */
export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  /** Documents whose model is made in steps (see open). */
  private readonly opening = new Set<OpenDocument>();
  /** Documents whose text holds a carriage return: their positions are read by a TextDocument (see change). */
  private readonly withReturns = new Map<string, TextDocument>();
  private readonly watcher: StoreActivity | undefined;
  /** When the store was last used (performance.now()): a handler ran then (see Background). */
  lastUse = 0;
  private readonly lineListeners: ((doc: OpenDocument, changed: Readonly<ChangedLines>) => void)[] = [];
  /** The heap the process may grow to (see heapLimit); undefined: documents are modelled whatever their size. */
  private readonly heapLimit: number | undefined;

  constructor(watcher?: StoreActivity, heapLimit?: number) {
    this.watcher = watcher;
    this.heapLimit = heapLimit;
  }

  /**
   * The heap a model of `uri` may take (DocumentOptions.memoryRoom): the limit less the reserve
   * and what the other open documents' models keep (see keptModelBytes; those not modelled keep
   * their text only).
   */
  roomFor(uri: string): number | undefined {
    if (this.heapLimit === undefined) return undefined;
    let held = HEAP_RESERVE;
    for (const doc of this.docs.values()) {
      if (doc.uri === uri) continue;
      const m = doc.model;
      held += m.skipped ? 2 * m.text.length : keptModelBytes(m.text.length, m.dialect);
    }
    return this.heapLimit - held;
  }

  /**
   * `inSteps`: the model and first findings are made later, in steps (a save file's lines
   * parsed a few at a time, see FirewallDocument.prepareModel; the analysis a few commands at a
   * time, see diagnosticsSteps); the document is opening until `opened` says otherwise.
   */
  open(uri: string, languageId: string, version: number, text: string, inSteps = false): OpenDocument {
    // a WireGuard or ifupdown configuration's hooks are the script (see model/hookFiles.ts); editors without the id find it by name and content
    const hooks = languageId === 'wireguard' ? ('wg-quick' as const) : languageId === 'ifupdown' ? ('ifupdown' as const) : undefined;
    const memoryRoom = this.roomFor(uri);
    const doc: OpenDocument = { uri, languageId, version, model: new FirewallDocument(text, { fileName: decodeURIComponent(uri), dialect: dialectOf(languageId, text), hooks, deferModel: inSteps, memoryRoom }) };
    if (inSteps) this.opening.add(doc);
    this.docs.set(uri, doc);
    if (text.includes('\r')) this.withReturns.set(uri, TextDocument.create(uri, languageId, version, text));
    else this.withReturns.delete(uri);
    this.touch();
    return doc;
  }

  /**
   * The editor's changes, turned into offsets and applied to the model. The positions are
   * read with the model's own line table, and the new text is left as the model makes it
   * (pieces of the old one, see EditedText): vscode-languageserver-textdocument reads the
   * new text as soon as it has made it (a check for a CRLF pair across the edit), which copied
   * a 15 MB dump into one piece on every keystroke (45 ms of the 60 measured). It still serves
   * texts with a carriage return: it counts a lone `\r` as a line break, as editors do, and
   * the model's table does not.
   */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    this.touch();
    if (!this.withReturns.has(uri) && changes.some((c) => c.text.includes('\r'))) {
      this.withReturns.set(uri, TextDocument.create(uri, doc.languageId, doc.version, doc.model.source));
    }
    const withReturns = this.withReturns.get(uri);
    const { text, offsets } = withReturns ? applyWithTextDocument(withReturns, changes, version) : applyChanges(doc.model, changes);
    doc.version = version;
    let changed: Readonly<ChangedLines> = ALL_LINES_CHANGED;
    if (offsets.length === changes.length && offsets.length === 1) {
      changed = linesTouched(doc.model.lines, offsets[0]);
      doc.model.update(text, offsets);
    } else doc.model.update(text);
    for (const listener of this.lineListeners) listener(doc, changed);
    return doc;
  }

  /** Told after each edit which lines of the document it may have changed (the model's lines: a lone `\r` is no line break there). */
  onLinesChanged(listener: (doc: OpenDocument, changed: Readonly<ChangedLines>) => void): void {
    this.lineListeners.push(listener);
  }

  close(uri: string): void {
    const doc = this.docs.get(uri);
    if (doc) this.opening.delete(doc);
    this.docs.delete(uri);
    this.withReturns.delete(uri);
    this.lastUse = performance.now();
    forgetLastMatch();
    if (doc) this.watcher?.closed(doc.model.text.length);
  }

  private touch(): void {
    this.lastUse = performance.now();
    this.watcher?.activity();
  }

  /**
   * Every request handler asks for its document here, which makes it the place to note
   * activity. A document still opening (see isOpening) is not given: its model is being made
   * in steps, and a handler would make it at once.
   */
  get(uri: string): OpenDocument | undefined {
    this.touch();
    const doc = this.docs.get(uri);
    return doc && this.opening.has(doc) ? undefined : doc;
  }

  /**
   * The document for an answer worked out in the background queue (see Background), given even
   * while it is opening: the queue runs its jobs in turn, the opening one first.
   */
  queued(uri: string): OpenDocument | undefined {
    this.touch();
    return this.docs.get(uri);
  }

  /** Whether the editor has `uri` open (opening or not). Not a use (see holds). */
  has(uri: string): boolean {
    return this.docs.has(uri);
  }

  /** Whether `doc`'s model is still being made in steps, its first findings with it (see open). */
  isOpening(doc: OpenDocument): boolean {
    return this.opening.has(doc);
  }

  /** `doc`'s model and first findings are made: requests about it are answered. */
  opened(doc: OpenDocument): void {
    this.opening.delete(doc);
  }

  /**
   * Whether `doc` is still the open document of its URI. Not a use: the server's own work
   * between requests asks this, and a use would hold off the whole-document answers that wait
   * for the documents to go unused (see Background) by another moment each time.
   */
  holds(doc: OpenDocument): boolean {
    return this.docs.get(doc.uri) === doc;
  }

  /** The open documents, those still opening left out (see get). */
  all(): OpenDocument[] {
    this.touch();
    const out: OpenDocument[] = [];
    for (const doc of this.docs.values()) if (!this.opening.has(doc)) out.push(doc);
    return out;
  }

  /** The open documents, those still opening too: for the server's own work that reads what a document is (its name, its dialect), not its model. Not a use (see holds). */
  everyDocument(): Iterable<OpenDocument> {
    return this.docs.values();
  }
}

/**
 * The changes applied in turn to the model's text, with their offsets (in the text each applies
 * to). The first is cut from the model's text without joining the pieces earlier edits made of
 * it (see EditedText); the text a change makes is read by the next as it is.
 */
function applyChanges(model: FirewallDocument, changes: TextDocumentContentChangeEvent[]): { text: string; offsets: TextChange[] } {
  const offsets: TextChange[] = [];
  // edits apply to the document as written: a file of hooks' `text` is a view of it
  const hooked = model.hooks !== undefined;
  let text = hooked ? model.source : model.text;
  let lines = model.lines;
  let read = hooked ? (from: number, to: number) => text.slice(from, to) : (from: number, to: number) => model.read(from, to);
  for (const [i, c] of changes.entries()) {
    if ('range' in c) {
      const a = offsetIn(lines, c.range.start);
      const b = offsetIn(lines, c.range.end);
      const change = { start: Math.min(a, b), end: Math.max(a, b), text: c.text };
      offsets.push(change);
      const next = read(0, change.start) + change.text + read(change.end, text.length);
      // the next change's positions are in the text this one made
      if (i + 1 < changes.length) lines = LineIndex.afterEdit(lines, change, next);
      text = next;
    } else {
      offsets.length = 0;
      text = c.text;
      lines = new LineIndex(text);
    }
    const current = text;
    read = (from, to) => current.slice(from, to);
  }
  return { text, offsets };
}

/**
 * The offset of an editor's position, as TextDocument.offsetAt gives it for a text without a
 * carriage return: a line past the end is the end; a character past the end of its line is
 * the end of the line, before its line break.
 */
export function offsetIn(lines: LineIndex, p: Position): number {
  if (p.line >= lines.lineCount) return lines.length;
  if (p.line < 0) return 0;
  const start = lines.lineStarts[p.line];
  if (p.character <= 0) return start;
  const last = p.line + 1 >= lines.lineCount;
  const end = last ? lines.length : lines.lineStarts[p.line + 1] - 1;
  return Math.min(start + p.character, end);
}

function applyWithTextDocument(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): { text: string; offsets: TextChange[] } {
  const offsets: TextChange[] = [];
  for (const c of changes) {
    if ('range' in c) {
      const a = document.offsetAt(c.range.start);
      const b = document.offsetAt(c.range.end);
      offsets.push({ start: Math.min(a, b), end: Math.max(a, b), text: c.text });
    } else offsets.length = 0;
    TextDocument.update(document, [c], version);
  }
  return { text: document.getText(), offsets };
}

/**
 * JavaScript keeps the text of the last regular-expression match for `RegExp.input` and
 * `RegExp.lastMatch`, and V8 keeps it as it was given: when that was a line of the document
 * just closed, a slice of its text, the whole text stayed in memory until some other match.
 * A match on an empty string takes its place.
 */
function forgetLastMatch(): void {
  /(?:)/.exec('');
}
