import { CodeActionKind, CompletionItemKind, MarkupKind, type CodeAction, type CompletionItem, type Connection, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Fix } from '../core/analysis/types.ts';
import { completionsAt, type CompletionKind } from '../core/services/completion.ts';
import { hoverAt } from '../core/services/hover.ts';
import { cancelledReply } from './cancellation.ts';
import { toRange } from './convert.ts';
import type { DocumentStore } from './documentStore.ts';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  table: CompletionItemKind.Module,
  chain: CompletionItemKind.Function,
  builtinChain: CompletionItemKind.Event,
  target: CompletionItemKind.Keyword,
  match: CompletionItemKind.Class,
  option: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  keyword: CompletionItemKind.Keyword,
};

/** Hover, completion and quick fixes: each asks the core and converts offsets. */
export function registerLanguageFeatures(connection: Connection, store: DocumentStore): void {
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
    const items = r.items.map((i, n) => ({
      label: i.label,
      kind: KIND[i.kind],
      detail: i.detail,
      sortText: String(n).padStart(4, '0'),
      textEdit: { range, newText: i.insertText ?? i.label },
    }));
    return { isIncomplete: r.incomplete, items };
  });

  connection.onCodeAction((p): CodeAction[] => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return [];
    const out: CodeAction[] = [];
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
