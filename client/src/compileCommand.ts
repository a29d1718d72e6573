import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface CompileReply {
  outputs?: { family: string; text: string }[];
  error?: string;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** "Show as iptables-restore File": asks the server, opens the result as an untitled document. */
export function registerCompileCommand(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('iptables.compileToRestore', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showErrorMessage('Open an iptables script first.');
        return { refused: 'no-document' };
      }
      const reply = (await client.sendRequest('iptables/compileToRestore', { uri: target.toString() })) as CompileReply;
      if (reply.error || !reply.outputs) {
        void vscode.window.showErrorMessage(reply.error ?? 'Nothing to compile.');
        if (reply.range && vscode.window.activeTextEditor) {
          const r = reply.range;
          vscode.window.activeTextEditor.selection = new vscode.Selection(r.start.line, r.start.character, r.end.line, r.end.character);
        }
        return { refused: reply.error };
      }
      for (const out of reply.outputs) {
        const doc = await vscode.workspace.openTextDocument({ language: 'iptables-save', content: out.text });
        await vscode.window.showTextDocument(doc, { preview: false });
      }
      return { documents: reply.outputs.length };
    }),
  );
}
