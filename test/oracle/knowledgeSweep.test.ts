import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { requirement } from '../support/paths.ts';
import { lintText } from '../../server/src/core/facade.ts';
import { hostReason, variations } from './knowledgeSweep.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * The knowledge base against iptables 1.8.9 (nf_tables, then legacy), in a namespace this test creates:
 * each extension's example with an option added, taken away, negated, alone, one past its
 * bound, in every table and built-in chain, with every protocol and in the other family.
 * Wherever iptables takes a variation the lint must report no error, and wherever iptables
 * refuses it the lint must report one, unless the extension needs something of the host that
 * a bare namespace lacks (hostReason). Each run starts from empty tables.
 */
const { ns, skip } = NamespaceIptables.forTests('the knowledge sweep in a namespace', {
  bothBackends: true,
  also: () => requirement(spawnSync('sh', ['-c', 'command -v ipset']).status === 0, 'the knowledge sweep: ipset is not installed (apt-get install ipset)'),
});

/**
 * One backend's sweep. iptables-legacy refuses a few things iptables-nft takes (TRACE outside the
 * raw table): the lint warns of those, naming iptables-legacy, and a warning that does counts as
 * the refusal there.
 */
function sweep(backend: 'nft' | 'legacy'): void {
  const all = variations();
  assert.ok(all.length > 3000, `${all.length} variations`);
  const wrong: string[] = [];
  let hostOnly = 0;
  const byExtension = new Map<string, number>();
  // the arguments are the knowledge base's own examples with one change: no shell characters
  const run = (tool: string, args: string) => {
    const cmd = `${tool}-${backend}`;
    return ns.run(['sh', '-c', `${['filter', 'nat', 'mangle', 'raw', 'security'].map((t) => `${cmd} -t ${t} -F 2>/dev/null`).join('; ')}; ${cmd} ${args}`]);
  };
  // the sets the examples name, with what their options need (a timeout, counters, skbinfo for --map-set)
  const sets = new Set(all.flatMap((v) => [...v.args.matchAll(/--(?:match|add|del|map)-set (\S+)/g)].map((m) => m[1])));
  for (const name of sets) {
    ns.run(['ipset', 'destroy', name]);
    assert.ok(ns.run(['ipset', 'create', name, 'hash:ip', 'timeout', '60', 'counters', 'skbinfo']).ok, `ipset create ${name}`);
  }
  // whether this host has what each extension needs: its example loads as written
  const exampleLoads = new Map<string, boolean>();
  for (const v of all) {
    const key = `${v.ext.kind}:${v.ext.name}`;
    if (!exampleLoads.has(key)) exampleLoads.set(key, run(v.ext.example.startsWith('ip6tables') ? 'ip6tables' : 'iptables', v.ext.example.replace(/^ip6?tables /, '')).ok);
  }
  for (const v of all) {
    const r = run(v.tool, v.args);
    const found = lintText(`${v.tool} ${v.args}\n`, { dialect: 'script' }).diagnostics;
    const errors = found.filter((d) => d.severity === 'error');
    const refused = errors.length > 0 || (backend === 'legacy' && found.some((d) => d.severity === 'warning' && d.message.includes('iptables-legacy')));
    if (r.ok === !refused) continue;
    if (!r.ok && hostReason(v, exampleLoads.get(`${v.ext.kind}:${v.ext.name}`)!)) {
      hostOnly++;
      byExtension.set(v.ext.name, (byExtension.get(v.ext.name) ?? 0) + 1);
      continue;
    }
    const said = r.ok ? `iptables takes it; the lint says ${errors.map((d) => `${d.code}: ${d.message}`).join(' | ')}` : `iptables refuses it (${r.err.trim().split('\n')[0]}); the lint says nothing`;
    wrong.push(`${v.label}: ${v.tool}-${backend} ${v.args}\n    ${said}`);
  }
  console.log(`knowledge sweep (${backend}): ${all.length} variations, ${all.length - wrong.length - hostOnly} agree, ${hostOnly} refused for want of something of the host (${[...byExtension].map(([n, c]) => `${n} ${c}`).join(', ')}), ${wrong.length} disagree`);
  assert.deepEqual(wrong, []);
}

test('every variation of every extension\'s example: iptables-nft and the lint agree on what is refused', { skip, timeout: 15 * 60_000 }, () => sweep('nft'));

test('the same with iptables-legacy, whose kernel refuses a few more (warnings that name it)', { skip, timeout: 15 * 60_000 }, () => sweep('legacy'));
