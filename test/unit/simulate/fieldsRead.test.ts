import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import type { Rule } from '../../../server/src/core/model/types.ts';
import { fieldsRead, ruleMatches, type PacketField } from '../../../server/src/core/simulate/conditions.ts';
import type { Packet } from '../../../server/src/core/simulate/packet.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';
import { corpusRoot, filesUnder, repoRoot } from '../../support/paths.ts';

/**
 * `fieldsRead` lets the analysis evaluate one packet for many that differ only in fields no
 * rule looks at. It must name every field `ruleMatches` depends on: packets that agree on
 * the named fields get the same answer from every rule of real rule sets.
 */
function rulesOf(path: string): Rule[] {
  if (!statSync(path).isFile()) return [];
  const doc = new FirewallDocument(readFileSync(path, 'utf8'), { fileName: path });
  return doc.ruleSet.commands.flatMap((c) => (c.rule ? [c.rule] : []));
}

const rules: Rule[] = [];
for (const f of readdirSync(join(repoRoot, 'examples'))) rules.push(...rulesOf(join(repoRoot, 'examples', f)));
rules.push(...new FirewallDocument(kubeProxyDump(300).text, { dialect: 'save' }).ruleSet.commands.flatMap((c) => (c.rule ? [c.rule] : [])));
const dumps = join(corpusRoot, 'dumps');
if (existsSync(dumps)) for (const f of filesUnder(dumps)) if (!/\.(md|json|go|txt)$|LICENSE|PROVENANCE/.test(f)) rules.push(...rulesOf(f));

const ALL: PacketField[] = ['proto', 'src', 'dst', 'in', 'out', 'sport', 'dport', 'state', 'icmpType', 'icmpCode', 'origin', 'offLoopback', 'toHost', 'local'];
const packetArb = fc.record({
  proto: fc.option(fc.constantFrom('tcp', 'udp', 'icmp', 'ipv6-icmp', 'sctp', 'gre'), { nil: undefined }),
  src: fc.option(fc.constantFrom('10.0.0.1', '192.168.1.100', '172.17.0.2', '10.244.1.5', '127.0.0.1', '203.0.113.9'), { nil: undefined }),
  dst: fc.option(fc.constantFrom('10.96.0.10', '192.168.1.100', '10.244.0.3', '127.0.0.1', '203.0.113.1', '8.8.8.8'), { nil: undefined }),
  in: fc.option(fc.constantFrom('eth0', 'eth1', 'lo', 'docker0', 'wg0', 'cni0'), { nil: undefined }),
  out: fc.option(fc.constantFrom('eth0', 'eth1', 'lo', 'docker0', 'wg0'), { nil: undefined }),
  sport: fc.option(fc.constantFrom(22, 53, 80, 443, 8080, 40000), { nil: undefined }),
  dport: fc.option(fc.constantFrom(22, 53, 80, 443, 8080, 30080), { nil: undefined }),
  state: fc.constantFrom('NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'),
  icmpType: fc.option(fc.constantFrom(0, 3, 8, 11, 128, 133, 135, 136), { nil: undefined }),
  icmpCode: fc.option(fc.constantFrom(0, 1, 4), { nil: undefined }),
  origin: fc.constantFrom('remote' as const, 'local' as const),
  offLoopback: fc.option(fc.boolean(), { nil: undefined }),
  toHost: fc.option(fc.boolean(), { nil: undefined }),
  local: fc.constantFrom<string[]>([], ['192.168.1.100'], ['203.0.113.1', '10.96.0.10']),
});

test(`fieldsRead names every field ruleMatches reads (${rules.length} real rules)`, () => {
  assert.ok(rules.length > 1000);
  fc.assert(
    fc.property(fc.nat(rules.length - 1), packetArb, packetArb, (i, a, b) => {
      const rule = rules[i];
      const read = new Set<PacketField>();
      fieldsRead(rule, read);
      // b keeps a's values for the fields read, and its own for the rest
      const mixed = { ...b } as Record<string, unknown>;
      for (const f of ALL) if (read.has(f)) mixed[f] = a[f];
      const p1: Packet = { ...a, family: rule.family };
      const p2 = { ...(mixed as unknown as Packet), family: rule.family };
      assert.equal(ruleMatches(rule, p2), ruleMatches(rule, p1));
    }),
    { numRuns: 20_000 },
  );
});
