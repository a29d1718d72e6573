import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { ruleNumbersIn } from '../../../server/src/core/services/ruleNumbers.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';

/** `line:CHAIN#n` (or `#n-m`) for each rule number shown in the text, the line counted from 1. */
function numbers(text: string, options: { dialect?: 'save' | 'script'; fileName?: string } = {}, from = 0, to = text.length): string[] {
  const doc = new FirewallDocument(text, options);
  return ruleNumbersIn(doc, from, to).map((n) => {
    // shown right after the chain's name of -A CHAIN
    assert.match(text.slice(0, n.offset), new RegExp(`(-A ${n.chain}|-[IR] ${n.chain} \\d+)$`));
    return `${text.slice(0, n.offset).split('\n').length}:${n.chain}#${n.first}${n.last === n.first ? '' : `-${n.last}`}`;
  });
}

test('a save file: each rule numbered in its chain as loaded, one kernel rule per address of -s and -d', () => {
  const text = ['*filter', ':INPUT DROP [0:0]', ':ssh - [0:0]', '-A INPUT -i lo -j ACCEPT', '-A INPUT -s 192.0.2.1,192.0.2.2 -d 10.0.0.1,10.0.0.2 -j ssh', '-A ssh -p tcp --dport 22 -j ACCEPT', '-A INPUT -p icmp -j ACCEPT', 'COMMIT', '*nat', '-A POSTROUTING -o eth0 -j MASQUERADE', 'COMMIT', ''].join('\n');
  assert.deepEqual(numbers(text, { dialect: 'save' }), ['4:INPUT#1', '5:INPUT#2-5', '6:ssh#1', '7:INPUT#6', '10:POSTROUTING#1']);
  // a range of the text: the rules whose lines start in it
  assert.deepEqual(numbers(text, { dialect: 'save' }, text.indexOf('-A ssh'), text.indexOf('COMMIT')), ['6:ssh#1', '7:INPUT#6']);
});

test('a save file: no numbers after a host name, in ufw files (loaded with --noflush) or with -I and -D lines', () => {
  assert.deepEqual(numbers('*filter\n-A INPUT -i lo -j ACCEPT\n-A INPUT -s example.com -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n', { dialect: 'save' }), ['2:INPUT#1']);
  assert.deepEqual(numbers('*filter\n:ufw-before-input - [0:0]\n-A ufw-before-input -i lo -j ACCEPT\nCOMMIT\n', { fileName: '/etc/ufw/before.rules' }), []);
  assert.deepEqual(numbers('*filter\n-A INPUT -i lo -j ACCEPT\n-D INPUT -j DROP\nCOMMIT\n', { dialect: 'save' }), []);
});

test('a second block of a table: its rules are numbered from 1, the earlier block\'s not at all', () => {
  const text = '*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  assert.deepEqual(numbers(text, { fileName: 'rules.v4' }), ['5:INPUT#1']);
});

test('a script: the numbers once it has run, in the chains it builds whole', () => {
  const script = [
    'iptables -F',
    'iptables -A INPUT -i lo -j ACCEPT',
    'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
    'iptables -I INPUT 1 -p icmp -j ACCEPT',
    'iptables -A INPUT -p tcp --dport 80 -j ACCEPT',
    'iptables -D INPUT -p tcp --dport 80 -j ACCEPT',
    'if [ -n "$NAT" ]; then',
    '  iptables -A FORWARD -j ACCEPT',
    'fi',
    'iptables -A OUTPUT -o lo -j ACCEPT',
    'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
    '',
  ].join('\n');
  // the deleted rule has none; FORWARD holds a rule under a condition; nat is never flushed
  assert.deepEqual(numbers(script, { dialect: 'script' }), ['2:INPUT#2', '3:INPUT#3', '4:INPUT#1', '10:OUTPUT#1']);
  // nothing empties the chain first: the host's own rules come before
  assert.deepEqual(numbers('iptables -A INPUT -i lo -j ACCEPT\n', { dialect: 'script' }), []);
  // a chain the script creates after clearing its table
  assert.deepEqual(numbers('iptables -F\niptables -X\niptables -N ssh\niptables -A ssh -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -j ssh\n', { dialect: 'script' }), ['4:ssh#1', '5:INPUT#1']);
});

test('a kube-proxy dump: a window of its lines is numbered, the long chains too, and the same after an edit', () => {
  let text = kubeProxyDump(10_000).text;
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const from = text.indexOf('-A KUBE-SERVICES', text.length / 2);
  const to = text.indexOf('\n', from + 4000);
  const before = ruleNumbersIn(doc, from, to);
  assert.ok(before.length > 20);
  // KUBE-SERVICES' rules counted the slow way
  const services = text.split('\n').filter((l) => l.startsWith('-A KUBE-SERVICES '));
  const first = before.find((n) => n.chain === 'KUBE-SERVICES')!;
  assert.equal(services[first.first - 1], text.slice(text.lastIndexOf('\n', first.offset) + 1, text.indexOf('\n', first.offset)));
  // a port edited in place: the same numbers
  const at = text.indexOf('--dport ', from) + 8;
  text = text.slice(0, at) + '9' + text.slice(at);
  doc.update(text, [{ start: at, end: at, text: '9' }]);
  assert.deepEqual(ruleNumbersIn(doc, from, to + 1).map((n) => [n.chain, n.first]), before.map((n) => [n.chain, n.first]));
});
