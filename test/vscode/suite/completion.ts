// Completion through VS Code's provider command, at the end of a rule typed up to `-j `.
import * as vscode from 'vscode';
import { eventually, expect, lineOf, openExample, withEdit, type Check } from './support.ts';

/** Inserts `rule` as a new line after the line containing `after`, and completes at its end once the server's items include `waitFor`. */
async function completeAfter(doc: vscode.TextDocument, after: string, rule: string, waitFor: string): Promise<vscode.CompletionItem[]> {
  const line = lineOf(doc, after) + 1;
  return withEdit(
    doc,
    (e) => e.insert(doc.uri, new vscode.Position(line, 0), `${rule}\n`),
    () =>
      eventually(`completions after '${rule}'`, async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, rule.length));
        // the word-based suggestions of the editor (kind Text) do not count: wait for the server's items
        const items = (list?.items ?? []).filter((i) => i.kind !== vscode.CompletionItemKind.Text);
        return items.some((i) => labelOf(i) === waitFor) ? items : undefined;
      }),
  );
}

function labelOf(i: vscode.CompletionItem): string {
  return typeof i.label === 'string' ? i.label : i.label.label;
}

async function targetsAfter(doc: vscode.TextDocument, after: string, rule: string): Promise<string[]> {
  return (await completeAfter(doc, after, rule, 'ACCEPT')).map(labelOf);
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
  {
    name: 'completion after -i and --dport offers what the router script already writes, not options',
    async run() {
      const doc = await openExample('port-forward-router.sh');
      // the server's values are enum members; the editor's words of the file are Text, left out
      const values = async (rule: string, waitFor: string) => {
        const items = await completeAfter(doc, '# the router itself', rule, waitFor);
        expect(items.every((i) => i.kind === vscode.CompletionItemKind.EnumMember), `values only after '${rule}': ${items.map((i) => `${labelOf(i)}(${i.kind})`).join(' ')}`);
        return items.map(labelOf);
      };
      const interfaces = await values('$IPT -A INPUT -i ', 'lan0');
      expect(interfaces.includes('wan0') && interfaces.includes('lo'), `the script's interfaces: ${interfaces.join(' ')}`);
      const ports = await values('$IPT -A INPUT -p tcp --dport ', '80');
      expect(ports.includes('22') && ports.includes('443'), `the script's ports, then well-known ones: ${ports.join(' ')}`);
    },
  },
];
