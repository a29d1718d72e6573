import { CodeActionKind, CompletionItemKind, CompletionItemTag, MarkupKind, type CodeAction, type CompletionItem, type Connection, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { RunOptions } from '../core/analysis/engine.ts';
import type { Fix, FixEdit } from '../core/analysis/types.ts';
import { completionsAt, type CompletionKind } from '../core/services/completion.ts';
import { fixAll } from '../core/services/fixAll.ts';
import { hoverAt } from '../core/services/hover.ts';
import { FIX_ALL_KIND } from './capabilities.ts';
import { cancelledReply } from './cancellation.ts';
import { toRange } from './convert.ts';
import type { DocumentStore, OpenDocument } from './documentStore.ts';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  table: CompletionItemKind.Module,
  chain: CompletionItemKind.Function,
  builtinChain: CompletionItemKind.Event,
  target: CompletionItemKind.Keyword,
  match: CompletionItemKind.Class,
  option: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  keyword: CompletionItemKind.Keyword,
  variable: CompletionItemKind.Variable,
};

/**
 * Every safe fix of the document (see fixAll), as `iptables-lint --fix` makes them; undefined
 * when there is none. The edits are the fixes' own when one pass made them all, else one
 * replacement of the text between the first and the last change.
 */
function fixAllAction(doc: OpenDocument, connection: Connection, lintOptions: (doc: OpenDocument) => RunOptions | undefined): CodeAction | undefined {
  const options = lintOptions(doc);
  if (!options) return undefined;
  try {
    const model = doc.model;
    const text = model.source;
    const r = fixAll(text, model.documentOptions, options, model.diagnostics(options));
    if (!r.fixed) return undefined;
    const lines = model.lines;
    const edits = r.edits ?? [changedMiddle(text, r.text)];
    return {
      title: `Apply the ${r.fixed === 1 ? 'fix' : `${r.fixed} fixes`} that keep${r.fixed === 1 ? 's' : ''} what the rules do (iptables-lint --fix)`,
      kind: FIX_ALL_KIND,
      edit: { changes: { [doc.uri]: edits.map((e) => ({ range: toRange(lines, e.span), newText: e.text })) } },
    };
  } catch (e) {
    connection.console.error(`fix-all failed: ${e instanceof Error ? e.stack : String(e)}`);
    return undefined;
  }
}

/** One edit turning `a` into `b`: what lies between their common start and common end. */
function changedMiddle(a: string, b: string): FixEdit {
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  return { span: { start, end: a.length - end }, text: b.slice(start, b.length - end) };
}

/**
 * Hover, completion, quick fixes and the fix-all: each asks the core and converts offsets.
 * `lintOptions` is what a document's findings are judged with (undefined: it gets none).
 */
export function registerLanguageFeatures(connection: Connection, store: DocumentStore, lintOptions: (doc: OpenDocument) => RunOptions | undefined): void {
  connection.onHover((p, token) => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return null;
    const cancelled = cancelledReply(token);
    if (cancelled) return cancelled;
    try {
      const h = hoverAt(doc.model, doc.model.lines.offsetAt(p.position));
      return h ? { range: toRange(doc.model.lines, h.span), contents: { kind: MarkupKind.Markdown, value: h.markdown } } : null;
    } catch (e) {
      // a bug in hover must not cost the user the rest of the server
      connection.console.error(`hover failed: ${e instanceof Error ? e.stack : String(e)}`);
      return null;
    }
  });

  connection.onCompletion((p, token) => {
    const cancelled = cancelledReply(token);
    if (cancelled) return cancelled;
    const doc = store.get(p.textDocument.uri);
    if (!doc) return [] as CompletionItem[];
    let r: ReturnType<typeof completionsAt>;
    try {
      r = completionsAt(doc.model, doc.model.lines.offsetAt(p.position));
    } catch (e) {
      // a bug in completion must not cost the user the rest of the server
      connection.console.error(`completion failed: ${e instanceof Error ? e.stack : String(e)}`);
      return [];
    }
    if (!r) return [];
    const range = toRange(doc.model.lines, r.replace);
    const items = r.items.map((i, n): CompletionItem => ({
      label: i.label,
      kind: KIND[i.kind],
      detail: i.detail,
      sortText: String(n).padStart(4, '0'),
      textEdit: { range, newText: i.insertText ?? i.label },
      tags: i.deprecated ? [CompletionItemTag.Deprecated as CompletionItemTag] : undefined,
    }));
    return { isIncomplete: r.incomplete, items };
  });

  connection.onCodeAction((p): CodeAction[] => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return [];
    const out: CodeAction[] = [];
    const only = p.context.only;
    // asked for by kind (on save, the Source Action menu): the fixes of the whole file
    if (only?.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(`${k}.`))) {
      const action = fixAllAction(doc, connection, lintOptions);
      if (action) out.push(action);
    }
    if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`))) return out;
    for (const d of p.context.diagnostics as (LspDiagnostic & { data?: { fixes?: Fix[] } })[]) {
      for (const fix of (d.data?.fixes ?? []) as Fix[]) {
        out.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: out.length === 0,
          edit: { changes: { [doc.uri]: fix.edits.map((e: Fix["edits"][number]) => ({ range: toRange(doc.model.lines, e.span), newText: e.text })) } },
        });
      }
    }
    return out;
  });
}
