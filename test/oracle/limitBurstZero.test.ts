import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * `--limit-burst 0` as the two backends take it, in a namespace this test creates: the legacy
 * backend's kernel refuses the rule, nf_tables loads it and lists it without its burst (what
 * iptables-save then writes, and a restore of that gives the default burst). invalid-value
 * warns there and nowhere else.
 */
const { ns, skip } = NamespaceIptables.forTests('--limit-burst 0 in both backends', { bothBackends: true });

const rules = (burst: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m limit --limit 5/min --limit-burst ${burst} -j ACCEPT\nCOMMIT\n`;
const warned = (text: string) => new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'invalid-value').map((d) => text.slice(d.span.start, d.span.end));

test('a burst of 0: legacy refuses it, nf_tables loads it and lists the rule without it; a burst of 1 loads in both and is listed', { skip }, () => {
  assert.deepEqual(warned(rules('0')), ['0']);
  const legacy = ns.restoreWith('legacy', rules('0'));
  assert.equal(legacy.ok, false, legacy.filter);
  const nft = ns.restoreWith('nft', rules('0'));
  assert.ok(nft.ok, nft.err);
  assert.match(nft.filter, /-m limit --limit 5\/min -j ACCEPT/);
  assert.doesNotMatch(nft.filter, /--limit-burst/);

  assert.deepEqual(warned(rules('1')), []);
  for (const backend of ['legacy', 'nft'] as const) {
    const r = ns.restoreWith(backend, rules('1'));
    assert.ok(r.ok, `${backend}: ${r.err}`);
    assert.match(r.filter, /--limit-burst 1 /, backend);
  }
});
