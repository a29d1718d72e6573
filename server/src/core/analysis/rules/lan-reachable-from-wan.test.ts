import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { lanReachableFromWan } from './lan-reachable-from-wan.ts';

const script = { dialect: 'script' as const };
const OUT_AND_BACK = 'iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';
/** A dual-stack router: IPv4 closed and masqueraded out of eth0; IPv6's LAN out and replies back, forwarding on. */
const V4_ROUTER = `iptables -P FORWARD DROP\n${OUT_AND_BACK}iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n`;
const V6_OUT_AND_BACK = OUT_AND_BACK.replace(/iptables/g, 'ip6tables');
const ON6 = 'sysctl -w net.ipv6.conf.all.forwarding=1\n';
/** A rules.v6 with rules.v4 beside it masquerading out of eth0 (LAN behind eth1), IPv6 forwarding set in the workspace's sysctl files (or not). */
const pairedV6 = (forwarding: string | null = '1', nat = true) => ({
  family: 'ipv6' as const,
  options: { settings: { sshPort: 22, workspaceSearched: true, workspaceForwarding: forwarding === null ? [] : [{ family: 'ipv6' as const, value: forwarding, file: '/etc/sysctl.conf' }], ...(nat ? { workspaceIpv4Nat: { file: 'rules.v4', wan: 'eth0', lanIface: 'eth1' } } : {}) } },
});
const V6_FORWARD = (policy: string, rules = '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -i eth1 -o eth0 -j ACCEPT') => table('filter', `:FORWARD ${policy} [0:0]\n${rules}`);

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
    { ...script, code: `${ON6}${V4_ROUTER}ip6tables -P FORWARD DROP\n${V6_OUT_AND_BACK}`, name: 'IPv6: ip6tables closes FORWARD too' },
    { ...script, code: `${V4_ROUTER}${V6_OUT_AND_BACK}`, name: 'IPv6: the script never turns IPv6 forwarding on (the kernel starts with it off)' },
    { ...script, code: `sysctl -p\n${V4_ROUTER}${V6_OUT_AND_BACK}`, name: 'IPv6: forwarding maybe on, from a file the script loads' },
    { ...script, code: `${ON6}${V4_ROUTER}ip6tables -P FORWARD DROP\n${V6_OUT_AND_BACK}ip6tables -A FORWARD -i eth0 -o eth1 -d 2001:db8:1::80 -p tcp --dport 443 -j ACCEPT\n`, name: 'IPv6: one server\'s port let through' },
    { ...script, code: `${ON6}iptables -P FORWARD DROP\n${OUT_AND_BACK}${V6_OUT_AND_BACK}`, name: 'IPv6: no IPv4 source NAT says which side is outside' },
    { code: V6_FORWARD('DROP'), ...pairedV6(), name: 'rules.v6: FORWARD closed' },
    { code: V6_FORWARD('ACCEPT'), ...pairedV6(null), name: 'rules.v6: no sysctl file turns IPv6 forwarding on' },
    { code: V6_FORWARD('ACCEPT'), ...pairedV6('0'), name: 'rules.v6: a sysctl file turns it off' },
    { code: V6_FORWARD('ACCEPT'), ...pairedV6('1', false), name: 'rules.v6: no IPv4 half beside it says which side is outside' },
  ],
  invalid: [
    // a wg-quick configuration: the probe goes to the tunnel's network (Address), which the accept names
    { code: '[Interface]\nAddress = 10.8.0.1/24\nPostUp = «iptables -A FORWARD -d 10.8.0.0/24 -j ACCEPT»; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -D FORWARD -d 10.8.0.0/24 -j ACCEPT; iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE\n', hooks: 'wg-quick', name: 'a WireGuard server whose FORWARD accepts anything for its tunnel\'s network' },
    { code: table('filter', ':FORWARD «ACCEPT» [0:0]\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -i eth1 -o eth0 -j ACCEPT'), ...pairedV6(), name: 'rules.v6: FORWARD policy ACCEPT, rules.v4 beside it masquerades, forwarding on' },
    { code: table('filter', ':FORWARD DROP [0:0]\n«-A FORWARD -i eth0 -j ACCEPT»\n-A FORWARD -i eth1 -o eth0 -j ACCEPT'), ...pairedV6(), name: 'rules.v6: an accept of everything from the outside' },
    { ...script, code: `sysctl -w «net.ipv6.conf.all.forwarding=1»\n${V4_ROUTER}${V6_OUT_AND_BACK}`, name: 'IPv6: forwarding on, ip6tables\' FORWARD policy never set' },
    { ...script, code: `«echo 1 > /proc/sys/net/ipv6/conf/all/forwarding»\n${V4_ROUTER}`, name: 'IPv6: forwarding on, no ip6tables rule at all' },
    { ...script, code: `${ON6}${V4_ROUTER}ip6tables -P FORWARD «ACCEPT»\n${V6_OUT_AND_BACK}`, name: 'IPv6: ip6tables\' FORWARD policy set to ACCEPT' },
    { ...script, code: `${ON6}${V4_ROUTER}ip6tables -P FORWARD DROP\n«ip6tables -A FORWARD -i eth0 -j ACCEPT»\n${V6_OUT_AND_BACK}`, name: 'IPv6: an accept of everything from the outside' },
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

test('IPv6: the fix drops new connections from the outside at the top of ip6tables\' FORWARD, after its last command there, else after the source NAT', () => {
  const drop = '-I FORWARD -i eth0 -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP';
  const withRules = `#!/bin/sh\n${ON6}${V4_ROUTER}ip6tables -F FORWARD\n${V6_OUT_AND_BACK}echo done\n`;
  const r = fixFirst(lanReachableFromWan, withRules, script);
  assert.equal(r.text, withRules.replace('RELATED -j ACCEPT\necho done', `RELATED -j ACCEPT\nip6tables ${drop}\necho done`));
  assert.equal(r.left, 0);
  const without = `sudo sysctl -w net.ipv6.conf.all.forwarding=1\nsudo iptables -P FORWARD DROP\nsudo iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\necho done\n`;
  const s = fixFirst(lanReachableFromWan, without, script);
  assert.equal(s.text, without.replace('MASQUERADE\n', `MASQUERADE\nsudo ip6tables ${drop}\n`));
  assert.equal(s.left, 0);
});

test('IPv6: the message names the outside interface and the LAN\'s network its accept names', () => {
  const [d] = lintWith(lanReachableFromWan, `${ON6}${V4_ROUTER}ip6tables -A FORWARD -i eth1 -o eth0 -s 2001:db8:7::/64 -j ACCEPT\n`, script);
  assert.match(d.message, /IPv6 connection arriving on eth0 for 2001:db8:7::a \(behind this router\)/);
  assert.match(d.message, /without NAT/);
  assert.equal(d.related?.length, 1);
  // masqueraded IPv6 (a VPN's unique local addresses): hidden, but not closed
  const [n] = lintWith(lanReachableFromWan, `${ON6}${V4_ROUTER}ip6tables -A FORWARD -i eth1 -o eth0 -s fd00:7::/64 -j ACCEPT\nip6tables -t nat -A POSTROUTING -s fd00:7::/64 -o eth0 -j MASQUERADE\n`, script);
  assert.match(n.message, /arriving on eth0 for fd00:7::a .*NAT out of eth0 hides/);
});

test('rules.v6: the fix drops new connections from the outside as the first rule of FORWARD', () => {
  const text = V6_FORWARD('ACCEPT');
  const r = fixFirst(lanReachableFromWan, text, pairedV6());
  assert.equal(r.text, text.replace(':FORWARD ACCEPT [0:0]\n', ':FORWARD ACCEPT [0:0]\n-A FORWARD -i eth0 -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP\n'));
  assert.equal(r.left, 0);
});

/** A LAN's MASQUERADE in ufw's before.rules, judged with /etc/default/ufw's forward policy. */
function inUfw(policy: 'ACCEPT' | 'DROP', marked: boolean) {
  const masq = '-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE';
  return {
    code: table('nat', marked ? `«${masq}»` : masq) + table('filter', ':ufw-before-forward - [0:0]\n-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'),
    fileName: '/etc/ufw/before.rules',
    options: { settings: { workspaceUfw: { role: 'before' as const, defaults: { file: '/etc/default/ufw', forwardPolicy: policy }, files: [] } } },
    name: `ufw's before.rules, DEFAULT_FORWARD_POLICY ${policy}`,
  };
}

ruleTable(lanReachableFromWan, {
  valid: [inUfw('DROP', false), { ...inUfw('ACCEPT', false), options: undefined, name: 'ufw\'s before.rules alone: its forward policy unknown' }],
  invalid: [inUfw('ACCEPT', true)],
});

test('lan-reachable-from-wan in ufw\'s before.rules: the fix drops new connections from outside in ufw-before-forward', () => {
  const c = inUfw('ACCEPT', false);
  const { text, left } = fixFirst(lanReachableFromWan, c.code, c);
  assert.equal(left, 0);
  assert.match(text, /RELATED,ESTABLISHED -j ACCEPT\n-A ufw-before-forward -i eth0 -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP\nCOMMIT\n$/);
});
