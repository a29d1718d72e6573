// Completion through VS Code's provider command, at the end of a rule typed up to `-j `.
import * as vscode from 'vscode';
import { eventually, expect, lineOf, openExample, withEdit, type Check } from './support.ts';

/** Inserts `rule` as a new line after the line containing `after`, and completes at its end. */
async function targetsAfter(doc: vscode.TextDocument, after: string, rule: string): Promise<string[]> {
  const line = lineOf(doc, after) + 1;
  return withEdit(
    doc,
    (e) => e.insert(doc.uri, new vscode.Position(line, 0), `${rule}\n`),
    () =>
      eventually(`completions after '${rule}'`, async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, rule.length));
        const labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        // the word-based suggestions of the editor do not count: wait for the server's targets
        return labels.includes('ACCEPT') ? labels : undefined;
      }),
  );
}

export const checks: Check[] = [
  {
    name: 'completion after -j offers DNAT in nat PREROUTING and not in filter INPUT (rules.v4)',
    async run() {
      const doc = await openExample('rules.v4');
      const nat = await targetsAfter(doc, ':POSTROUTING ACCEPT', '-A PREROUTING -i eth0 -p tcp -j ');
      expect(nat.includes('DNAT') && nat.includes('REDIRECT'), `nat PREROUTING offers DNAT and REDIRECT: ${nat.join(' ')}`);
      expect(!nat.includes('MASQUERADE'), 'nat PREROUTING does not offer MASQUERADE');
      const filter = await targetsAfter(doc, ':office-in -', '-A INPUT -p tcp -j ');
      expect(!filter.includes('DNAT'), `filter INPUT does not offer DNAT: ${filter.join(' ')}`);
      expect(filter.includes('REJECT') && filter.includes('office-in'), `filter INPUT offers REJECT and the user chain: ${filter.join(' ')}`);
    },
  },
  {
    name: 'completion after -j in the router script follows -t nat -A PREROUTING',
    async run() {
      const doc = await openExample('port-forward-router.sh');
      const nat = await targetsAfter(doc, '# port forward', '$IPT -t nat -A PREROUTING -i wan0 -p tcp -j ');
      expect(nat.includes('DNAT'), `nat PREROUTING offers DNAT: ${nat.join(' ')}`);
      const filter = await targetsAfter(doc, '# the router itself', '$IPT -A INPUT -p tcp -j ');
      expect(!filter.includes('DNAT') && filter.includes('REJECT'), `filter INPUT: ${filter.join(' ')}`);
    },
  },
];
