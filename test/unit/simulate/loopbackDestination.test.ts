import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { natAddressAndPort } from '../../../server/src/core/knowledge/values/addresses.ts';
import { tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { isLoopbackAddress, parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * A DNAT to a loopback address hands the connection to the host: after PREROUTING it takes
 * INPUT, never FORWARD (the trace once showed it forwarded). Whether routing lets it through
 * from another host is dnat-to-loopback's finding, measured in test/oracle/dnatToLoopback.
 */
const rules = (family: 'v4' | 'v6') => `*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination ${family === 'v4' ? '127.0.0.1:8080' : '::1'}
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
-A INPUT -p tcp --dport ${family === 'v4' ? 8080 : 80} -j ACCEPT
COMMIT
`;

test('a DNAT to 127.0.0.1 goes to INPUT, where route_localnet allows it; one to ::1 is dropped by routing', () => {
  const v4 = tracePacket(new FirewallDocument(rules('v4'), { dialect: 'save' }).ruleSet, parsePacketSpec('in=eth0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=80').packet!);
  assert.deepEqual(v4.map((o) => [o.hooks, o.verdict, o.packet.dst]), [[['PREROUTING', 'INPUT'], 'ACCEPT', '127.0.0.1']]);
  assert.match(v4[0].routing!, /net\.ipv4\.conf\.eth0\.route_localnet=1/);
  // measured: the client gets ENETUNREACH (test/oracle/dnatToLoopback.test.ts)
  const v6 = tracePacket(new FirewallDocument(rules('v6'), { dialect: 'save', family: 'ipv6' }).ruleSet, parsePacketSpec('family=ipv6 in=eth0 proto=tcp src=2001:db8::7 dst=2001:db8::1 dport=80').packet!);
  assert.deepEqual(v6.map((o) => [o.hooks, o.verdict, o.packet.dst]), [[['PREROUTING'], 'DROP', '::1']]);
  assert.match(v6[0].routing!, /routing drops it/);
  // the host's own connections to its loopback: no note
  const own = tracePacket(new FirewallDocument(rules('v4'), { dialect: 'save' }).ruleSet, parsePacketSpec('in=lo proto=tcp src=127.0.0.1 dst=127.0.0.1 dport=8080').packet!);
  assert.equal(own[0].routing, undefined);
});

test('NAT addresses and ports read as iptables reads them', () => {
  const rows: [string, ReturnType<typeof natAddressAndPort>][] = [
    ['192.168.1.10', { address: '192.168.1.10' }],
    ['192.168.1.10:8080', { address: '192.168.1.10', port: '8080' }],
    ['10.0.0.1-10.0.0.5:1000-2000', { address: '10.0.0.1', port: '1000-2000' }],
    [':8080', { port: '8080' }],
    ['::1', { address: '::1' }],
    ['2001:db8::1', { address: '2001:db8::1' }],
    ['[2001:db8::1]:80', { address: '2001:db8::1', port: '80' }],
    ['[2001:db8::1-2001:db8::5]', { address: '2001:db8::1' }],
  ];
  for (const [value, expected] of rows) assert.deepEqual(natAddressAndPort(value), expected, value);
});

test('loopback addresses', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::0001']) assert.equal(isLoopbackAddress(a), true, a);
  for (const a of ['128.0.0.1', '10.127.0.1', '::', '::2', '2001:db8::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(a), false, a);
});

test('a script\'s route_localnet: turned off for the interface, routing drops the DNAT to 127.0.0.1; maybe on, it reaches INPUT without a note', () => {
  const dnat = 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080\n';
  const packet = parsePacketSpec('in=eth0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=80').packet!;
  const trace = (script: string) => tracePacket(new FirewallDocument(script, { dialect: 'script' }).ruleSet, packet);
  const [off] = trace(`sysctl -w net.ipv4.conf.all.route_localnet=0\n${dnat}`);
  assert.deepEqual([off.verdict, off.hooks], ['DROP', ['PREROUTING']]);
  assert.match(off.routing!, /this script turns it off/);
  for (const on of ['sysctl -w net.ipv4.conf.eth0.route_localnet=1\n', 'sysctl -p\n']) {
    const [o] = trace(`${on}${dnat}`);
    assert.deepEqual([o.verdict, o.hooks, o.routing], ['ACCEPT', ['PREROUTING', 'INPUT'], undefined], on);
  }
  // another interface turned on leaves eth0 off; nothing set: the note, not a drop
  assert.equal(trace(`sysctl -w net.ipv4.conf.eth1.route_localnet=1\nsysctl -w net.ipv4.conf.eth0.route_localnet=0\n${dnat}`)[0].verdict, 'DROP');
  const [unset] = trace(dnat);
  assert.deepEqual([unset.verdict, unset.hooks], ['ACCEPT', ['PREROUTING', 'INPUT']]);
  assert.match(unset.routing!, /route_localnet=1/);
});

test("a save file's route_localnet in its workspace sysctl files: off for the interface drops at routing, on lets it in", () => {
  const rs = new FirewallDocument(rules('v4'), { dialect: 'save' }).ruleSet;
  const p = parsePacketSpec('in=eth0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=80').packet!;
  const file = '/srv/router/sysctl.conf';
  const trace = (routeLocalnet: { iface: string; value?: string; file: string }[]) => tracePacket(rs, p, { forwarding: [], routeLocalnet });
  const off = trace([{ iface: 'eth0', value: '0', file }]);
  assert.deepEqual(off.map((o) => [o.hooks, o.verdict, o.packet.dst]), [[['PREROUTING'], 'DROP', '127.0.0.1']]);
  assert.match(off[0].routing!, /sysctl\.conf/);
  // set on for all, or for the interface: no note; for another interface: the note as without files
  assert.deepEqual(trace([{ iface: 'all', value: '1', file }]).map((o) => [o.verdict, o.routing]), [['ACCEPT', undefined]]);
  assert.deepEqual(trace([{ iface: 'eth1', value: '0', file }, { iface: 'eth0', value: '1', file }]).map((o) => [o.verdict, o.routing]), [['ACCEPT', undefined]]);
  const other = trace([{ iface: 'eth1', value: '0', file }]);
  assert.equal(other[0].verdict, 'ACCEPT');
  assert.match(other[0].routing!, /net\.ipv4\.conf\.eth0\.route_localnet=1/);
});
