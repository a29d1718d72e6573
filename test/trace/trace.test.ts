import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { definiteVerdict, tracePacket } from '../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../server/src/core/simulate/packet.ts';
import { requirement } from '../support/paths.ts';
import { KernelLab } from './kernelLab.ts';
import { scenarios } from './scenarios.ts';

/**
 * The offline trace against the kernel: each scenario's rules are loaded into a router
 * namespace, real traffic is sent, and the kernel's answer (delivered, refused or silent;
 * the address and port the server saw; which rules' counters moved) must agree with the
 * trace's verdict, rewrites and deciding rules.
 */
const unavailable = KernelLab.available();
const skip = requirement(!unavailable, unavailable ?? '');

test(`trace agrees with the kernel on ${scenarios.length} scenarios`, { skip, timeout: 10 * 60_000 }, () => {
  assert.ok(scenarios.length >= 25);
  const lab = new KernelLab();
  lab.up();
  const rows: string[] = [];
  const problems: string[] = [];
  try {
    for (const s of scenarios) {
      lab.serverRoute(!s.noRouteBack);
      lab.load(s.rules);
      const got = lab.send(s.send.from, s.send.proto, s.send.dst, s.send.dport);
      const counters = lab.counters();
      const kernel = got.delivered ? 'ACCEPT' : got.refused ? 'REJECT' : 'DROP';

      const doc = new FirewallDocument(s.rules, { dialect: 'save' });
      const outcomes = tracePacket(doc.ruleSet, parsePacketSpec(s.packet).packet!);
      const ours = definiteVerdict(outcomes) ?? 'UNCERTAIN';
      const o = outcomes[0];
      const why: string[] = [];
      if (ours !== kernel) why.push(`verdict ${ours} vs kernel ${kernel}`);
      if (got.delivered && o.rewrites.destination && o.rewrites.destination !== got.deliveredTo) why.push(`destination ${o.rewrites.destination} vs ${got.deliveredTo}`);
      if (got.delivered && o.rewrites.source) {
        const src = o.rewrites.source.startsWith('address of lan0') ? '10.200.2.1' : o.rewrites.source;
        if (src !== got.seenSource) why.push(`source ${o.rewrites.source} vs ${got.seenSource}`);
      }
      // every rule our trace says decided must have seen the packet in the kernel
      for (const step of o.path) {
        if (!step.rule) continue;
        const chain = doc.ruleSet.tables.get(`ipv4:${step.table}`)!.chains.get(step.chain)!;
        const index = chain.rules.indexOf(step.rule);
        const moved = counters.get(`${step.table}/${step.chain}`)?.[index] ?? 0;
        if (moved === 0) why.push(`${step.table}/${step.chain} rule ${index + 1} did not match in the kernel`);
      }
      rows.push(`${why.length ? '✗' : '✓'} ${s.name}: trace ${ours}${o.rewrites.destination ? ` → ${o.rewrites.destination}` : ''} | kernel ${kernel}${got.deliveredTo ? ` at ${got.deliveredTo} from ${got.seenSource}` : ''}`);
      if (why.length) problems.push(`${s.name}: ${why.join('; ')}`);
    }
  } finally {
    lab.down();
  }
  console.log(`trace vs kernel: ${scenarios.length - problems.length}/${scenarios.length} scenarios agree\n${rows.join('\n')}`);
  assert.deepEqual(problems, []);
});
