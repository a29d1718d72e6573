import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { packetFields } from '../../../server/src/core/services/packetFields.ts';
import { PACKET_KEYS, parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

const script = `WAN=eth0
iptables -t nat -A PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 192.168.50.10:8080
iptables -A FORWARD -i lan0 -o wan0 -s 192.168.50.0/24 -j ACCEPT
iptables -A INPUT -i $WAN -p udp -m multiport --dports 53,67:68 -j ACCEPT
iptables -A INPUT -i ppp+ -d 203.0.113.1 -p tcp --dport ssh -j ACCEPT
`;

test('the values a SPEC can take come from the rules: interfaces, host addresses, ports, protocols', () => {
  const f = packetFields(new FirewallDocument(script, { dialect: 'script' }).ruleSet);
  assert.deepEqual(f.keys.map((k) => k.key), [...PACKET_KEYS]);
  // $WAN is set once by the script: its value is offered too
  assert.deepEqual(f.values.in, ['wan0', 'eth0', 'lan0']);
  assert.deepEqual(f.values.dst, ['192.168.50.10', '203.0.113.1']);
  assert.deepEqual(f.values.dport, ['80', '8080', '53', '67', '68', '22']);
  assert.deepEqual(f.values.proto.slice(0, 2), ['tcp', 'udp']);
  assert.ok(f.values.proto.includes('icmp'));
  assert.deepEqual(f.values.state, ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED']);
});

test('every value offered is one the SPEC parser accepts', () => {
  const f = packetFields(new FirewallDocument(script, { dialect: 'script' }).ruleSet);
  for (const key of PACKET_KEYS) {
    for (const v of f.values[key]) assert.ok(parsePacketSpec(`${key}=${v}`).packet, `${key}=${v}`);
  }
});

test('ICMP types: those the rules name, a ping, and neighbour discovery where there are IPv6 rules; each one a SPEC takes for its family', () => {
  const dual = 'iptables -A INPUT -p icmp --icmp-type fragmentation-needed -j ACCEPT\nip6tables -A INPUT -p ipv6-icmp --icmpv6-type packet-too-big -j ACCEPT\n';
  const f = packetFields(new FirewallDocument(dual, { dialect: 'script' }).ruleSet);
  assert.deepEqual(f.values['icmp-type'], ['fragmentation-needed', 'packet-too-big', 'echo-request', 'neighbour-solicitation', 'neighbour-advertisement']);
  for (const v of f.values['icmp-type']) assert.ok(parsePacketSpec(`icmp-type=${v}`).packet || parsePacketSpec(`family=ipv6 icmp-type=${v}`).packet, v);
  const v4 = packetFields(new FirewallDocument(script, { dialect: 'script' }).ruleSet);
  assert.deepEqual(v4.values['icmp-type'], ['echo-request']);
});
