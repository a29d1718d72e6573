import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { definiteVerdict, tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * The order in which a hook calls its tables is the kernel's: by the priority each table
 * registers on that hook (NF_IP_PRI_* in linux/netfilter_ipv4.h). nat registers twice:
 * destination NAT at -100 on PREROUTING and OUTPUT, source NAT at 100 on INPUT and
 * POSTROUTING. The expected order here is computed from these numbers.
 */
const PRIORITY: Record<string, Record<string, number>> = {
  raw: { PREROUTING: -300, OUTPUT: -300 },
  mangle: { PREROUTING: -150, INPUT: -150, FORWARD: -150, OUTPUT: -150, POSTROUTING: -150 },
  nat: { PREROUTING: -100, OUTPUT: -100, INPUT: 100, POSTROUTING: 100 },
  filter: { INPUT: 0, FORWARD: 0, OUTPUT: 0 },
  security: { INPUT: 50, FORWARD: 50, OUTPUT: 50 },
};

function kernelOrder(hook: string): string[] {
  return Object.keys(PRIORITY)
    .filter((t) => PRIORITY[t][hook] !== undefined)
    .sort((a, b) => PRIORITY[a][hook] - PRIORITY[b][hook]);
}

// every table with every chain it has, each chain holding only a LOG rule: nothing decides,
// every policy accepts, so the path shows each (hook, table) the packet meets, in order
const everyTable = Object.keys(PRIORITY)
  .map((t) => `*${t}\n${Object.keys(PRIORITY[t]).map((c) => `:${c} ACCEPT [0:0]\n`).join('')}${Object.keys(PRIORITY[t]).map((c) => `-A ${c} -j LOG\n`).join('')}COMMIT\n`)
  .join('');
const doc = new FirewallDocument(everyTable, { dialect: 'save' });
const local = 'local=203.0.113.1';

for (const [name, spec, hooks] of [
  ['forwarded', `in=eth0 out=eth1 proto=tcp src=198.51.100.7 dst=192.168.1.10 dport=80 ${local}`, ['PREROUTING', 'FORWARD', 'POSTROUTING']],
  ['for the host', `in=eth0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=22 ${local}`, ['PREROUTING', 'INPUT']],
  ["the host's own", `origin=local out=eth0 proto=tcp src=203.0.113.1 dst=198.51.100.7 dport=443 ${local}`, ['OUTPUT', 'POSTROUTING']],
] as const) {
  test(`table order per hook, ${name} packet: the kernel's priorities`, () => {
    const o = tracePacket(doc.ruleSet, parsePacketSpec(spec).packet!);
    assert.equal(o.length, 1);
    assert.equal(o[0].verdict, 'ACCEPT');
    assert.deepEqual(o[0].hooks, hooks);
    const seen = o[0].path.map((s) => `${s.hook} ${s.table}`);
    assert.deepEqual(seen, hooks.flatMap((h) => kernelOrder(h).map((t) => `${h} ${t}`)));
    // LOG never decides: each chain ends at its policy
    assert.ok(o[0].path.every((s) => s.chain === s.hook && s.policy === 'ACCEPT'));
  });
}

test('INPUT: filter drops before source NAT is reached; when filter accepts, nat INPUT comes after it', () => {
  const rules = (filterInput: string) => `*nat
:INPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 22 -j SNAT --to-source 203.0.113.9
COMMIT
*filter
:INPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 22 -j ${filterInput}
COMMIT
`;
  const spec = `in=eth0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=22 ${local}`;
  const dropped = tracePacket(new FirewallDocument(rules('DROP'), { dialect: 'save' }).ruleSet, parsePacketSpec(spec).packet!);
  assert.equal(definiteVerdict(dropped), 'DROP');
  assert.deepEqual(dropped[0].path.map((s) => `${s.table}/${s.chain}`), ['nat/PREROUTING', 'filter/INPUT']);
  assert.deepEqual(dropped[0].rewrites, {});
  const accepted = tracePacket(new FirewallDocument(rules('ACCEPT'), { dialect: 'save' }).ruleSet, parsePacketSpec(spec).packet!);
  assert.equal(definiteVerdict(accepted), 'ACCEPT');
  assert.deepEqual(accepted[0].path.map((s) => `${s.table}/${s.chain}`), ['nat/PREROUTING', 'filter/INPUT', 'nat/INPUT']);
  assert.deepEqual(accepted[0].rewrites, { source: '203.0.113.9' });
});
