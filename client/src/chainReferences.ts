import * as vscode from 'vscode';
import type { Location } from 'vscode-languageclient';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHAIN_REFERENCES_REQUEST, SHOW_CHAIN_REFERENCES_COMMAND, type ChainReferencesParams } from '../../server/src/lsp/lensProtocol.ts';

/**
 * The command behind a chain's "N references" lens: asks the server for the jumps and gotos
 * when the lens is clicked, and shows them in the editor's references view. VS Code's own
 * command wants its URI, position and locations as editor objects, which a lens's JSON
 * arguments are not.
 */
export function registerChainReferencesCommand(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_CHAIN_REFERENCES_COMMAND, async (uri: string, position: ChainReferencesParams['position']) => {
      const found = await client.sendRequest<Location[]>(CHAIN_REFERENCES_REQUEST, { uri, position } satisfies ChainReferencesParams);
      const convert = client.protocol2CodeConverter;
      const locations = found.map((l) => convert.asLocation(l));
      await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), convert.asPosition(position), locations);
      return locations.length;
    }),
  );
}
