// Diagnostics as VS Code holds them: pushed by our language server through the language client.
import { rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, describe, diagnosticsWith, eventually, expect, lineOf, openExample, workspaceFile, type Check } from './support.ts';

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
    name: 'wg0.conf is a WireGuard configuration (by its name, not ini): the MASQUERADE its PostDown does not delete is reported on its PostUp line, and the PostDown that deletes another',
    async run() {
      const doc = await openExample('wg0.conf');
      expect(doc.languageId === 'wireguard', `language id ${doc.languageId}`);
      const up = lineOf(doc, 'PostUp = iptables -t nat');
      const down = lineOf(doc, 'PostDown = iptables -t nat');
      const found = await eventually('rule-left-after-down in wg0.conf', () => {
        const d = diagnosticsWith(doc.uri, 'rule-left-after-down');
        return d.length === 2 ? d : undefined;
      });
      const places = found.map((d) => `${d.range.start.line}:${d.range.start.character}`).sort();
      expect(places.join() === [`${up}:${'PostUp = '.length}`, `${down}:${'PostDown = '.length}`].sort().join(), `on the MASQUERADE commands (lines ${up + 1} and ${down + 1}), got ${describe(found)}`);
      expect(vscode.languages.getDiagnostics(doc.uri).every((d) => codeOf(d) === 'rule-left-after-down'), `nothing else: ${describe(vscode.languages.getDiagnostics(doc.uri))}`);
    },
  },
  {
    name: 'etc/network/interfaces is an ifupdown configuration: the port forward its stanza never deletes is reported on its post-up line, each rule the post-up lines add unconditionally (ifupdown2 adds them again at each ifreload), the sysctl.conf around it counts for ip_forward, and its hook key hovers',
    async run() {
      const doc = await openExample('etc/network/interfaces');
      expect(doc.languageId === 'ifupdown', `language id ${doc.languageId}`);
      const line = lineOf(doc, '-j DNAT');
      const column = doc.lineAt(line).text.indexOf('iptables');
      const found = await eventually('rule-left-after-down in interfaces', () => {
        const d = diagnosticsWith(doc.uri, 'rule-left-after-down');
        return d.length ? d : undefined;
      });
      expect(found.length === 1 && found[0].range.start.line === line && found[0].range.start.character === column, `on the DNAT command (line ${line + 1}:${column + 1}), got ${describe(found)}`);
      const reloaded = diagnosticsWith(doc.uri, 'rule-left-after-reload').map((d) => d.range.start.line).sort((a, b) => a - b);
      const adds = [lineOf(doc, '-j MASQUERADE'), line, lineOf(doc, '-j CT')].sort((a, b) => a - b);
      expect(reloaded.join() === adds.join(), `rule-left-after-reload on the post-up lines that add (${adds.map((l) => l + 1).join(', ')}), got ${describe(diagnosticsWith(doc.uri, 'rule-left-after-reload'))}`);
      expect(vscode.languages.getDiagnostics(doc.uri).every((d) => codeOf(d) === 'rule-left-after-down' || codeOf(d) === 'rule-left-after-reload'), `nothing else: ${describe(vscode.languages.getDiagnostics(doc.uri))}`);
      const key = new vscode.Position(line, doc.lineAt(line).text.indexOf('post-up') + 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, key);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      expect(/`ifup` runs this once the interface is configured/.test(text), `the hover says when ifup runs it: ${text.slice(0, 200)}`);
    },
  },
  {
    name: 'a WireGuard configuration under another name opens as ini and is given the wireguard language: its PostDown typo is reported',
    async run() {
      const uri = workspaceFile('office-vpn.conf');
      await vscode.workspace.fs.writeFile(uri, Buffer.from('[Interface]\nAddress = 10.9.0.1/24\nPostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j ACCPT\n'));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
      const doc = await eventually('office-vpn.conf in the wireguard language', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'wireguard'));
      const found = await eventually('unknown-target in its PostDown line', () => {
        const d = diagnosticsWith(doc.uri, 'unknown-target');
        return d.length ? d : undefined;
      });
      expect(found[0].range.start.line === 3 && found[0].range.start.character === 'PostDown = iptables -D FORWARD -i %i -j '.length, `on ACCPT, got ${describe(found)}`);
    },
  },
  {
    name: 'OpenWrt\'s firewall.user (no #! line) opens as a shell script: its typo is reported',
    async run() {
      const uri = workspaceFile('firewall.user');
      await vscode.workspace.fs.writeFile(uri, Buffer.from('# This file is interpreted as shell script.\n# Put your custom iptables rules here.\niptables -I input_rule -p tcp --dprt 22 -j ACCEPT\n'));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      expect(doc.languageId === 'shellscript', `language id ${doc.languageId}`);
      const found = await eventually('unknown-option in firewall.user', () => {
        const d = diagnosticsWith(doc.uri, 'unknown-option');
        return d.length ? d : undefined;
      });
      expect(found[0].range.start.line === 2 && found[0].range.start.character === 'iptables -I input_rule -p tcp '.length, `on --dprt, got ${describe(found)}`);
    },
  },
  {
    name: 'ufw\'s before.rules (etc/ufw, beside etc/default/ufw) is judged as ufw loads it: its port forward, dropped by DEFAULT_FORWARD_POLICY="DROP", is reported on the DNAT line, and the hover says why',
    async run() {
      const doc = await openExample('etc/ufw/before.rules');
      expect(doc.languageId === 'iptables-save', `language id ${doc.languageId}`);
      const dnatLine = lineOf(doc, '-j DNAT');
      const found = await eventually('dnat-without-forward-accept in before.rules', () => {
        const d = diagnosticsWith(doc.uri, 'dnat-without-forward-accept');
        return d.length ? d : undefined;
      });
      expect(found.length === 1 && found[0].range.start.line === dnatLine, `on the DNAT rule (line ${dnatLine + 1}), got ${describe(found)}`);
      expect(vscode.languages.getDiagnostics(doc.uri).every((d) => codeOf(d) === 'dnat-without-forward-accept'), `nothing else: ${describe(vscode.languages.getDiagnostics(doc.uri))}`);
      const at = new vscode.Position(dnatLine, doc.lineAt(dnatLine).text.indexOf('--to-destination') + 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      expect(/dropped by FORWARD policy DROP \(ufw's DEFAULT_FORWARD_POLICY="DROP" in .*etc\/default\/ufw\)/.test(text), `the hover names ufw's policy: ${text.slice(0, 300)}`);
    },
  },
  {
    name: 'a script is judged with the configuration it reads with `.` (vpn-gateway.sh, /etc/vpn-gateway.conf found under etc/): its MASQUERADE of the configured network is reported, the hover says where the network was set, go to definition opens that line, and the path of the `.` line is a link to the file',
    async run() {
      const doc = await openExample('vpn-gateway.sh');
      const masqLine = lineOf(doc, '-j MASQUERADE');
      const found = await eventually('masquerade-without-forward-accept in vpn-gateway.sh', () => {
        const d = diagnosticsWith(doc.uri, 'masquerade-without-forward-accept');
        return d.length ? d : undefined;
      });
      expect(found.length === 1 && found[0].range.start.line === masqLine, `on the MASQUERADE (line ${masqLine + 1}), got ${describe(found)}`);
      const at = new vscode.Position(masqLine, doc.lineAt(masqLine).text.indexOf('$VPN_NET') + 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      expect(/`\$VPN_NET` is `10\.8\.0\.0\/24` here: `\$VPN_NET` is set in .*etc\/vpn-gateway\.conf, line 4\./.test(text), `the hover names the file: ${text.slice(0, 300)}`);
      // go to definition: the configuration's line
      const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, at);
      const where = defs.map((d) => ('targetUri' in d ? { uri: d.targetUri, range: d.targetRange } : d));
      expect(where.length === 1 && where[0].uri.path.endsWith('/etc/vpn-gateway.conf') && where[0].range.start.line === 3, `the definition is line 4 of etc/vpn-gateway.conf: ${where.map((w) => `${w.uri.path}:${w.range.start.line + 1}`).join(', ')}`);
      // the path of the `.` line is a link to the file read
      const sourceLine = lineOf(doc, '. /etc/vpn-gateway.conf');
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
      expect(links.length === 1 && links[0].range.start.line === sourceLine && links[0].target?.path.endsWith('/etc/vpn-gateway.conf') === true, `one link, on line ${sourceLine + 1}, to etc/vpn-gateway.conf: ${links.map((l) => `${l.range.start.line + 1}→${l.target?.path}`).join(', ')}`);
    },
  },
  {
    name: 'a script\'s configuration changed on disk by another program (not open in the editor) judges the script again: the server has VS Code watch the files it read',
    async run() {
      const script = workspaceFile('watched-gateway.sh');
      const conf = workspaceFile('watched-gateway.conf');
      writeFileSync(conf.fsPath, 'WAN=eth0\nLAN_NET=192.168.7.0/24\n');
      writeFileSync(script.fsPath, '#!/bin/sh\n. ./watched-gateway.conf\nsysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -i eth1 -s 10.7.0.0/16 -o $WAN -j ACCEPT\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n');
      const doc = await openExample('watched-gateway.sh');
      const masqLine = lineOf(doc, '-j MASQUERADE');
      const found = await eventually('masquerade-without-forward-accept in watched-gateway.sh', () => {
        const d = diagnosticsWith(doc.uri, 'masquerade-without-forward-accept');
        return d.length ? d : undefined;
      });
      expect(found[0].range.start.line === masqLine, `on the MASQUERADE (line ${masqLine + 1}), got ${describe(found)}`);
      // the server asks for its watchers a moment after the judgement; a write before they are
      // in force would go unseen, so the file is written again every two seconds until the finding goes
      let written = 0;
      await eventually('the finding gone once the configuration on disk names the network FORWARD accepts', () => {
        if (Date.now() - written > 2000) {
          writeFileSync(conf.fsPath, 'WAN=eth0\nLAN_NET=10.7.0.0/16\n');
          written = Date.now();
        }
        return diagnosticsWith(doc.uri, 'masquerade-without-forward-accept').length === 0 ? true : undefined;
      });
      expect(vscode.workspace.textDocuments.every((d) => d.uri.toString() !== conf.toString()), 'the configuration was never opened in the editor');
    },
  },
  {
    name: 'Check All iptables Files in the Workspace lists the findings of a file never opened, follows its changes on disk, clears them when it is deleted, and judges a file made after it',
    async run() {
      const file = workspaceFile('never-opened.iptables');
      writeFileSync(file.fsPath, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n');
      const reply = await vscode.commands.executeCommand<{ files: number; errors: number; warnings: number }>('iptables.checkWorkspace');
      expect(reply.files >= 8 && reply.errors >= 1, `the workspace's files checked, with errors: ${JSON.stringify(reply)}`);
      const found = await eventually('unknown-option in never-opened.iptables', () => {
        const d = diagnosticsWith(file, 'unknown-option');
        return d.length ? d : undefined;
      });
      expect(found.length === 1 && found[0].range.start.line === 2 && found[0].range.start.character === '-A INPUT -p tcp '.length, `on --dprt, got ${describe(found)}`);
      expect(vscode.workspace.textDocuments.every((d) => d.uri.toString() !== file.toString()), 'the file was never opened in the editor');
      // the typo mended by another program: judged again from disk
      writeFileSync(file.fsPath, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
      await eventually('never-opened.iptables clean once mended on disk', () => (diagnosticsWith(file, 'unknown-option').length === 0 ? true : undefined));
      writeFileSync(file.fsPath, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n');
      await eventually('the typo back', () => (diagnosticsWith(file, 'unknown-option').length ? true : undefined));
      rmSync(file.fsPath);
      await eventually('no findings once the file is deleted', () => (vscode.languages.getDiagnostics(file).length === 0 ? true : undefined));
      // made by another program after the check (VS Code reports it to the server's watcher of the folder)
      const later = workspaceFile('made-later.iptables');
      writeFileSync(later.fsPath, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCPT\nCOMMIT\n');
      const made = await eventually('unknown-target in made-later.iptables', () => {
        const d = diagnosticsWith(later, 'unknown-target');
        return d.length ? d : undefined;
      });
      expect(made[0].range.start.line === 2, `on line 3, got ${describe(made)}`);
      rmSync(later.fsPath);
      await eventually('no findings once made-later.iptables is deleted', () => (vscode.languages.getDiagnostics(later).length === 0 ? true : undefined));
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
