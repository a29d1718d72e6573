import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * `-m addrtype --dst-type LOCAL` matches a packet sent to one of the host's addresses: a trace
 * that says which addresses the host has follows Docker's published port to the container
 * alone, instead of also assuming the packet might be for another host.
 */
const rules = `*nat
:PREROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
COMMIT
`;
const rs = new FirewallDocument(rules, { dialect: 'save' }).ruleSet;
const trace = (spec: string) => tracePacket(rs, parsePacketSpec(spec).packet!);

test('a packet for one of the host\'s addresses is LOCAL: one way through, to the container', () => {
  const o = trace('in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1');
  assert.equal(o.length, 1);
  assert.equal(o[0].rewrites.destination, '172.17.0.2:80');
  assert.deepEqual(o[0].hooks, ['PREROUTING', 'FORWARD', 'POSTROUTING']);
  assert.deepEqual(o[0].assumptions, []);
});

test('type names as iptables reads them: any case, a beginning, in a list', () => {
  for (const type of ['local', 'LOC', 'UNICAST,LOCAL']) {
    const rs2 = new FirewallDocument(rules.replace('--dst-type LOCAL', `--dst-type ${type}`), { dialect: 'save' }).ruleSet;
    const o = tracePacket(rs2, parsePacketSpec('in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1').packet!);
    assert.equal(o.length, 1, type);
  }
});

test('negated, or for an address the host may not have, or with --limit-iface-in: not known', () => {
  const negated = new FirewallDocument(rules.replace('-m addrtype --dst-type', '-m addrtype ! --dst-type'), { dialect: 'save' }).ruleSet;
  const o = tracePacket(negated, parsePacketSpec('in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1').packet!);
  assert.equal(o.length, 1);
  assert.equal(o[0].rewrites.destination, undefined, 'a packet for the host is not "not LOCAL"');
  assert.equal(trace('in=eth0 proto=tcp dst=198.51.100.9 dport=8080 local=203.0.113.1').length, 2);
  const limited = new FirewallDocument(rules.replace('--dst-type LOCAL', '--dst-type LOCAL --limit-iface-in'), { dialect: 'save' }).ruleSet;
  assert.equal(tracePacket(limited, parsePacketSpec('in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1').packet!).length, 2);
});
