// The fix-all through VS Code: `editor.codeActionsOnSave` asks the language client for the
// `source.fixAll.iptables-lint` action when a file is saved, and VS Code applies it before writing.
import * as vscode from 'vscode';
import { diagnosticsWith, eventually, expect, workspaceFile, type Check } from './support.ts';

const WRITTEN = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\nCOMMIT\n';
const FIXED = WRITTEN.replace('-m state --state ESTABLISHED', '-m conntrack --ctstate ESTABLISHED').replace('-m state --state NEW', '-m conntrack --ctstate NEW');

export const checks: Check[] = [
  {
    name: 'saving with codeActionsOnSave source.fixAll.iptables-lint rewrites the state matches, and only those',
    async run() {
      const uri = workspaceFile('fix-on-save.rules');
      await vscode.workspace.fs.writeFile(uri, Buffer.from(WRITTEN));
      const editor = vscode.workspace.getConfiguration('editor', { languageId: 'iptables-save' });
      await editor.update('codeActionsOnSave', { 'source.fixAll.iptables-lint': 'explicit' }, vscode.ConfigurationTarget.Global, true);
      try {
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { preview: false });
        await eventually('the state matches reported', () => (diagnosticsWith(doc.uri, 'deprecated-state-match').length === 2 ? true : undefined));
        // a change to save: a comment at the end
        const edit = new vscode.WorkspaceEdit();
        edit.insert(doc.uri, doc.positionAt(doc.getText().length), '# saved\n');
        expect(await vscode.workspace.applyEdit(edit), 'edit applied');
        await vscode.commands.executeCommand('workbench.action.files.save');
        await eventually('the file on disk fixed', async () => (Buffer.from(await vscode.workspace.fs.readFile(uri)).toString() === `${FIXED}# saved\n` ? true : undefined));
        expect(doc.getText() === `${FIXED}# saved\n`, `the editor's text: ${JSON.stringify(doc.getText())}`);
        await eventually('no state match reported', () => (diagnosticsWith(doc.uri, 'deprecated-state-match').length === 0 ? true : undefined));
      } finally {
        await editor.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Global, true);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await vscode.workspace.fs.delete(uri);
      }
    },
  },
];
