import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { ruleMatches } from '../../../server/src/core/simulate/conditions.ts';
import { definiteVerdict, evaluateChain } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * A trace of a packet whose source is not given follows only the ways some source can take
 * (see provenByAssumptions in evaluate.ts). The property: for random chains and each concrete
 * source, the way the concrete packet takes through INPUT is among the ways of the packet
 * without source, with every rule it assumes matching (or not) as it does for that source.
 */
const FAMILIES = {
  ipv4: {
    networks: ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3', '10.2.0.0/16', '192.0.2.0/24', '10.1.0.0/255.255.0.0', '10.0.2.0/255.0.255.0'],
    sources: ['10.1.2.3', '10.1.2.4', '10.1.3.1', '10.2.0.1', '10.3.2.1', '192.0.2.5', '198.51.100.1'],
    local: '203.0.113.1',
  },
  ipv6: {
    networks: ['2001:db8::/32', '2001:db8:1::/48', '2001:db8:1:2::/64', '2001:db8:1:2::3', '2001:db8:2::/48', 'fd00::/8', '2001:db8:1::/ffff:ffff:ffff::', '2001:db8::/ffff:0:ffff::'],
    sources: ['2001:db8:1:2::3', '2001:db8:1:2::4', '2001:db8:1:3::1', '2001:db8:2::1', '2001:db8:3:2::1', 'fd00::5', '2001:db9::1'],
    local: '2001:db8:ff::1',
  },
} as const;

function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function ruleSet(family: keyof typeof FAMILIES, next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const { networks } = FAMILIES[family];
  const line = (chain: string, targets: readonly string[]) => {
    const parts = [`-A ${chain}`];
    if (next() < 0.8) parts.push(`${next() < 0.15 ? '! ' : ''}-s ${pick(networks)}`);
    if (next() < 0.4) parts.push(`-p tcp --dport ${pick(['22', '80', '1:1024'])}`);
    parts.push(`-j ${pick(targets)}`);
    return parts.join(' ');
  };
  const input = Array.from({ length: 2 + Math.floor(next() * 8) }, () => line('INPUT', ['ACCEPT', 'DROP', 'LOG', 'REJECT', 'sub']));
  const sub = Array.from({ length: Math.floor(next() * 4) }, () => line('sub', ['ACCEPT', 'DROP', 'LOG', 'RETURN']));
  return `*filter\n:INPUT ${pick(['ACCEPT', 'DROP'])} [0:0]\n:sub - [0:0]\n${[...input, ...sub].join('\n')}\nCOMMIT\n`;
}

for (const family of ['ipv4', 'ipv6'] as const) {
  test(`${family}: the way a concrete source takes is among the ways of a packet without source, its assumptions true for it`, () => {
    const next = random(family === 'ipv4' ? 7 : 11);
    const { sources, local } = FAMILIES[family];
    let checked = 0;
    for (let n = 0; n < 400; n++) {
      const text = ruleSet(family, next);
      const rs = new FirewallDocument(text, { dialect: 'save', family }).ruleSet;
      const spec = `family=${family} in=eth0 proto=tcp dport=22 dst=${local} local=${local}`;
      // one chain's ways (a whole trace merges the ways of one packet between tables: see mergeSamePackets)
      const hidden = evaluateChain(rs, 'filter', 'INPUT', parsePacketSpec(spec).packet!);
      for (const src of sources) {
        const concrete = parsePacketSpec(`${spec} src=${src}`).packet!;
        const verdict = definiteVerdict(evaluateChain(rs, 'filter', 'INPUT', concrete));
        assert.ok(verdict, `${text}${src}: a concrete packet has one verdict`);
        // an UNKNOWN way stands for all those past too many branches, left unfollowed (see MAX_BRANCHES)
        if (hidden.some((o) => o.verdict === 'UNKNOWN')) continue;
        checked++;
        const taken = hidden.find((o) => o.verdict === verdict && o.assumptions.every((a) => ruleMatches(a.rule, concrete) === (a.matched ? 'yes' : 'no')));
        assert.ok(taken, `${text}from ${src}: ${verdict}, which no way of the packet without source gives:\n${hidden.map((o) => `${o.verdict} ${o.assumptions.map((a) => `${text.slice(a.rule.span.start, a.rule.span.end)} ${a.matched}`).join('; ')}`).join('\n')}`);
      }
    }
    // most rule sets stay under the branch limit
    assert.ok(checked > 2000, `${checked} sources checked`);
  });
}
