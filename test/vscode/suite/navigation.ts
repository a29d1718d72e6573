// Go to definition and rename of a user chain, through VS Code's provider commands.
import * as vscode from 'vscode';
import { eventually, expect, lineOf, openExample, positionOf, withSetting, type Check } from './support.ts';

function targetRange(l: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : { uri: l.uri, range: l.range };
}

export const checks: Check[] = [
  {
    name: 'the outline lists as many chains as iptables.outline.maxChains says, and the table says how many it leaves out',
    async run() {
      const doc = await openExample('rules.v4');
      const outline = () => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      const chainsIn = (s: vscode.DocumentSymbol[] | undefined) => (s ?? []).flatMap((t) => t.children.map((c) => c.name));
      const all = await eventually('the outline', async () => {
        const c = chainsIn(await outline());
        return c.length > 1 ? c : undefined;
      });
      await withSetting(doc, 'outline.maxChains', 1, async (nudge) => {
        const cut = await eventually('the outline with one chain', async () => {
          await nudge();
          const s = await outline();
          return chainsIn(s).length === 1 ? s : undefined;
        });
        expect(chainsIn(cut)[0] === all[0], `the first chain (${all[0]}) is listed, got ${chainsIn(cut)[0]}`);
        const left = cut.map((t) => Number(/, (\d+) not listed/.exec(t.detail)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
        expect(left === all.length - 1, `the tables say ${all.length - 1} chains are left out, they say ${left}: ${cut.map((t) => t.detail).join('; ')}`);
        await vscode.workspace.getConfiguration('iptables').update('outline.maxChains', undefined, vscode.ConfigurationTarget.Global);
        await eventually('the whole outline again', async () => {
          await nudge();
          return chainsIn(await outline()).length === all.length ? true : undefined;
        });
      });
    },
  },
  {
    name: 'code lenses stop at iptables.codeLens.maxLenses, and a lens where the next would stand says how many are left out',
    async run() {
      const doc = await openExample('rules.v4');
      const lenses = () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
      const all = await eventually('the lenses', async () => {
        const l = await lenses();
        return l && l.length > 2 ? l : undefined;
      });
      await withSetting(doc, 'codeLens.maxLenses', 1, async (nudge) => {
        const cut = await eventually('one lens and the one saying the rest are left out', async () => {
          await nudge();
          const l = await lenses();
          return l?.length === 2 ? l : undefined;
        });
        const first = all.map((l) => l.range.start.line).sort((a, b) => a - b);
        expect(cut[0].range.start.line === first[0] && cut[1].range.start.line === first[1], `the first lens (line ${first[0] + 1}) and the limit where the second stood (line ${first[1] + 1}); got lines ${cut.map((l) => l.range.start.line + 1).join(', ')}`);
        const title = cut[1].command?.title ?? '';
        expect(title.startsWith(`${all.length - 1} more lenses`) && title.includes('iptables.codeLens.maxLenses'), `the limit lens says ${all.length - 1} are left out: '${title}'`);
      });
    },
  },
  {
    name: 'the references lens of a user chain shows its jumps in the references view',
    async run() {
      const doc = await openExample('rules.v4');
      const declared = lineOf(doc, ':office-in');
      const jumps = doc.getText().split('\n').filter((l) => /-[jg] office-in\b/.test(l)).length;
      const lens = await eventually('the lens of office-in', async () => {
        const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 1000);
        return (all ?? []).find((l) => l.range.start.line === declared && l.command?.command === 'iptables.showChainReferences');
      });
      expect(lens.command!.title.includes(`${jumps} reference`), `the title counts ${jumps} jumps: '${lens.command!.title}'`);
      // the command asks the server for the jumps and opens VS Code's references view with them
      const shown = await vscode.commands.executeCommand<number>(lens.command!.command, ...(lens.command!.arguments ?? []));
      expect(shown === jumps, `${jumps} references shown, got ${shown}`);
      await vscode.commands.executeCommand('closeReferenceSearch');
    },
  },
  {
    name: 'the call hierarchy of a user chain: INPUT calls it through its jump, and INPUT is called by nothing',
    async run() {
      const doc = await openExample('rules.v4');
      const declared = lineOf(doc, ':office-in');
      const jumpLine = lineOf(doc, '-j office-in');
      const [item] = await eventually('a call hierarchy item for office-in', async () => {
        const r = await vscode.commands.executeCommand<vscode.CallHierarchyItem[]>('vscode.prepareCallHierarchy', doc.uri, positionOf(doc, '-j office-in', 'office-in', 2));
        return r?.length ? r : undefined;
      });
      expect(item.name === 'office-in' && item.selectionRange.start.line === declared, `the item is office-in at line ${declared + 1}, got ${item.name} at line ${item.selectionRange.start.line + 1}`);
      const incoming = await vscode.commands.executeCommand<vscode.CallHierarchyIncomingCall[]>('vscode.provideIncomingCalls', item);
      const callers = incoming.map((c) => `${c.from.name}@${c.fromRanges.map((r) => r.start.line).join(',')}`);
      expect(callers.join(' ') === `INPUT@${jumpLine}`, `INPUT calls it from line ${jumpLine + 1}, got ${callers.join(' ')}`);
      const outgoing = await vscode.commands.executeCommand<vscode.CallHierarchyOutgoingCall[]>('vscode.provideOutgoingCalls', incoming[0].from);
      expect(outgoing.some((c) => c.to.name === 'office-in'), `INPUT's outgoing calls include office-in: ${outgoing.map((c) => c.to.name).join(' ')}`);
      const aboveInput = await vscode.commands.executeCommand<vscode.CallHierarchyIncomingCall[]>('vscode.provideIncomingCalls', incoming[0].from);
      expect(aboveInput.length === 0, `nothing calls INPUT, got ${aboveInput.map((c) => c.from.name).join(' ')}`);
    },
  },
  {
    name: 'inlay hints number the rules of each chain after -A CHAIN, as the kernel will, and go when iptables.inlayHints.ruleNumbers is off',
    async run() {
      const doc = await openExample('rules.v4');
      const lines = doc.getText().split('\n');
      const whole = new vscode.Range(0, 0, doc.lineCount, 0);
      const hints = () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole);
      const label = (h: vscode.InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
      const shown = await eventually('the rule numbers', async () => {
        const h = await hints();
        return h?.length ? h : undefined;
      });
      // INPUT's rules counted the slow way: each -A INPUT line is the next number (no -s a,b in the example)
      const input = lines.map((l, i) => (l.startsWith('-A INPUT ') ? i : -1)).filter((i) => i >= 0);
      const inInput = shown.filter((h) => lines[h.position.line].slice(0, h.position.character).endsWith('-A INPUT'));
      expect(inInput.map(label).join(' ') === input.map((_, k) => `#${k + 1}`).join(' '), `INPUT numbered #1 to #${input.length}, got ${inInput.map(label).join(' ')}`);
      expect(inInput.every((h, k) => h.position.line === input[k]), 'each on its own rule line');
      await withSetting(doc, 'inlayHints.ruleNumbers', false, async (nudge) => {
        await eventually('no rule numbers', async () => {
          await nudge();
          return (await hints())?.length === 0 ? true : undefined;
        });
      });
    },
  },
  {
    name: 'go to definition on a jump to a user chain lands on its declaration',
    async run() {
      const doc = await openExample('rules.v4');
      const declared = lineOf(doc, ':office-in');
      const jump = positionOf(doc, '-j office-in', 'office-in', 2);
      const defs = await eventually('a definition of office-in', async () => {
        const r = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, jump);
        return r?.length ? r.map(targetRange) : undefined;
      });
      expect(defs.length === 1, `one definition, got ${defs.length}`);
      expect(defs[0].uri.toString() === doc.uri.toString() && defs[0].range.start.line === declared, `at line ${declared + 1}, got line ${defs[0].range.start.line + 1}`);
    },
  },
  {
    name: 'rename of a user chain edits its declaration, jumps and rules, and the server follows the new name',
    async run() {
      const doc = await openExample('rules.v4');
      const before = doc.getText();
      const uses = before.split('\n').filter((l) => /(^:|-j |-A )office-in\b/.test(l)).length;
      const at = positionOf(doc, '-j office-in', 'office-in', 2);
      const edit = await eventually('a rename edit', async () => {
        const e = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, at, 'office-lan');
        return e && e.size ? e : undefined;
      });
      const edits = edit.get(doc.uri);
      expect(edits.length === uses, `${uses} edits (declaration, jump, rules), got ${edits.length}`);
      expect(edits.every((t) => t.newText === 'office-lan' && doc.getText(t.range) === 'office-in'), 'each edit replaces exactly the chain name');
      expect(await vscode.workspace.applyEdit(edit), 'the rename applies');
      try {
        expect(!doc.getText().includes('office-in') && doc.getText().split('office-lan').length - 1 === uses, 'every use renamed');
        // the server reads the renamed text: the jump now leads to the renamed declaration
        const jump = positionOf(doc, '-j office-lan', 'office-lan', 2);
        const declared = lineOf(doc, ':office-lan');
        await eventually('the definition of office-lan', async () => {
          const r = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, jump);
          return r?.length === 1 && targetRange(r[0]).range.start.line === declared ? true : undefined;
        });
      } finally {
        const undo = new vscode.WorkspaceEdit();
        undo.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), before);
        await vscode.workspace.applyEdit(undo);
        await doc.save();
      }
    },
  },
];
