import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cursor, sharedServer } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';
import { rules } from '../../server/src/core/analysis/registry.ts';

/** Hover and completion through the LSP, at marked positions (`|` is the cursor). */
const skip = needBuild();
let n = 0;

const client = sharedServer(skip);

async function at(marked: string, languageId = 'iptables-save') {
  const { text, position } = cursor(marked);
  const uri = `file:///tmp/case-${n++}${languageId === 'shellscript' ? '.sh' : '.rules'}`;
  await client().open(uri, languageId, text);
  return { uri, position };
}

async function hover(marked: string, languageId?: string): Promise<string> {
  const { uri, position } = await at(marked, languageId);
  const h = await client().request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position });
  return h?.contents.value ?? '';
}

async function complete(marked: string, languageId?: string): Promise<string[]> {
  const { uri, position } = await at(marked, languageId);
  const r = await client().request<{ label: string }[] | { isIncomplete: boolean; items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position });
  return (Array.isArray(r) ? r : r.items).map((i) => i.label);
}

test('hover on PREROUTING explains its place before the routing decision, with the path drawn', { skip }, async () => {
  const md = await hover('*nat\n-A PRE|ROUTING -p tcp -j DNAT --to-destination 10.0.0.1\nCOMMIT\n');
  assert.match(md, /PREROUTING/);
  assert.match(md, /before the routing decision/i);
  assert.match(md, /DNAT/);
  assert.match(md, /\[PREROUTING\]/, 'the diagram marks the chain');
});

test('hover on POSTROUTING explains source translation after routing', { skip }, async () => {
  const md = await hover('*nat\n:POST|ROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n');
  assert.match(md, /after the routing decision/i);
  assert.match(md, /MASQUERADE/);
  assert.match(md, /\[POSTROUTING\]/);
});

test('hover on a target, a match, an option, a table, a value and a user chain', { skip }, async () => {
  assert.match(await hover('*nat\n-A PREROUTING -p tcp -j DN|AT --to-destination 10.0.0.1\nCOMMIT\n'), /destination/i);
  assert.match(await hover('*filter\n-A INPUT -m conn|track --ctstate NEW -j ACCEPT\nCOMMIT\n'), /connection tracking/i);
  assert.match(await hover('*filter\n-A INPUT -p tcp --dp|ort 22 -j ACCEPT\nCOMMIT\n'), /destination port/i);
  assert.match(await hover('*fil|ter\nCOMMIT\n'), /default table/i);
  assert.match(await hover('*filter\n-A INPUT -m conntrack --ctstate ESTAB|LISHED,RELATED -j ACCEPT\nCOMMIT\n'), /ESTABLISHED/);
  assert.match(await hover('*filter\n:ssh-in - [0:0]\n-A INPUT -j ssh|-in\nCOMMIT\n'), /user chain[\s\S]*Declared on line 2/);
  assert.match(await hover('iptables -t nat -A POSTROUTING -o eth0 -j MASQ|UERADE\n', 'shellscript'), /outgoing interface/);
});

test('completion after -j offers DNAT in nat PREROUTING, not in filter INPUT', { skip }, async () => {
  const nat = await complete('*nat\n-A PREROUTING -p tcp -j |\nCOMMIT\n');
  assert.ok(nat.includes('DNAT') && nat.includes('REDIRECT'));
  assert.ok(!nat.includes('MASQUERADE') && !nat.includes('REJECT'));
  const filter = await complete('*filter\n:logdrop - [0:0]\n-A INPUT -j |\nCOMMIT\n');
  assert.ok(filter.includes('REJECT') && filter.includes('ACCEPT') && filter.includes('logdrop'));
  assert.ok(!filter.includes('DNAT'));
  const script = await complete('iptables -t nat -A POSTROUTING -o eth0 -j |\n', 'shellscript');
  assert.ok(script.includes('MASQUERADE') && !script.includes('DNAT'));
});

test('completion of options after -p and -m, of matches, tables, chains and values', { skip }, async () => {
  assert.ok((await complete('*filter\n-A INPUT -p tcp --|\nCOMMIT\n')).includes('--destination-port'));
  assert.ok((await complete('*filter\n-A INPUT -m conntrack --|\nCOMMIT\n')).includes('--ctstate'));
  assert.ok((await complete('*filter\n-A INPUT -m |\nCOMMIT\n')).includes('multiport'));
  assert.deepEqual((await complete('iptables -t |\n', 'shellscript')).sort(), ['filter', 'mangle', 'nat', 'raw', 'security']);
  assert.ok((await complete('*filter\n:mine - [0:0]\n-A |\nCOMMIT\n')).includes('mine'));
  const states = await complete('*filter\n-A INPUT -m conntrack --ctstate ESTABLISHED,|\nCOMMIT\n');
  assert.ok(states.includes('ESTABLISHED,RELATED'));
  assert.ok((await complete('*filter\n-A INPUT -p icmp --icmp-type |\nCOMMIT\n')).includes('echo-request'));
  assert.ok((await complete('*filter\n-A INPUT -j LOG --log-level |\nCOMMIT\n')).includes('warning'));
});

test('the compileToRestore request answers with restore text, or the line that stops it', { skip }, async () => {
  const good = await at('iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -j ACCEPT|\n', 'shellscript');
  const r = await client().request<{ outputs: { text: string }[] }>('iptables/compileToRestore', { uri: good.uri });
  assert.match(r.outputs[0].text, /\*filter\n:INPUT DROP \[0:0\][\s\S]*-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT/);
  const bad = await at('curl http://example.invalid|\n', 'shellscript');
  const e = await client().request<{ error: string; range: { start: { line: number } } }>('iptables/compileToRestore', { uri: bad.uri });
  assert.match(e.error, /Line 1: cannot compile/);
});

test('in an iptables-lint comment: hover on a code shows its docs, and the codes complete', { skip }, async () => {
  const rule = rules.find((r) => r.code === 'unused-chain')!;
  const md = await hover('*filter\n# iptables-lint disable-next-line unused-ch|ain\n:idle - [0:0]\nCOMMIT\n');
  assert.ok(md.includes(rule.summary), md);
  const codes = await complete('*filter\n# iptables-lint disable-next-line missing-m|\n:idle - [0:0]\nCOMMIT\n');
  assert.deepEqual(codes.sort(), rules.map((r) => r.code).sort());
  assert.ok((await complete('#!/bin/sh\n# iptables-lint dis|\niptables -N idle\n', 'shellscript')).includes('disable-next-line'));
});

test('completion marks superseded targets deprecated (CompletionItemTag 1), after the others', { skip }, async () => {
  const { uri, position } = await at('*raw\n-A PREROUTING -p udp --dport 53 -j |\nCOMMIT\n');
  const r = await client().request<{ items: { label: string; tags?: number[] }[] }>('textDocument/completion', { textDocument: { uri }, position });
  const tagged = r.items.filter((i) => i.tags?.includes(1)).map((i) => i.label);
  assert.deepEqual(tagged.sort(), ['CLUSTERIP', 'NOTRACK', 'ULOG']);
  const labels = r.items.map((i) => i.label);
  assert.ok(labels.indexOf('CT') < labels.indexOf('NOTRACK'));
});
