import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

const packet = parsePacketSpec('in=eth0 out=eth1 proto=tcp src=192.0.2.4 dst=198.51.100.8 dport=80').packet!;
const ruleSet = (lines: string[]) => new FirewallDocument(['*filter', ...lines, 'COMMIT', ''].join('\n'), { dialect: 'save' }).ruleSet;

test('an evaluation whose unknowns multiply stops with UNKNOWN instead of running away', () => {
  // each `-m recent` check is unknown offline, so every rule splits the walk, and every
  // branch that comes back from SUB meets the next jump into it
  const lines = [':FORWARD DROP [0:0]', ':SUB - [0:0]'];
  for (let i = 0; i < 30; i++) lines.push(`-A FORWARD -m recent --rcheck --name a${i} -j SUB`);
  for (let i = 0; i < 30; i++) lines.push(`-A SUB -m recent --rcheck --name b${i} -j MARK --set-mark ${i}`);
  lines.push('-A SUB -j RETURN');
  const t = performance.now();
  const outcomes = tracePacket(ruleSet(lines), packet);
  const ms = performance.now() - t;
  assert.ok(outcomes.some((o) => o.verdict === 'UNKNOWN'), 'cut short');
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
});

test('one long walk is not an explosion: 60,000 rules that cannot match reach the policy', () => {
  // no address index helps here (the packet's fields are not the ones the rules test)
  const lines = [':FORWARD DROP [0:0]'];
  for (let i = 0; i < 60_000; i++) lines.push(`-A FORWARD -p tcp -m tcp --dport ${1000 + (i % 50_000)} -j ACCEPT`);
  const outcomes = tracePacket(ruleSet(lines), packet);
  assert.deepEqual(outcomes.map((o) => o.verdict), ['DROP']);
  assert.equal(outcomes[0].path.at(-1)?.policy, 'DROP');
});

test('branches that carry the same packet on to the next table are merged: unknowns in several tables do not multiply', () => {
  // five rules per chain that may or may not match and only mark or log: 32 branches in each
  // of five chains on the way were 32^5 before the branches with one packet were merged
  const doc = (chains: [string, string][]) => {
    const byTable = new Map<string, string[]>();
    for (const [table, chain] of chains) {
      const lines = byTable.get(table) ?? [];
      for (let i = 0; i < 5; i++) lines.push(`-A ${chain} -m statistic --mode random --probability 0.5 -j ${table === 'mangle' ? `MARK --set-mark ${i}` : 'LOG'}`);
      byTable.set(table, lines);
    }
    return [...byTable].map(([t, lines]) => [`*${t}`, ...lines, 'COMMIT'].join('\n')).join('\n') + '\n';
  };
  const text = doc([['raw', 'PREROUTING'], ['mangle', 'PREROUTING'], ['mangle', 'FORWARD'], ['filter', 'FORWARD'], ['mangle', 'POSTROUTING']]);
  const outcomes = tracePacket(new FirewallDocument(text, { dialect: 'save' }).ruleSet, packet);
  assert.deepEqual(outcomes.map((o) => o.verdict), ['ACCEPT']);
  assert.deepEqual(outcomes[0].hooks, ['PREROUTING', 'FORWARD', 'POSTROUTING']);
});

test('rules without a target (per-host counters) do not split the walk: a port forward through 1,024 of them is decided, and the DNAT check reports it', () => {
  // a router that counts each LAN host's traffic in FORWARD, as a corpus dump does (512 hosts,
  // both ways): each counter split the walk, and the splits ran out before the accept, UNCERTAIN
  const lines = [':FORWARD DROP [0:0]'];
  for (let i = 0; i < 512; i++) lines.push(`-A FORWARD -s 172.16.2.${i % 256}/32`, `-A FORWARD -d 172.16.${2 + (i >> 8)}.${i & 255}/32`);
  const text = (accept: string) => `*nat\n-A PREROUTING -i ppp0 -p tcp --dport 4081 -j DNAT --to-destination 172.16.2.34\nCOMMIT\n*filter\n${lines.join('\n')}\n${accept}COMMIT\n`;
  const forwarded = parsePacketSpec('in=ppp0 proto=tcp dport=4081 dst=203.0.113.1 local=203.0.113.1').packet!;
  const doc = new FirewallDocument(text('-A FORWARD -d 172.16.2.34 -p tcp --dport 4081 -j ACCEPT\n'), { dialect: 'save' });
  assert.deepEqual([...new Set(tracePacket(doc.ruleSet, forwarded).map((o) => o.verdict))], ['ACCEPT']);
  // without the accept the port forward is dropped, and said so
  const dropped = new FirewallDocument(text(''), { dialect: 'save' });
  assert.deepEqual([...new Set(tracePacket(dropped.ruleSet, forwarded).map((o) => o.verdict))], ['DROP']);
  assert.deepEqual(dropped.diagnostics().filter((d) => d.code === 'dnat-without-forward-accept').length, 1);
});
