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
