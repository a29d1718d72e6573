import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CheckReply } from '../../server/src/lsp/workspaceFiles.ts';

/**
 * "Check All iptables Files in the Workspace": the server judges the iptables files of the
 * workspace's folders from disk, as `iptables-lint DIR` does, and pushes their findings, which
 * the Problems view lists without the files being open (and keeps up to date as they change).
 */
export function registerCheckWorkspaceCommand(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('iptables.checkWorkspace', async (): Promise<CheckReply | { refused: string }> => {
      const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.toString()) ?? [];
      if (!folders.length) {
        void vscode.window.showErrorMessage('Open a folder to check its iptables files.');
        return { refused: 'no-folder' };
      }
      const reply = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking the iptables files of the workspace', cancellable: true }, (_progress, token) =>
        client.sendRequest<CheckReply>('iptables/checkWorkspace', { folders }, token),
      );
      if (reply.superseded) return reply;
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      void vscode.window.showInformationMessage(`${plural(reply.files, 'iptables file')} checked: ${plural(reply.errors, 'error')}, ${plural(reply.warnings, 'warning')}.`);
      if (reply.errors || reply.warnings) void vscode.commands.executeCommand('workbench.actions.view.problems');
      return reply;
    }),
  );
}
