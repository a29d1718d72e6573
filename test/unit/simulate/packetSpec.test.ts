import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { packetToSpec, parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';
import { packetMatchedBy } from '../../../server/src/core/simulate/packetFromRule.ts';

test('a SPEC error names the key at fault and where it is', () => {
  const cases: [string, string | undefined, string][] = [
    ['in=eth0 colour=blue', 'colour', 'colour=blue'],
    ['proto=tcp dport=http', 'dport', 'dport=http'],
    ['dport=70000', 'dport', 'dport=70000'],
    ['state=OPEN', 'state', 'state=OPEN'],
    ['proto=tcpp', 'proto', 'proto=tcpp'],
    ['dst=10.0.0.300 proto=tcp', 'dst', 'dst=10.0.0.300'],
    ['family=ipv4 src=2001:db8::1', 'src', 'src=2001:db8::1'],
    ['src=2001:db8::1 dst=10.0.0.1', 'dst', 'dst=10.0.0.1'],
    ['family=ipv6 dst=10.0.0.1', 'dst', 'dst=10.0.0.1'],
    ['local=10.0.0.1,nope', 'local', 'local=10.0.0.1,nope'],
    ['in=eth+', 'in', 'in=eth+'],
    ['in=averyveryverylongname', 'in', 'in=averyveryverylongname'],
    ['dst=', 'dst', 'dst='],
    ['proto=tcp  80', undefined, '80'],
    ['proto=icmp icmp-type=neighbour-solicitation', 'icmp-type', 'icmp-type=neighbour-solicitation'],
    ['icmp-type=any proto=icmp', 'icmp-type', 'icmp-type=any'],
    ['icmp-type=3/0:4', 'icmp-type', 'icmp-type=3/0:4'],
    ['icmp-type=echo-request family=ipv6 icmp-type=256', 'icmp-type', 'icmp-type=256'],
  ];
  for (const [spec, key, part] of cases) {
    const r = parsePacketSpec(spec);
    assert.equal(r.packet, undefined, spec);
    assert.equal(r.key, key, spec);
    assert.equal(spec.slice(r.start, r.end), part, spec);
  }
});

test('an ICMP type is read for the family, wherever the family is written', () => {
  assert.deepEqual([parsePacketSpec('icmp-type=neighbour-sol family=ipv6').packet?.icmpType, parsePacketSpec('icmp-type=frag').packet?.icmpCode], [135, 4]);
  assert.equal(parsePacketSpec('icmp-type=neighbour-solicitation').packet, undefined, 'an ICMPv6 name is no ICMP type');
});

test('addresses are checked against the family, wherever the family is written', () => {
  assert.ok(parsePacketSpec('dst=2001:db8::1 family=ipv6 local=2001:db8::1').packet);
  assert.ok(parsePacketSpec('dst=10.0.0.1 local=10.0.0.1,10.0.0.2').packet);
});

test('without family=, the first address given says the family, else the document\'s', () => {
  const family = (spec: string, given?: 'ipv6') => parsePacketSpec(spec, given).packet?.family;
  assert.equal(family('src=2001:db8::1 dport=22 proto=tcp'), 'ipv6');
  assert.equal(family('local=2001:db8::1,2001:db8::2 in=eth0'), 'ipv6');
  assert.equal(family('proto=ipv6-icmp icmp-type=neighbour-solicitation dst=fe80::1'), 'ipv6');
  assert.equal(family('dst=10.0.0.1'), 'ipv4');
  assert.equal(family('dst=10.0.0.1', 'ipv6'), 'ipv4');
  assert.equal(family('proto=tcp dport=22', 'ipv6'), 'ipv6');
  assert.equal(family('family=ipv4 proto=tcp dport=22', 'ipv6'), 'ipv4');
  assert.equal(family('proto=tcp dport=22'), 'ipv4');
});

test('packetToSpec writes a SPEC that parses back to the same packet', () => {
  for (const spec of ['in=eth0 proto=tcp dst=203.0.113.1 dport=80', 'origin=local out=lan0 src=10.200.2.1 proto=udp sport=5353 dst=10.200.2.2 dport=53 state=ESTABLISHED local=10.200.1.1,10.200.2.1', 'family=ipv6 dst=2001:db8::1 proto=icmpv6', 'family=ipv6 proto=ipv6-icmp icmp-type=neighbour-solicitation state=UNTRACKED', 'proto=icmp icmp-type=3/4', '']) {
    const p = parsePacketSpec(spec).packet!;
    assert.deepEqual(parsePacketSpec(packetToSpec(p)).packet, p, spec);
  }
  assert.equal(packetToSpec(parsePacketSpec('dport=80 proto=tcp').packet!), 'proto=tcp dport=80 state=NEW');
});

function ruleOf(text: string, dialect: 'save' | 'script' = 'save') {
  const doc = new FirewallDocument(text, { dialect });
  return doc.ruleSet.commands.find((c) => c.rule?.target?.name === 'DNAT' || c.rule?.target?.name === 'REDIRECT')!.rule!;
}

test('the packet a DNAT rule is written for: its interface, protocol, destination and port; new; source unknown', () => {
  const p = packetMatchedBy(ruleOf('*nat\n-A PREROUTING -i wan0 -p tcp -d 203.0.113.1/32 --dport 80 -j DNAT --to-destination 192.168.50.10:8080\nCOMMIT\n'));
  assert.deepEqual(p, { family: 'ipv4', in: 'wan0', out: undefined, proto: 'tcp', src: undefined, sport: undefined, dst: '203.0.113.1', dport: 80, state: 'NEW', origin: 'remote', local: [] });
  assert.equal(packetToSpec(p), 'in=wan0 proto=tcp dst=203.0.113.1 dport=80 state=NEW');
});

test('what a rule does not pin down stays unknown: wildcards, networks, ranges, lists, negations, expansions', () => {
  const p = packetMatchedBy(ruleOf('*nat\n-A PREROUTING -i ppp+ -p tcp ! -s 10.0.0.0/8 -d 203.0.113.0/24 --dport 8000:8100 -j DNAT --to-destination 10.0.0.2\nCOMMIT\n'));
  assert.deepEqual([p.in, p.src, p.dst, p.dport, p.proto], [undefined, undefined, undefined, undefined, 'tcp']);
  const m = packetMatchedBy(ruleOf('*nat\n-A PREROUTING -p udp -m multiport --dports 53,5353 -j REDIRECT --to-ports 5353\nCOMMIT\n'));
  assert.equal(m.dport, undefined);
  const one = packetMatchedBy(ruleOf('*nat\n-A PREROUTING -p tcp -m multiport --dports 443 -j REDIRECT --to-ports 8443\nCOMMIT\n'));
  assert.equal(one.dport, 443);
  const named = packetMatchedBy(ruleOf('*nat\n-A PREROUTING ! -i lo -p tcp --dport https -j DNAT --to-destination 10.0.0.2\nCOMMIT\n'));
  assert.deepEqual([named.in, named.dport], [undefined, 443]);
  const script = packetMatchedBy(ruleOf('iptables -t nat -A PREROUTING -i $WAN -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2\nWAN=eth0\n', 'script'));
  assert.deepEqual([script.in, script.proto, script.dport], [undefined, 'tcp', 80], 'WAN is set after the command: its value then comes from the environment');
  const set = packetMatchedBy(ruleOf('WAN=eth0\niptables -t nat -A PREROUTING -i $WAN -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2\n', 'script'));
  assert.equal(set.in, 'eth0', 'set once before: its value');
  const out = packetMatchedBy(ruleOf('iptables -t nat -A OUTPUT -p tcp -d 198.51.100.1 --dport 25 -j DNAT --to-destination 127.0.0.1:2525\n', 'script'));
  assert.equal(out.origin, 'local');
  const v6 = packetMatchedBy(ruleOf('ip6tables -t nat -A PREROUTING -p tcp -d 2001:db8::1 --dport 80 -j DNAT --to-destination [2001:db8::2]:8080\n', 'script'));
  assert.deepEqual([v6.family, v6.dst], ['ipv6', '2001:db8::1']);
});
