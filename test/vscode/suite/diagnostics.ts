// Diagnostics as VS Code holds them: pushed by our language server through the language client.
import * as vscode from 'vscode';
import { codeOf, describe, diagnosticsWith, eventually, expect, lineOf, openExample, type Check } from './support.ts';

export const checks: Check[] = [
  {
    name: 'the router script is a shell script with the DNAT warning on its port-forward rule',
    async run() {
      const doc = await openExample('port-forward-router.sh');
      expect(doc.languageId === 'shellscript', `language id ${doc.languageId}`);
      const dnatLine = lineOf(doc, '-j DNAT');
      const found = await eventually('dnat-without-forward-accept in the router script', () => {
        const d = diagnosticsWith(doc.uri, 'dnat-without-forward-accept');
        return d.length ? d : undefined;
      });
      expect(found.length === 1, `one DNAT warning, got ${describe(found)}`);
      const [d] = found;
      expect(d.range.start.line === dnatLine, `on the DNAT rule (line ${dnatLine + 1}), got ${describe(found)}`);
      expect(d.severity === vscode.DiagnosticSeverity.Warning, `severity ${d.severity}`);
      const target = typeof d.code === 'object' ? d.code.target : undefined;
      expect(target?.path.endsWith('/docs/rules/dnat-without-forward-accept.md'), `code links to its doc page: ${target?.toString()}`);
    },
  },
  {
    name: 'rules.v4 is an iptables-save file, clean, and its diagnostics follow edits',
    async run() {
      const doc = await openExample('rules.v4');
      expect(doc.languageId === 'iptables-save', `language id ${doc.languageId}`);
      const line = lineOf(doc, '-A office-in -p tcp');
      const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('--dport'));
      // a typo proves the server reads this file live; undoing it must leave no finding at all
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(at, at.translate(0, '--dport'.length)), '--dprt');
      expect(await vscode.workspace.applyEdit(edit), 'typo applied');
      const typo = await eventually('unknown-option for --dprt', () => {
        const d = diagnosticsWith(doc.uri, 'unknown-option');
        return d.length ? d : undefined;
      });
      expect(typo[0].range.start.line === line && typo[0].range.start.character === at.character, `at the typo, got ${describe(typo)}`);
      const undo = new vscode.WorkspaceEdit();
      undo.replace(doc.uri, new vscode.Range(at, at.translate(0, '--dprt'.length)), '--dport');
      expect(await vscode.workspace.applyEdit(undo), 'typo reverted');
      await eventually('rules.v4 clean again', () => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined));
      await doc.save();
    },
  },
  {
    name: 'broken.iptables shows its errors with exact positions',
    async run() {
      const doc = await openExample('broken.iptables');
      const want = ['unknown-target@6:27', 'unknown-option@12:17', 'invalid-value@13:13', 'undefined-chain@14:13', 'missing-commit@8:1'];
      const got = await eventually('the errors of broken.iptables', () => {
        const seen = vscode.languages.getDiagnostics(doc.uri).map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
        return want.every((w) => seen.includes(w)) ? seen : undefined;
      });
      expect(got.length >= want.length, got.join(', '));
    },
  },
];
