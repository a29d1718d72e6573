import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * A packet routing would forward meets the script's forwarding setting first: set to 0 (and to
 * nothing else), routing drops it before FORWARD; never set, the way on says the host must
 * have it on; set to 1, or to a value known only when the script runs, nothing is said.
 */
const rules = (sysctl: string) => `${sysctl}iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080
iptables -A FORWARD -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT
`;
const packet = parsePacketSpec('in=eth0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=80 local=203.0.113.1').packet!;
const trace = (text: string, dialect: 'script' | 'save' = 'script') => tracePacket(new FirewallDocument(text, { dialect }).ruleSet, packet);

test('forwarding set to 0 by the script: routing drops the forwarded packet before FORWARD', () => {
  const [o, ...more] = trace(rules('sysctl -w net.ipv4.ip_forward=0\n'));
  assert.equal(more.length, 0);
  assert.deepEqual([o.verdict, o.hooks, o.packet.dst], ['DROP', ['PREROUTING'], '192.168.1.100']);
  assert.match(o.routing!, /net\.ipv4\.ip_forward=0/);
  assert.match(trace(rules('echo 0 > /proc/sys/net/ipv4/ip_forward\n'))[0].routing!, /routing drops it/);
});

test('forwarding never set by the script: the packet goes on, with what the host must have', () => {
  const [o] = trace(rules(''));
  assert.deepEqual([o.verdict, o.hooks], ['ACCEPT', ['PREROUTING', 'FORWARD', 'POSTROUTING']]);
  assert.match(o.routing!, /net\.ipv4\.ip_forward=1/);
});

test('forwarding on, or set from a value the script only knows when it runs, or a save file: nothing said', () => {
  for (const sysctl of ['sysctl -w net.ipv4.ip_forward=1\n', 'sysctl -w net.ipv4.ip_forward=0\nsysctl -w net.ipv4.ip_forward=1\n', 'sysctl -w net.ipv4.ip_forward=$FWD\n']) {
    const [o] = trace(rules(sysctl));
    assert.deepEqual([o.verdict, o.routing], ['ACCEPT', undefined], sysctl);
  }
  const save = '*nat\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\nCOMMIT\n';
  assert.equal(trace(save, 'save')[0].routing, undefined);
  // the host's own packets are not forwarded
  const local = parsePacketSpec('in=eth0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=22 local=203.0.113.1').packet!;
  assert.equal(tracePacket(new FirewallDocument(rules(''), { dialect: 'script' }).ruleSet, local)[0].routing, undefined);
});

/**
 * A save file's host: the workspace's sysctl files, as the front end reads them for the
 * save-file checks (see HostSysctl). Off in one of them and on in none, routing drops the
 * packet, the note naming the file; on in one, nothing is said; searched and set nowhere, the
 * way on says the host must have it. Not searched (no host given), nothing is said (above).
 */
test('a save file with its workspace sysctl files: off drops at routing, unset is said, on is silent', () => {
  const save = '*nat\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\nCOMMIT\n';
  const rs = new FirewallDocument(save, { dialect: 'save' }).ruleSet;
  const off = { file: '/srv/router/etc/sysctl.d/10-router.conf', family: 'ipv4' as const, value: '0' };
  const [dropped, ...more] = tracePacket(rs, packet, { forwarding: [off], routeLocalnet: [] });
  assert.equal(more.length, 0);
  assert.deepEqual([dropped.verdict, dropped.hooks, dropped.packet.dst], ['DROP', ['PREROUTING'], '192.168.1.100']);
  assert.match(dropped.routing!, /10-router\.conf.*net\.ipv4\.ip_forward=0/);
  const unset = tracePacket(rs, packet, { forwarding: [{ ...off, family: 'ipv6' }], routeLocalnet: [] });
  assert.deepEqual([unset[0].verdict, unset[0].hooks], ['ACCEPT', ['PREROUTING', 'FORWARD', 'POSTROUTING']]);
  assert.match(unset[0].routing!, /net\.ipv4\.ip_forward=1/);
  for (const on of [[{ ...off, value: '1' }], [off, { ...off, value: undefined }]]) {
    const [o] = tracePacket(rs, packet, { forwarding: on, routeLocalnet: [] });
    assert.deepEqual([o.verdict, o.routing], ['ACCEPT', undefined]);
  }
  // a script's own settings stand: the host given for a save file is not read
  assert.equal(tracePacket(new FirewallDocument(rules('sysctl -w net.ipv4.ip_forward=1\n'), { dialect: 'script' }).ruleSet, packet, { forwarding: [off], routeLocalnet: [] })[0].routing, undefined);
});
