import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable, table, type RuleCase } from '../../../../../test/support/ruleTester.ts';
import type { UfwPolicy } from '../../model/ufwLoad.ts';
import { masqueradeWithoutForwardAccept } from './masquerade-without-forward-accept.ts';

const masq = '-A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE';
const nat = (marked = false) => table('nat', marked ? `«${masq}»` : masq);
const est = '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT';

/** A VPN's MASQUERADE in ufw's before.rules, judged with /etc/default/ufw's forward policy and a user.rules holding `routes`. */
function inUfw(policy: UfwPolicy, routes = '', marked = false): RuleCase {
  const user = table('filter', `:ufw-user-forward - [0:0]\n${routes}`);
  return {
    code: nat(marked) + table('filter', `:ufw-before-forward - [0:0]\n-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`),
    fileName: '/etc/ufw/before.rules',
    options: { settings: { workspaceUfw: { role: 'before', defaults: { file: '/etc/default/ufw', forwardPolicy: policy }, files: [{ role: 'user', file: '/etc/ufw/user.rules', text: user }] } } },
    name: `ufw's before.rules, DEFAULT_FORWARD_POLICY ${policy}${routes ? `, user.rules ${routes.trim()}` : ''}`,
  };
}

ruleTable(masqueradeWithoutForwardAccept, {
  valid: [
    { code: nat() + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -i tun0 -o eth0 -j ACCEPT`), name: 'an accept for the VPN\'s interface (the way in is open: it may be the network\'s)' },
    { code: nat() + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -s 10.8.0.0/24 -j ACCEPT`), name: 'an accept for the network' },
    { code: nat() + table('filter', ':FORWARD ACCEPT [0:0]'), name: 'FORWARD policy ACCEPT' },
    { code: nat(), name: 'no FORWARD in the file: the host\'s' },
    { code: table('nat', '-A POSTROUTING -o eth0 -j MASQUERADE') + table('filter', ':FORWARD DROP [0:0]'), name: 'no network named: the host\'s own connections are translated too' },
    { code: table('nat', '-A POSTROUTING -s 10.8.0.0/24 -o eth0 -j ACCEPT') + table('filter', ':FORWARD DROP [0:0]'), name: 'not a source NAT' },
    { code: 'iptables -P FORWARD DROP\niptables -t nat -A POSTROUTING -s "$VPN" -o eth0 -j MASQUERADE\n', dialect: 'script', name: 'a network the script does not know' },
    inUfw('ACCEPT'),
    inUfw('DROP', '-A ufw-user-forward -s 10.8.0.0/24 -o eth0 -j ACCEPT\n'),
  ],
  invalid: [
    { code: nat(true) + table('filter', `:FORWARD DROP [0:0]\n${est}`), name: 'only replies accepted' },
    { code: table('nat', '«-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.5»') + table('filter', `:FORWARD ACCEPT [0:0]\n${est}\n-A FORWARD -s 192.168.1.0/24 -j REJECT`), name: 'SNAT, the network rejected' },
    { code: table('nat', ':out - [0:0]\n-A POSTROUTING -o eth0 -j out\n«-A out -s 10.8.0.0/24 -j MASQUERADE»') + table('filter', ':FORWARD DROP [0:0]'), name: 'in a user chain POSTROUTING jumps to' },
    { code: 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE»\n', dialect: 'script', name: 'the script form' },
    { code: 'ip6tables -P FORWARD DROP\n«ip6tables -t nat -A POSTROUTING -s fd42::/64 -o eth0 -j MASQUERADE»\n', dialect: 'script', family: 'ipv6', name: 'IPv6' },
    inUfw('DROP', '', true),
    inUfw('REJECT', '', true),
    inUfw('DROP', '-A ufw-user-forward -s 10.9.0.0/24 -o eth0 -j ACCEPT\n', true),
  ],
});

test('masquerade-without-forward-accept: the script\'s fix accepts the network out of the interface, after the NAT command', () => {
  const text = 'iptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE\n';
  const { text: fixed, left } = fixFirst(masqueradeWithoutForwardAccept, text, { dialect: 'script' });
  assert.equal(left, 0);
  assert.equal(fixed, `${text}iptables -A FORWARD -s 10.8.0.0/24 -o eth0 -j ACCEPT\n`);
});

test('masquerade-without-forward-accept in ufw\'s before.rules: the fix accepts in ufw-before-forward', () => {
  const c = inUfw('DROP');
  const { text, left } = fixFirst(masqueradeWithoutForwardAccept, c.code, c);
  assert.equal(left, 0);
  assert.match(text, /RELATED,ESTABLISHED -j ACCEPT\n-A ufw-before-forward -s 10\.8\.0\.0\/24 -o eth0 -j ACCEPT\nCOMMIT\n$/);
});

ruleTable(masqueradeWithoutForwardAccept, {
  valid: [{ code: nat() + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -p tcp -s 10.8.0.0/16 --dport 443 -j ACCEPT`), name: 'TCP to one port accepted: not every connection dropped' }],
  invalid: [
    { code: nat(true) + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -p icmp --icmp-type echo-request -j ACCEPT`), name: 'pings let through, TCP dropped (ufw\'s before.rules does so)' },
    {
      code: table('nat', `«${masq} -p tcp»\n«${masq} -p udp»\n«${masq}»\n«-A POSTROUTING -s 10.8.0.0/16 -o eth0 -j MASQUERADE»\n${masq} -p tcp\n${masq} -p udp\n${masq}\n-A POSTROUTING -s 10.8.0.0/16 -o eth0 -j MASQUERADE`) + table('filter', ':FORWARD DROP [0:0]'),
      name: 'rules repeated (libvirt\'s after restarts): each packet reported on its first rule, a wider network of its own',
    },
  ],
});
