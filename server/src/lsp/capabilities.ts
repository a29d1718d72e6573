import { CodeActionKind, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver';
import { semanticTokenTypes } from '../core/services/semanticTokenLegend.ts';

/** The kind of the action that applies every safe fix of a file (`editor.codeActionsOnSave: { "source.fixAll": "explicit" }`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.iptables-lint`;

/** The reply to `initialize`: what the server offers. Kept apart from the server so the reply needs none of the core. */
export function initializeResult(): InitializeResult {
  return {
    capabilities: {
      // saves: the save files beside a saved one are judged with it (rules.v6 beside rules.v4)
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '-', ',', '$'] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      definitionProvider: true,
      // a script's `. /etc/firewall.conf`: the file it reads
      documentLinkProvider: { resolveProvider: false },
      referencesProvider: true,
      // chains as a call graph: jumps and gotos are the calls
      callHierarchyProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      workspaceSymbolProvider: true,
      codeLensProvider: { resolveProvider: true },
      // each rule's number in its chain, after -A CHAIN or -I CHAIN n
      inlayHintProvider: true,
      documentFormattingProvider: true,
      semanticTokensProvider: { legend: { tokenTypes: [...semanticTokenTypes], tokenModifiers: [] }, full: { delta: true } },
    },
    serverInfo: { name: 'iptables-language-server', version: '0.1.0' },
  };
}
