import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { missingMasquerade } from './missing-masquerade.ts';

const script = { dialect: 'script' as const };
const out = 'iptables -A FORWARD -s 192.168.1.0/24 -o eth0 -j ACCEPT';

ruleTable(missingMasquerade, {
  valid: [
    { code: `${out}\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n`, ...script, name: 'a MASQUERADE out of the same interface' },
    { code: `${out}\niptables -t nat -A POSTROUTING -s 192.168.0.0/16 -j SNAT --to-source 203.0.113.1\n`, ...script, name: 'an SNAT of a network holding it, any interface' },
    { code: `${out}\niptables -t nat -A POSTROUTING -s 192.168.1.128/25 ! -d 192.168.0.0/16 -j MASQUERADE\n`, ...script, name: 'a translation of part of the network, to all but private addresses' },
    { code: `${out}\niptables -t nat -A POSTROUTING -o eth+ -j MASQUERADE\n`, ...script, name: 'an interface wildcard taking it' },
    { code: `${out}\niptables -t nat -A POSTROUTING -o $WAN -j MASQUERADE\n`, ...script, name: 'a shell expansion' },
    { code: `${out}\niptables -t nat -N out\niptables -t nat -A POSTROUTING -j out\niptables -t nat -A out -m mark --mark 0x4000/0x4000 -j MASQUERADE\n`, ...script, name: 'in a chain POSTROUTING jumps to, under a test not read here' },
    { code: 'iptables -A FORWARD -s 192.168.1.0/24 -o eth0 -j ACCEPT\niptables -t nat -A POSTROUTING -j MASQUERADE\n', ...script, name: 'a MASQUERADE of everything' },
    { code: 'iptables -A FORWARD -s 192.168.1.0/24 -d 10.0.0.0/8 -j ACCEPT\n', ...script, name: 'to another private network (routed inside)' },
    { code: 'iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n', ...script, name: 'no source address: which network is behind eth1 is not known' },
    { code: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\niptables -A FORWARD -i eth0 -o eth1 -d 192.168.1.100 -p tcp --dport 8080 -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n', ...script, name: 'by interfaces, with the MASQUERADE' },
    { code: 'iptables -A FORWARD -i eth0 -o eth1 -d 192.168.1.100 -p tcp --dport 8080 -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n', ...script, name: 'by interfaces, nothing showing the internet behind eth0' },
    { code: 'iptables -A INPUT -i vlan10 -s 192.168.10.0/24 -j ACCEPT\niptables -A FORWARD -i vlan10 -o vlan13 -m conntrack --ctstate NEW -j ACCEPT\niptables -A FORWARD -i vlan13 -o vlan10 -m conntrack --ctstate NEW -p tcp --dport 445 -j ACCEPT\n', ...script, name: 'by interfaces, between two VLANs' },
    { code: 'iptables -A FORWARD -i eth1 -s 192.168.1.0/24 -j ACCEPT\niptables -A FORWARD -o eth2 -d 192.168.10.0/24 -j ACCEPT\niptables -A FORWARD -i eth1 -o eth2 -j ACCEPT\niptables -t nat -A POSTROUTING -s 192.168.0.0/16 -o eth0 -j MASQUERADE\n', ...script, name: 'by interfaces, from a LAN to a DMZ' },
    { code: 'iptables -A FORWARD -i eth1 -s 192.168.1.0/24 -j DROP\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n', ...script, name: 'by interfaces, a drop of a private network is no LAN (anti-spoofing)' },
    { code: 'iptables -A FORWARD -s 203.0.113.0/24 -o eth0 -j ACCEPT\n', ...script, name: 'a public network' },
    { code: 'iptables -A FORWARD -s 192.168.1.0/24 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n', ...script, name: 'replies only' },
    { code: 'iptables -A FORWARD ! -s 192.168.1.0/24 -j ACCEPT\niptables -A FORWARD -s 192.168.1.0/24 -j DROP\n', ...script, name: 'a negated source, a DROP' },
    { code: 'iptables -A FORWARD -s $LAN -o eth0 -j ACCEPT\n', ...script, name: 'a network given by a variable' },
    { code: 'ip6tables -A FORWARD -s fd00::/64 -o eth0 -j ACCEPT\n', ...script, name: 'IPv6' },
    { code: 'iptables -A INPUT -s 192.168.1.0/24 -j ACCEPT\n', ...script, name: 'the host\'s own connections' },
    { code: `${out}\niptables -t nat -A POSTROUTING -p tcp -o eth0 -j MASQUERADE\n`, ...script, name: 'a translation of one protocol: some of them are translated' },
    { code: table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -s 192.168.1.0/24 -o eth0 -j ACCEPT'), name: 'a save file of the filter table alone' },
    { code: 'iptables -A FORWARD -i eth0 -o eth1 -d 192.168.10.3 -p tcp --dport 443 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -s 192.168.0.3 -p tcp --dport 22 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth2 -j MASQUERADE\n', ...script, name: 'out of an interface with private hosts behind it (a DMZ)' },
    { code: 'iptables -A FORWARD -i wg0 -s 10.9.0.0/24 -d 192.168.1.0/24 -j ACCEPT\niptables -A FORWARD -s 192.168.1.0/24 -o wg0 -j ACCEPT\n', ...script, name: 'out of an interface a private network arrives on' },
  ],
  invalid: [
    { code: `«${out}»\n`, ...script, severity: 'info', name: 'no source NAT at all' },
    { code: `«${out}»\niptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n`, ...script, name: 'a MASQUERADE out of another interface' },
    { code: `«${out}»\niptables -t nat -A POSTROUTING ! -o eth0 -j MASQUERADE\n`, ...script, name: 'out of any interface but this one' },
    { code: `«${out}»\niptables -t nat -A POSTROUTING -s 10.0.0.0/8 -o eth0 -j MASQUERADE\n`, ...script, name: 'of another network' },
    { code: `«${out}»\niptables -t nat -A POSTROUTING -s 192.168.0.0/16 -d 10.0.0.0/8 -j MASQUERADE\n`, ...script, name: 'towards private networks only' },
    { code: `«${out}»\niptables -t nat -A POSTROUTING ! -s 192.168.0.0/16 -j MASQUERADE\n`, ...script, name: 'of every source but the private ones' },
    { code: `«${out}»\niptables -t nat -A POSTROUTING -p udp -o eth0 -j MASQUERADE\n`.replace('-o eth0 -j ACCEPT»', '-o eth0 -p tcp -j ACCEPT»'), ...script, name: 'of another protocol' },
    { code: '«iptables -A FORWARD -s 10.8.0.0/24 ! -d 192.168.0.0/16 -j ACCEPT»\n', ...script, name: 'to all but the LAN' },
    { code: '«iptables -A FORWARD -s 172.16.5.0/24 -d 198.51.100.0/24 -p udp --dport 53 -j ACCEPT»\niptables -A FORWARD -s 172.16.5.0/24 -d 198.51.100.0/24 -p tcp --dport 53 -j ACCEPT\n', ...script, name: 'to a public network, the first accept of the network reported' },
    { code: table('nat', ':POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth2 -j MASQUERADE') + table('filter', ':FORWARD DROP [0:0]\n:lan_out - [0:0]\n-A FORWARD -i eth1 -j lan_out\n«-A lan_out -s 192.168.7.0/24 -o eth0 -j ACCEPT»'), name: 'in a chain FORWARD jumps to, in a save file' },
    { code: '«iptables -A FORWARD -s 192.168.1.0/24 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT»\n', ...script, name: 'new connections among others' },
    { code: 'iptables -A INPUT -p udp --dport 51820 -j ACCEPT\n«iptables -A FORWARD -i wg0 -s 10.9.0.0/24 -j ACCEPT»\n', ...script, name: 'VPN clients let out anywhere' },
    { code: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\niptables -A FORWARD -i eth0 -o eth1 -d 192.168.1.100 -p tcp --dport 8080 -j ACCEPT\n«iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT»\n', ...script, name: 'by interfaces: the LAN behind eth1 and the internet behind eth0 known from the port forward' },
    { code: 'iptables -A INPUT -i br-lan -s 192.168.8.0/24 -j ACCEPT\niptables -A FORWARD -i wan -o br-lan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -A FORWARD -i br-lan -o wan -m conntrack --ctstate NEW -j ACCEPT»\n', ...script, name: 'by interfaces: the LAN known from INPUT, the outside from the accept of replies only' },
  ],
});

const fixed = (text: string, dialect: 'save' | 'script' = 'script') => fixFirst(missingMasquerade, text, { dialect });

test('missing-masquerade fix in a script: a MASQUERADE after the accept, with its tool word and indentation', () => {
  const r = fixed('IPT=/sbin/iptables\nif true; then\n  $IPT -A FORWARD -s 192.168.1.0/24 -o eth0 -j ACCEPT\nfi\n');
  assert.equal(r.left, 0);
  assert.match(r.text, /\n {2}\$IPT -A FORWARD -s 192\.168\.1\.0\/24 -o eth0 -j ACCEPT\n {2}\$IPT -t nat -A POSTROUTING -s 192\.168\.1\.0\/24 -o eth0 -j MASQUERADE\nfi\n$/);
  // the network as the kernel keeps it: host bits cleared
  assert.match(fixed('iptables -A FORWARD -s 10.1.2.3/16 -j ACCEPT').text, /\niptables -t nat -A POSTROUTING -s 10\.1\.0\.0\/16 -j MASQUERADE\n$/);
});

test('missing-masquerade fix for an accept by interfaces: the MASQUERADE out of the outside interface', () => {
  const r = fixed('iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\niptables -A FORWARD -i eth0 -o eth1 -d 192.168.1.100 -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n');
  assert.equal(r.left, 0);
  assert.match(r.text, /\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n$/);
});

test('missing-masquerade fix in a save file: at the end of nat POSTROUTING', () => {
  const filter = table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -s 192.168.1.0/24 -o eth0 -j ACCEPT');
  const a = fixed(`${table('nat', ':PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth1 -j MASQUERADE')}${filter}`, 'save');
  assert.equal(a.left, 0);
  assert.match(a.text, /\n-A POSTROUTING -o eth1 -j MASQUERADE\n-A POSTROUTING -s 192\.168\.1\.0\/24 -o eth0 -j MASQUERADE\nCOMMIT\n\*filter\n/);
  // an empty POSTROUTING: after its declaration
  const b = fixed(`${table('nat', ':POSTROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]')}${filter}`, 'save');
  assert.equal(b.left, 0);
  assert.match(b.text, /^\*nat\n:POSTROUTING ACCEPT \[0:0\]\n-A POSTROUTING -s 192\.168\.1\.0\/24 -o eth0 -j MASQUERADE\n:OUTPUT/);
});
