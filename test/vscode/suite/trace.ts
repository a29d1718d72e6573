// Trace a Packet: the command with (uri, spec), the "Trace from here" lens, the trace view.
import * as vscode from 'vscode';
import { eventually, expect, extensionId, lineOf, openExample, type Check } from './support.ts';

interface Summary {
  verdict: string;
  branches: number;
  steps: { hook?: string; table: string; chain: string; line?: number; file?: string; target?: string; policy?: string }[];
}

const describeSteps = (s: Summary) => s.steps.map((x) => `${x.table}/${x.chain}@${x.line ?? x.policy}`).join(' → ');

export const checks: Check[] = [
  {
    name: 'iptables.tracePacket is registered once the extension is active',
    async run() {
      const ext = vscode.extensions.getExtension(extensionId);
      expect(ext, `${extensionId} is loaded`);
      await ext.activate();
      const commands = await vscode.commands.getCommands(true);
      expect(commands.includes('iptables.tracePacket'), 'iptables.tracePacket is registered');
    },
  },
  {
    name: 'Trace a Packet with (uri, spec): the port forward is dropped by the FORWARD policy after DNAT, shown in the trace view',
    async run() {
      const doc = await openExample('port-forward-router.sh');
      const dnatLine = lineOf(doc, '-j DNAT') + 1;
      const summary = await eventually('a trace summary', async () =>
        vscode.commands.executeCommand<Summary>('iptables.tracePacket', doc.uri.toString(), 'in=wan0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1'),
      );
      expect(summary.verdict === 'DROP', `verdict DROP, got ${summary.verdict}`);
      expect(summary.branches === 1, `one branch, got ${summary.branches}`);
      const steps = describeSteps(summary);
      expect(steps === `nat/PREROUTING@${dnatLine} → filter/FORWARD@DROP`, `DNAT on line ${dnatLine}, then the FORWARD policy; got ${steps}`);
      expect(summary.steps[0].target === 'DNAT' && summary.steps[0].hook === 'PREROUTING', 'the first step is the DNAT in PREROUTING');
      const view = await eventually('the trace view tab', () =>
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Packet Trace')),
      );
      expect(view.label === 'Packet Trace: DROP', `the view's title gives the verdict, got '${view.label}'`);
    },
  },
  {
    name: 'Trace a Packet in ufw\'s before.rules: through ufw\'s chains (no line of the file) to the forward policy of etc/default/ufw',
    async run() {
      const doc = await openExample('etc/ufw/before.rules');
      const dnatLine = lineOf(doc, '-j DNAT') + 1;
      const summary = await eventually('a trace summary', async () =>
        vscode.commands.executeCommand<Summary>('iptables.tracePacket', doc.uri.toString(), 'in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1'),
      );
      expect(summary.verdict === 'DROP', `verdict DROP, got ${summary.verdict}: ${describeSteps(summary)}`);
      expect(summary.steps[0].line === dnatLine && summary.steps[0].target === 'DNAT', `the DNAT on line ${dnatLine} first: ${describeSteps(summary)}`);
      const jumps = summary.steps.filter((x) => x.chain === 'FORWARD' && x.target?.startsWith('ufw-'));
      expect(jumps.length === 6 && jumps.every((x) => x.line === undefined), `ufw's six jumps from FORWARD, without a line of the file: ${describeSteps(summary)}`);
      const last = summary.steps.at(-1)!;
      expect(last.chain === 'FORWARD' && last.policy === 'DROP', `ends at FORWARD's policy DROP: ${describeSteps(summary)}`);
      const view = await eventually('the trace view tab', () =>
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Packet Trace')),
      );
      expect(view.label === 'Packet Trace: DROP', `the view's title gives the verdict, got '${view.label}'`);
    },
  },
  {
    name: 'the "Trace from here" lens on the DNAT rule runs the trace with the packet the rule matches',
    async run() {
      const doc = await openExample('port-forward-router.sh');
      const dnat = lineOf(doc, '-j DNAT');
      const lenses = await eventually('the trace lens', async () => {
        // lenses say what they do when resolved, as on screen: resolve them all
        const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 1000);
        const mine = (all ?? []).filter((l) => l.command?.command === 'iptables.tracePacket');
        return mine.length ? mine : undefined;
      });
      expect(lenses.length === 1 && lenses[0].range.start.line === dnat, `one lens, on line ${dnat + 1}; got ${lenses.map((l) => l.range.start.line + 1).join(', ')}`);
      const args = lenses[0].command!.arguments ?? [];
      expect(args[1] === 'in=wan0 proto=tcp dport=80 state=NEW', `the rule's packet, got ${String(args[1])}`);
      const summary = await vscode.commands.executeCommand<Summary>('iptables.tracePacket', ...args);
      expect(summary.verdict === 'DROP' && summary.steps[0].line === dnat + 1, `the lens's trace goes through the DNAT rule and is dropped; got ${summary.verdict}: ${describeSteps(summary)}`);
    },
  },
  {
    name: 'a bad packet is refused with the key at fault, no trace',
    async run() {
      const doc = await openExample('port-forward-router.sh');
      const r = await vscode.commands.executeCommand<{ refused?: string; key?: string }>('iptables.tracePacket', doc.uri, 'in=wan0 dport=eighty');
      expect(r.refused && r.key === 'dport', `refused at dport, got ${JSON.stringify(r)}`);
    },
  },
];
