import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { lanReachableFromWan } from './lan-reachable-from-wan.ts';

const script = { dialect: 'script' as const };
const OUT_AND_BACK = 'iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';

ruleTable(lanReachableFromWan, {
  valid: [
    // FORWARD closed by its policy, or by a drop of what arrives on the outside
    { ...script, code: `iptables -P FORWARD DROP\n${OUT_AND_BACK}iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n` },
    { ...script, code: `${OUT_AND_BACK}iptables -A FORWARD -i eth0 -j DROP\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n` },
    { ...script, code: `${OUT_AND_BACK}iptables -A FORWARD -i eth0 -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n` },
    // no source NAT out of one interface: not a NAT router (Docker's `! -o docker0`, kube-proxy's marks)
    { ...script, code: 'iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n' },
    { ...script, code: 'iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n' },
    // a policy the rules never set is the host's (ufw's): not judged; nor a save file of nat alone
    { ...script, code: `${OUT_AND_BACK}iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n` },
    { code: table('nat', '-A POSTROUTING -o eth0 -j MASQUERADE') },
    // the router does not forward at all
    { ...script, code: `echo 0 > /proc/sys/net/ipv4/ip_forward\n${OUT_AND_BACK}iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n` },
    { code: table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o eth0 -j ACCEPT') + table('nat', '-A POSTROUTING -o eth0 -j MASQUERADE') },
  ],
  invalid: [
    { ...script, code: `iptables -P FORWARD «ACCEPT»\n${OUT_AND_BACK}iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n`, name: 'FORWARD policy set to ACCEPT' },
    { code: table('filter', '-A FORWARD -d 192.168.0.0/16 -i eth0 -j DROP\n-A FORWARD -s 192.168.0.0/16 -i eth0 -j ACCEPT\n«-A FORWARD -d 192.168.0.0/16 -i eth1 -j ACCEPT»') + table('nat', '-A POSTROUTING -o eth1 -j MASQUERADE'), name: 'an accept meant for replies takes every connection to the LAN' },
    { ...script, code: `iptables -P FORWARD «ACCEPT»\n${OUT_AND_BACK}iptables -t nat -A POSTROUTING -o eth0 -j SNAT --to-source 203.0.113.1\n`, name: 'SNAT' },
    { ...script, code: `iptables -P FORWARD DROP\n«iptables -A FORWARD -j ACCEPT»\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n`, name: 'an accept of everything in FORWARD' },
    { code: table('filter', ':FORWARD «ACCEPT» [0:0]\n-A FORWARD -i eth1 -o eth0 -j ACCEPT') + table('nat', '-A POSTROUTING -o eth0 -j MASQUERADE'), name: 'a save file' },
  ],
});

test('the message names the outside interface and the network behind the router', () => {
  const [d] = lintWith(lanReachableFromWan, `iptables -P FORWARD ACCEPT\n${OUT_AND_BACK}iptables -A FORWARD -o eth1 -d 192.168.7.0/24 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n`, script);
  assert.match(d.message, /arriving on eth0 for 192\.168\.7\.10 \(of 192\.168\.7\.0\/24/);
  assert.equal(d.related?.length, 1);
});

test('the fix drops new connections from the outside at the top of FORWARD, port forwards and replies apart', () => {
  const text = `#!/bin/sh\nIPT=/sbin/iptables\n$IPT -P FORWARD ACCEPT\n$IPT -A FORWARD -i eth1 -o eth0 -j ACCEPT\n$IPT -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\necho done\n`;
  const r = fixFirst(lanReachableFromWan, text, script);
  assert.equal(r.text, text.replace('MASQUERADE\n', 'MASQUERADE\n$IPT -I FORWARD -i eth0 -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP\n'));
  assert.equal(r.left, 0);
  const save = table('filter', ':FORWARD ACCEPT [0:0]\n-A FORWARD -i eth1 -o eth0 -j ACCEPT') + table('nat', '-A POSTROUTING -o eth0 -j MASQUERADE');
  const fixed = fixFirst(lanReachableFromWan, save);
  assert.equal(fixed.text, save.replace('-A FORWARD -i eth1', '-A FORWARD -i eth0 -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP\n-A FORWARD -i eth1'));
  assert.equal(fixed.left, 0);
});

test('an accept in a chain FORWARD jumps to is where it is let through, whatever the policy', () => {
  const text = `iptables -P FORWARD DROP\niptables -N lan_fw\niptables -A FORWARD -j lan_fw\niptables -A lan_fw -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n`;
  const [d] = lintWith(lanReachableFromWan, text, script);
  assert.equal(text.slice(d.span.start, d.span.end), 'iptables -A FORWARD -j lan_fw');
  assert.match(d.message, /lan_fw/);
});
