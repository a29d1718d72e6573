import { ResponseError, type Connection, type DocumentHighlight, type DocumentLink, type Location, type TextEdit } from 'vscode-languageserver';
import { DocumentHighlightKind, SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver';
import { formatSave } from '../core/services/formatSave.ts';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../core/services/navigation.ts';
import { keptNameAt } from '../core/services/keptNames.ts';
import { setReferencesAt } from '../core/services/setNames.ts';
import { sourceLinks, variableDefinitionAt } from '../core/services/variables.ts';
import { LineIndex } from '../core/text/lineIndex.ts';
import { spanCovers } from '../core/text/span.ts';
import { pathToFileURL } from 'node:url';
import { toRange } from './convert.ts';
import type { DocumentStore } from './documentStore.ts';

/** Chains (and ipsets, hashlimit tables, rate estimators, recent lists, a script's variables) as symbols to jump to: definition, references, rename, highlights, formatting. */
export function registerNavigation(connection: Connection, store: DocumentStore): void {
  const docAt = (uri: string, position: { line: number; character: number }) => {
    const doc = store.get(uri);
    return doc ? { doc, offset: doc.model.lines.offsetAt(position) } : undefined;
  };

  connection.onDefinition((p): Location[] => {
    const at = docAt(p.textDocument.uri, p.position);
    if (!at) return [];
    const chains = definitionAt(at.doc.model.chains, at.offset);
    // an ipset's name: the script's ipset create that makes it; a hashlimit table, estimator
    // or recent list: the rules that make or fill it
    const rs = at.doc.model.ruleSet;
    const spans = chains.length
      ? chains.map((r) => r.span)
      : (setReferencesAt(rs, at.offset)?.refs.filter((r) => r.kind === 'create').map((r) => r.span) ?? keptNameAt(rs, at.offset)?.refs.filter((r) => r.makes).map((r) => r.span) ?? []);
    if (!spans.length) {
      // the path of a `.` or `source`: the file read
      const link = sourceLinks(rs).find((l) => spanCovers(l.span, at.offset));
      if (link) return [{ uri: pathToFileURL(link.file).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
      // a script's `$WAN`: the assignment that gave it its value here, in the script or in the
      // configuration it reads with `.`
      const v = variableDefinitionAt(rs, at.doc.model.text, at.offset);
      if (v && !v.from) return [{ uri: at.doc.uri, range: toRange(at.doc.model.lines, v.span) }];
      const file = v?.from && [...(at.doc.model.sourced?.values() ?? [])].find((t) => t.file === v.from!.file);
      if (v && file) return [{ uri: pathToFileURL(file.file).href, range: toRange(new LineIndex(file.text), v.span) }];
    }
    return spans.map((span) => ({ uri: at.doc.uri, range: toRange(at.doc.model.lines, span) }));
  });

  // a script's `.` and `source` paths open the file read (found as the findings found it)
  connection.onDocumentLinks((p): DocumentLink[] => {
    const doc = store.get(p.textDocument.uri);
    // only scripts read files; a save file's rule set is not built for this (VS Code asks after each pause in typing)
    if (!doc || doc.model.dialect !== 'script') return [];
    return sourceLinks(doc.model.ruleSet).map((l) => ({ range: toRange(doc.model.lines, l.span), target: pathToFileURL(l.file).href, tooltip: 'The file this script reads here' }));
  });

  connection.onReferences((p): Location[] => {
    const at = docAt(p.textDocument.uri, p.position);
    if (!at) return [];
    const chains = referencesAt(at.doc.model.chains, at.offset, p.context.includeDeclaration);
    const rs = at.doc.model.ruleSet;
    const spans = chains.length
      ? chains.map((r) => r.span)
      : (setReferencesAt(rs, at.offset)?.refs.filter((r) => p.context.includeDeclaration || r.kind !== 'create').map((r) => r.span) ??
        keptNameAt(rs, at.offset)?.refs.filter((r) => p.context.includeDeclaration || !r.makes).map((r) => r.span) ??
        []);
    return spans.map((span) => ({ uri: at.doc.uri, range: toRange(at.doc.model.lines, span) }));
  });

  connection.onDocumentHighlight((p): DocumentHighlight[] => {
    const at = docAt(p.textDocument.uri, p.position);
    if (!at) return [];
    const chains = referencesAt(at.doc.model.chains, at.offset, true);
    if (!chains.length) {
      const rs = at.doc.model.ruleSet;
      const sets = setReferencesAt(rs, at.offset)?.refs.map((r) => ({ span: r.span, writes: r.kind !== 'rule' }));
      const refs = sets ?? keptNameAt(rs, at.offset)?.refs.map((r) => ({ span: r.span, writes: r.makes })) ?? [];
      return refs.map((r) => ({ range: toRange(at.doc.model.lines, r.span), kind: r.writes ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
    }
    return chains.map((r) => ({
      range: toRange(at.doc.model.lines, r.span),
      kind: r.kind === 'declaration' || r.kind === 'command' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
  });

  connection.onPrepareRename((p) => {
    const at = docAt(p.textDocument.uri, p.position);
    if (!at) return null;
    const r = prepareRenameAt(at.doc.model.chains, at.offset);
    if (!r) return null;
    if ('error' in r) throw new ResponseError(0, r.error);
    return { range: toRange(at.doc.model.lines, r.span), placeholder: r.name };
  });

  connection.onRenameRequest((p) => {
    const at = docAt(p.textDocument.uri, p.position);
    if (!at) return null;
    const r = renameAt(at.doc.model.chains, at.offset, p.newName);
    if (r.error) throw new ResponseError(0, r.error);
    const edits: TextEdit[] = (r.edits ?? []).map((s) => ({ range: toRange(at.doc.model.lines, s), newText: p.newName }));
    return { changes: { [at.doc.uri]: edits } };
  });

  connection.onWorkspaceSymbol((p): WorkspaceSymbol[] => {
    const q = p.query.toLowerCase();
    const out: WorkspaceSymbol[] = [];
    for (const doc of store.all()) {
      for (const t of doc.model.ruleSet.tables.values()) {
        for (const c of t.chains.values()) {
          const decl = c.declarations[0];
          if (!decl || (q && !c.name.toLowerCase().includes(q))) continue;
          out.push({ name: c.name, kind: c.builtin ? SymbolKind.Event : SymbolKind.Function, containerName: t.name, location: { uri: doc.uri, range: toRange(doc.model.lines, decl.span) } });
        }
      }
    }
    return out;
  });

  connection.onDocumentFormatting((p): TextEdit[] => {
    const doc = store.get(p.textDocument.uri);
    if (!doc || doc.model.dialect !== 'save') return [];
    const text = doc.model.text;
    const formatted = formatSave(text);
    if (formatted === text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: doc.model.lines.positionAt(text.length) }, newText: formatted }];
  });
}
