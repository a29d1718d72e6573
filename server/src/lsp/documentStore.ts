import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { FirewallDocument, type TextChange } from '../core/facade.ts';
import type { Dialect } from '../core/model/types.ts';

export interface OpenDocument {
  uri: string;
  languageId: string;
  text: TextDocument;
  model: FirewallDocument;
}

/** The dialect a client's language id implies; other ids are decided from the name and content. */
function dialectOf(languageId: string): Dialect | 'auto' {
  if (languageId === 'shellscript' || languageId === 'sh' || languageId === 'bash' || languageId === 'zsh') return 'script';
  if (languageId === 'iptables-save' || languageId === 'iptables') return 'save';
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
  private readonly watcher: StoreActivity | undefined;
  /** When the store was last used (performance.now()): a handler ran then (see Background). */
  lastUse = 0;

  constructor(watcher?: StoreActivity) {
    this.watcher = watcher;
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const doc: OpenDocument = {
      uri,
      languageId,
      text: TextDocument.create(uri, languageId, version, text),
      model: new FirewallDocument(text, { fileName: decodeURIComponent(uri), dialect: dialectOf(languageId) }),
    };
    this.docs.set(uri, doc);
    this.touch();
    return doc;
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    this.touch();
    let current = doc.text;
    const offsets: TextChange[] = [];
    for (const c of changes) {
      if ('range' in c) {
        const start = current.offsetAt(c.range.start);
        const end = current.offsetAt(c.range.end);
        offsets.push({ start, end, text: c.text });
      } else offsets.length = 0;
      current = TextDocument.update(current, [c], version);
    }
    doc.text = current;
    const newText = current.getText();
    if (offsets.length === changes.length && offsets.length === 1) doc.model.update(newText, offsets);
    else doc.model.update(newText);
    return doc;
  }

  close(uri: string): void {
    const doc = this.docs.get(uri);
    this.docs.delete(uri);
    this.lastUse = performance.now();
    if (doc) this.watcher?.closed(doc.model.text.length);
  }

  private touch(): void {
    this.lastUse = performance.now();
    this.watcher?.activity();
  }

  /** Every request handler asks for its document here, which makes it the place to note activity. */
  get(uri: string): OpenDocument | undefined {
    this.touch();
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    this.touch();
    return [...this.docs.values()];
  }
}
