import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TRACE_COMMAND, TRACE_REQUEST, type TraceResult } from '../../../server/src/lsp/traceProtocol.ts';
import { askForPacket } from './packetInput.ts';
import { pathModel, traceSummary, type Traced } from './pathModel.ts';
import { RECENT_PACKETS_KEY, rememberPacket } from './recentPackets.ts';
import { TraceView } from './traceView.ts';

/**
 * "Trace a Packet…": asks for a packet (or takes `(uri, spec)` from the "Trace from here"
 * lens or a caller), has the language server trace it, and shows the path. Returns a
 * summary (`{verdict, branches, steps}`) for callers and tests, `{refused}` when it cannot
 * trace, undefined when the user dismissed the input.
 */
export function registerTraceCommand(context: vscode.ExtensionContext, client: LanguageClient): void {
  const view = new TraceView();
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand(TRACE_COMMAND, async (uriArg?: string | vscode.Uri, specArg?: string) => {
      const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : (uriArg ?? vscode.window.activeTextEditor?.document.uri);
      if (!uri) {
        void vscode.window.showErrorMessage('Open an iptables script or rules file first.');
        return { refused: 'no-document' };
      }
      const recent = context.workspaceState.get<string[]>(RECENT_PACKETS_KEY, []);
      const spec = typeof specArg === 'string' ? specArg : await askForPacket(client, uri, recent);
      if (spec === undefined) return undefined;
      const reply = await client.sendRequest<TraceResult>(TRACE_REQUEST, { uri: uri.toString(), packet: spec });
      if ('packetError' in reply) {
        void vscode.window.showErrorMessage(`Packet: ${reply.packetError.error}`);
        return { refused: reply.packetError.error, key: reply.packetError.key };
      }
      if ('documentError' in reply) {
        void vscode.window.showErrorMessage(reply.documentError);
        return { refused: reply.documentError };
      }
      await context.workspaceState.update(RECENT_PACKETS_KEY, rememberPacket(recent, spec));
      const traced: Traced = reply;
      view.show(uri, pathModel(traced));
      return traceSummary(traced);
    }),
  );
}
