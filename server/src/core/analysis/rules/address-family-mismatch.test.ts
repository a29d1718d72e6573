import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { addressFamilyMismatch } from './address-family-mismatch.ts';

ruleTable(addressFamilyMismatch, {
  valid: [
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -d 192.0.2.1 -j ACCEPT') },
    { code: table('filter', '-A INPUT -s 2001:db8::/32 -j ACCEPT'), family: 'ipv6' },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:8080') },
    // iptables 1.8.9 takes a port alone: the packet keeps its address, and gets the new port
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination :8080\n-A POSTROUTING -p udp -j SNAT --to-source :1024-2048'), name: 'a NAT target\'s port without an address' },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination [2001:db8::1]:8080'), family: 'ipv6' },
    { code: 'iptables -A INPUT -s "$V6" -j DROP\nip6tables -A INPUT -p ipv6-icmp -j ACCEPT\n', dialect: 'script' },
    { code: table('filter', '-A INPUT -s example.org -j ACCEPT'), name: 'host names are not judged' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -s «2001:db8::1» -j ACCEPT'), family: 'ipv4' },
    { code: table('filter', '-A INPUT -d «10.0.0.1,2001:db8::1» -j ACCEPT'), family: 'ipv4', name: 'one of a list' },
    { code: 'ip6tables -A INPUT -s «192.0.2.0/24» -j DROP\n', dialect: 'script' },
    { code: 'ip6tables -A INPUT -m «ttl» --ttl-eq 255 -j ACCEPT\nip6tables -t mangle -A OUTPUT -j «TTL» --ttl-set 64\niptables -A INPUT -m «hl» --hl-lt 2 -j DROP\n', dialect: 'script', name: 'ttl and hl, TTL and HL: each family has its own' },
    // measured (1.8.9): both load, and never match
    { code: 'ip6tables -A INPUT -p «icmp» -j ACCEPT\niptables -A INPUT -p «ipv6-icmp» -j ACCEPT\nip6tables -A INPUT -p «1» -j ACCEPT\n', dialect: 'script', severity: 'warning', name: 'the other family\'s ICMP as the protocol' },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination «10.0.0.1:80»'), family: 'ipv6' },
    // measured (1.8.9, both backends): "getaddrinfo: Address family for hostname not supported"
    {
      code: 'iptables -A INPUT -m policy --dir in --pol ipsec --mode tunnel --tunnel-src «fd00::1» --tunnel-dst 10.0.0.2 -j ACCEPT\n' +
        'ip6tables -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 1 --on-ip «10.0.0.1»\nip6tables -A INPUT -m srh --srh-psid «10.0.0.1» -j ACCEPT\n',
      dialect: 'script', name: 'every option whose value is an address: policy\'s tunnel ends, TPROXY, srh',
    },
    { code: 'ip6tables -t raw -A PREROUTING -p tcp -j CT --helper «irc»\nip6tables -t raw -A PREROUTING -p udp -j CT --helper «snmp»\nip6tables -t raw -A PREROUTING -p tcp -j CT --helper ftp\n', dialect: 'script', name: 'a conntrack helper the kernel has for IPv4 only' },
  ],
});

test('address-family-mismatch fix: the counterpart match or target, options renamed', () => {
  const text = 'ip6tables -A INPUT -m ttl --ttl-eq 255 -j ACCEPT\nip6tables -t mangle -A OUTPUT -j TTL --ttl-inc 1\n';
  const diags = lintWith(addressFamilyMismatch, text, { dialect: 'script' });
  assert.equal(diags.length, 2);
  const out = applyFix(text, { title: 'both', edits: diags.flatMap((d) => d.fixes![0].edits) });
  assert.equal(out, 'ip6tables -A INPUT -m hl --hl-eq 255 -j ACCEPT\nip6tables -t mangle -A OUTPUT -j HL --hl-inc 1\n');
  assert.deepEqual(lintWith(addressFamilyMismatch, out, { dialect: 'script' }), []);
  // ICMPv6 type 133 is a router solicitation; ICMP type 133 is none: no fix
  const [d] = lintWith(addressFamilyMismatch, 'iptables -A INPUT -p icmp -m icmp6 --icmpv6-type 133 -j ACCEPT\n', { dialect: 'script' });
  assert.deepEqual(d.fixes?.filter((f) => f.title.startsWith('Change')) ?? [], []);
  const [named] = lintWith(addressFamilyMismatch, 'iptables -A INPUT -p icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT\n', { dialect: 'script' });
  assert.deepEqual(named.fixes?.[0].edits.map((e) => e.text), ['icmp', '--icmp-type']);
});

test('address-family-mismatch: the other family\'s ICMP as -p is changed to this family\'s', () => {
  const [v6] = lintWith(addressFamilyMismatch, 'ip6tables -A INPUT -p icmp -j ACCEPT\n', { dialect: 'script' });
  assert.deepEqual(v6.fixes?.[0].edits.map((e) => e.text), ['ipv6-icmp']);
  const [v4] = lintWith(addressFamilyMismatch, 'iptables -A INPUT -p icmpv6 -j ACCEPT\n', { dialect: 'script' });
  assert.deepEqual(v4.fixes?.[0].edits.map((e) => e.text), ['icmp']);
  assert.equal(lintWith(addressFamilyMismatch, 'iptables -A INPUT -p icmp6 -j ACCEPT\n', { dialect: 'script' }).length, 0, 'a name iptables does not know: invalid-value reports it');
});
