import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { calleesOf, callersOf, chainNode, chainNodeAt, type ChainCalls } from '../../../server/src/core/services/callHierarchy.ts';
import type { Span } from '../../../server/src/core/text/span.ts';

const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return i;
};
/** Each chain with the line (0-based) of each jump word, and the word. */
const calls = (text: string, list: ChainCalls[]) => list.map((c) => [c.chain.name, c.spans.map((s: Span) => `${text.slice(0, s.start).split('\n').length - 1}:${text.slice(s.start, s.end)}`)]);

const save = [
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':web-in - [0:0]',
  ':log-drop - [0:0]',
  '-A INPUT -p tcp --dport 80 -j web-in',
  '-A INPUT -p tcp --dport 443 -j web-in',
  '-A FORWARD -g web-in',
  '-A web-in -s 10.0.0.0/8 -j ACCEPT',
  '-A web-in -j log-drop',
  '-A log-drop -j LOG',
  '-A log-drop -j DROP',
  'COMMIT',
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':web-in - [0:0]',
  '-A PREROUTING -j web-in',
  'COMMIT',
  '',
].join('\n');

test('save file: a user chain is called by the chains whose rules jump or go to it, grouped per caller in order, within its table', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const web = chainNodeAt(doc.chains, at(save, 'web-in', 2) + 1)!;
  assert.deepEqual([web.name, web.table, web.builtin, save.slice(web.span.start, web.span.end), save.slice(web.line.start, web.line.end)], ['web-in', 'filter', false, 'web-in', ':web-in - [0:0]']);
  assert.deepEqual(calls(save, callersOf(doc.chains, web)), [
    ['INPUT', ['5:web-in', '6:web-in']],
    ['FORWARD', ['7:web-in']],
  ]);
  assert.deepEqual(calls(save, calleesOf(doc.chains, web)), [['log-drop', ['9:log-drop']]]);
  // the nat chain of the same name has its own caller
  const natWeb = chainNodeAt(doc.chains, at(save, 'web-in', 7))!;
  assert.equal(natWeb.table, 'nat');
  assert.deepEqual(calls(save, callersOf(doc.chains, natWeb)), [['PREROUTING', ['16:web-in']]]);
});

test('save file: a built-in chain calls the user chains and is called by none; targets are not calls', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const input = chainNodeAt(doc.chains, at(save, 'INPUT'))!;
  assert.deepEqual([input.name, input.builtin, save.slice(input.line.start, input.line.end)], ['INPUT', true, ':INPUT DROP [0:0]']);
  assert.deepEqual(calls(save, callersOf(doc.chains, input)), []);
  assert.deepEqual(calls(save, calleesOf(doc.chains, input)), [['web-in', ['5:web-in', '6:web-in']]]);
  const logDrop = chainNode(doc.chains, 'ipv4', 'filter', 'log-drop')!;
  assert.deepEqual(calls(save, calleesOf(doc.chains, logDrop)), []);
  assert.equal(chainNode(doc.chains, 'ipv4', 'filter', 'nowhere'), undefined);
  assert.equal(chainNodeAt(doc.chains, at(save, '--dport')), undefined);
});

const script = [
  '#!/bin/sh',
  'iptables -N ssh-in',
  'iptables -A INPUT -p tcp --dport 22 -j ssh-in',
  'iptables -D INPUT -p tcp --dport 2222 -j ssh-in',
  'iptables -C INPUT -p udp -j ssh-in',
  'iptables -I FORWARD 1 -g ssh-in',
  'iptables -R OUTPUT 1 -j ssh-in',
  'iptables -A ssh-in -j blocked',
  'iptables -A $CHAIN -j ssh-in',
  'ip6tables -N ssh-in',
  'ip6tables -A INPUT -j ssh-in',
  '',
].join('\n');

test('script: -A, -I and -R add calls, -D and -C do not, a chain named by a variable is unknown; each family apart', () => {
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const ssh = chainNodeAt(doc.chains, at(script, 'ssh-in'))!;
  assert.equal(ssh.family, 'ipv4');
  assert.deepEqual(calls(script, callersOf(doc.chains, ssh)), [
    ['INPUT', ['2:ssh-in']],
    ['FORWARD', ['5:ssh-in']],
    ['OUTPUT', ['6:ssh-in']],
  ]);
  // a built-in chain of a script is where it is first written
  const input = callersOf(doc.chains, ssh)[0].chain;
  assert.deepEqual([input.builtin, script.slice(input.span.start, input.span.end), script.slice(input.line.start, input.line.end)], [true, 'INPUT', 'iptables -A INPUT -p tcp --dport 22 -j ssh-in']);
  // a jump to a chain never declared: the callee is where its name is written
  const [blocked] = calleesOf(doc.chains, ssh);
  assert.deepEqual([blocked.chain.name, script.slice(blocked.chain.span.start, blocked.chain.span.end), calls(script, [blocked])[0][1]], ['blocked', 'blocked', ['7:blocked']]);
  const ssh6 = chainNodeAt(doc.chains, at(script, 'ssh-in', 8))!;
  assert.equal(ssh6.family, 'ipv6');
  assert.deepEqual(calls(script, callersOf(doc.chains, ssh6)), [['INPUT', ['10:ssh-in']]]);
});

test('a chain that jumps to itself is its own caller and callee', () => {
  const text = '*filter\n:loop - [0:0]\n-A loop -j loop\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const loop = chainNodeAt(doc.chains, at(text, 'loop'))!;
  assert.deepEqual(calls(text, callersOf(doc.chains, loop)), [['loop', ['2:loop']]]);
  assert.deepEqual(calls(text, calleesOf(doc.chains, loop)), [['loop', ['2:loop']]]);
});
