import { SymbolKind, type CallHierarchyItem, type Connection } from 'vscode-languageserver';
import type { Family } from '../core/knowledge/types.ts';
import { calleesOf, callersOf, chainNode, chainNodeAt, type ChainNode } from '../core/services/callHierarchy.ts';
import { toRange } from './convert.ts';
import { tableLabel } from './symbols.ts';
import type { DocumentStore, OpenDocument } from './documentStore.ts';

/** What an item carries back to the server: the chain, found again in the document as it is then. */
interface ChainKey {
  family: Family;
  table: string;
  name: string;
}

/** Call hierarchy over chains: jumps and gotos are the calls (see core/services/callHierarchy.ts). */
export function registerCallHierarchy(connection: Connection, store: DocumentStore): void {
  const item = (doc: OpenDocument, c: ChainNode): CallHierarchyItem => ({
    name: c.name,
    kind: c.builtin ? SymbolKind.Event : SymbolKind.Function,
    detail: tableLabel(c.family, c.table, doc.model.dialect),
    uri: doc.uri,
    range: toRange(doc.model.lines, c.line),
    selectionRange: toRange(doc.model.lines, c.span),
    data: { family: c.family, table: c.table, name: c.name } satisfies ChainKey,
  });
  const chainOf = (it: CallHierarchyItem) => {
    const doc = store.get(it.uri);
    const key = it.data as ChainKey | undefined;
    const c = doc && key && chainNode(doc.model.chains, key.family, key.table, key.name);
    return doc && c ? { doc, c } : undefined;
  };

  connection.languages.callHierarchy.onPrepare((p) => {
    const doc = store.get(p.textDocument.uri);
    const c = doc && chainNodeAt(doc.model.chains, doc.model.lines.offsetAt(p.position));
    return doc && c ? [item(doc, c)] : null;
  });

  connection.languages.callHierarchy.onIncomingCalls((p) => {
    const at = chainOf(p.item);
    if (!at) return [];
    return callersOf(at.doc.model.chains, at.c).map((k) => ({ from: item(at.doc, k.chain), fromRanges: k.spans.map((s) => toRange(at.doc.model.lines, s)) }));
  });

  connection.languages.callHierarchy.onOutgoingCalls((p) => {
    const at = chainOf(p.item);
    if (!at) return [];
    return calleesOf(at.doc.model.chains, at.c).map((k) => ({ to: item(at.doc, k.chain), fromRanges: k.spans.map((s) => toRange(at.doc.model.lines, s)) }));
  });
}
