import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { sharedServer } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * A router script that reads its interfaces and networks with `. /etc/firewall.conf`, judged
 * through the built server over stdio with the configuration kept beside it: the findings that
 * need those values, the hover that says where one was set, the definition of a variable
 * (its line in the configuration), the completion of `$` with the configuration's values, the restore text the compile
 * command makes, and a new judgement when the configuration open in the editor is typed into.
 */
const skip = needBuild();
const client = sharedServer(skip);

const SCRIPT = '#!/bin/sh\n. /etc/firewall.conf\nsysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n';
const CONF = '# interfaces of the router\nWAN=eth0\nLAN_NET=192.168.1.0/24\n';

/** The next diagnostics published for `uri` after `act`. */
async function codesAfter(uri: string, act: () => Promise<void>): Promise<string[]> {
  client().published.delete(uri);
  await act();
  return (await client().diagnosticsOf(uri)).map((d) => d.code);
}

test('a script is judged with the configuration beside it: finding, hover, definition, the link of its path, compile; typing into the open configuration judges it again', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-sourced-'));
  writeFileSync(join(dir, 'firewall.sh'), SCRIPT);
  writeFileSync(join(dir, 'firewall.conf'), CONF);
  const uri = pathToFileURL(join(dir, 'firewall.sh')).href;
  assert.deepEqual(await codesAfter(uri, () => client().open(uri, 'shellscript', SCRIPT)), ['masquerade-without-forward-accept']);
  const [finding] = (await client().diagnosticsOf(uri));
  assert.deepEqual(finding.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 64 } });

  const line = 5;
  const hover = (await client().conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: SCRIPT.split('\n')[line].indexOf('$WAN') + 1 } })) as { contents: { value: string } };
  assert.ok(hover.contents.value.startsWith(`\`$WAN\` is \`eth0\` here: \`$WAN\` is set in ${join(dir, 'firewall.conf')}, line 2.`), hover.contents.value);

  // go to definition on `$WAN`: its line in the configuration
  const definition = (await client().conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character: SCRIPT.split('\n')[line].indexOf('$WAN') + 2 } })) as { uri: string; range: unknown }[];
  assert.deepEqual(definition, [{ uri: pathToFileURL(join(dir, 'firewall.conf')).href, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } } }]);

  // completion after `$`: the configuration's variables with their values
  const completion = (await client().conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: SCRIPT.split('\n')[line].indexOf('$WAN') + 1 }, context: { triggerKind: 2, triggerCharacter: '$' } })) as { items: { label: string; kind: number; detail: string }[] };
  assert.deepEqual(completion.items.map((i) => [i.label, i.kind, i.detail]), [
    ['$WAN', 6, `eth0 (set in ${join(dir, 'firewall.conf')}, line 2)`],
    ['$LAN_NET', 6, `192.168.1.0/24 (set in ${join(dir, 'firewall.conf')}, line 3)`],
  ]);

  // the `.` line's path: a link to the file read, and its definition
  const links = (await client().conn.sendRequest('textDocument/documentLink', { textDocument: { uri } })) as { range: unknown; target: string }[];
  assert.deepEqual(links.map((l) => [l.range, l.target]), [[{ start: { line: 1, character: 2 }, end: { line: 1, character: 20 } }, pathToFileURL(join(dir, 'firewall.conf')).href]]);
  const opened = (await client().conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 1, character: 8 } })) as { uri: string }[];
  assert.deepEqual(opened.map((l) => l.uri), [pathToFileURL(join(dir, 'firewall.conf')).href]);

  const compiled = (await client().conn.sendRequest('iptables/compileToRestore', { uri })) as { outputs?: { text: string }[]; error?: string };
  assert.equal(compiled.error, undefined);
  assert.match(compiled.outputs![0].text, /^-A POSTROUTING -s 192\.168\.1\.0\/24 -o eth0 -j MASQUERADE$/m);

  // the configuration opened and typed into, unsaved: the network it names now goes through FORWARD's accept
  const conf = pathToFileURL(join(dir, 'firewall.conf')).href;
  await client().open(conf, 'shellscript', CONF);
  assert.deepEqual(await codesAfter(uri, () => client().conn.sendNotification('textDocument/didChange', { textDocument: { uri: conf, version: 2 }, contentChanges: [{ text: 'WAN=eth0\nLAN_NET=$(ip -4 addr show eth1)\n' }] })), []);
  // closed unsaved: read from disk again
  assert.deepEqual(await codesAfter(uri, () => client().conn.sendNotification('textDocument/didClose', { textDocument: { uri: conf } })), ['masquerade-without-forward-accept']);
});

test('two open scripts that read each other with `.` are each judged again when the other changes, and then no more', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-sourced-'));
  const a = pathToFileURL(join(dir, 'a.sh')).href;
  const b = pathToFileURL(join(dir, 'b.sh')).href;
  const A = '. ./b.sh\niptables -A INPUT -i $B_IF -j ACCEPT\nA_IF=eth0\n';
  const B = '. ./a.sh\niptables -A INPUT -i $A_IF -j ACCEPT\nB_IF=eth1\n';
  writeFileSync(join(dir, 'a.sh'), A);
  writeFileSync(join(dir, 'b.sh'), B);
  await client().open(a, 'shellscript', A);
  await client().open(b, 'shellscript', B);
  await client().diagnosticsOf(a);
  await client().diagnosticsOf(b);
  await client().conn.sendNotification('textDocument/didChange', { textDocument: { uri: a, version: 2 }, contentChanges: [{ text: `${A}# edited\n` }] });
  await new Promise((r) => setTimeout(r, 800));
  const counts = [client().publishCount.get(a), client().publishCount.get(b)];
  await new Promise((r) => setTimeout(r, 800));
  assert.deepEqual([client().publishCount.get(a), client().publishCount.get(b)], counts, 'nothing judged again once they are quiet');
  assert.ok(counts[0]! <= 4 && counts[1]! <= 4, `a few judgements each: ${counts}`);
});

test('a script over 200 KB that reads the configuration opens in steps and is judged with it', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-sourced-'));
  // the rules of the small script, then comments enough to be opened in steps (see IN_STEPS_ABOVE)
  const long = SCRIPT + '# a line of notes about the router, kept with its rules, to make it long\n'.repeat(3000);
  assert.ok(long.length > 200_000);
  writeFileSync(join(dir, 'firewall.sh'), long);
  writeFileSync(join(dir, 'firewall.conf'), CONF);
  const uri = pathToFileURL(join(dir, 'firewall.sh')).href;
  // the finding needs $LAN_NET's value from the configuration
  assert.deepEqual(await codesAfter(uri, () => client().open(uri, 'shellscript', long)), ['masquerade-without-forward-accept']);
  assert.deepEqual((await client().diagnosticsOf(uri))[0].range.start, { line: 5, character: 0 });
});
