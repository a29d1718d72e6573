import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { completionsAt, MAX_CHAIN_ITEMS } from '../../../server/src/core/services/completion.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';
import { rules } from '../../../server/src/core/analysis/registry.ts';

function at(text: string, marker: string) {
  const doc = new FirewallDocument(text.replace('|', ''), { dialect: 'save' });
  const r = completionsAt(doc, text.indexOf(marker));
  assert.ok(r);
  return r;
}

test('a few chains: every one is offered after -j, with the targets, and the list is complete', () => {
  const r = at('*filter\n:a - [0:0]\n:b - [0:0]\n-A INPUT -j |\nCOMMIT\n', '|');
  const labels = r.items.map((i) => i.label);
  assert.ok(labels.includes('a') && labels.includes('b') && labels.includes('ACCEPT'));
  assert.equal(r.incomplete, false);
});

test('thousands of chains: only the best matches for the typed prefix, marked incomplete', () => {
  const dump = kubeProxyDump(3000).text;
  // a rule being written at the end of the nat table
  const commit = dump.indexOf('COMMIT\n', dump.indexOf('*nat'));
  const marked = `${dump.slice(0, commit)}-A KUBE-SERVICES -j |\n${dump.slice(commit)}`;
  const doc = new FirewallDocument(dump, { dialect: 'save' });
  const chains = [...doc.ruleSet.tables.get('ipv4:nat')!.chains.values()].filter((c) => !c.builtin).length;
  assert.ok(chains > MAX_CHAIN_ITEMS, `${chains} chains`);

  const empty = at(marked, '|');
  const chainItems = empty.items.filter((i) => i.kind === 'chain');
  assert.equal(empty.incomplete, true);
  assert.equal(chainItems.length, MAX_CHAIN_ITEMS);
  assert.ok(empty.items.some((i) => i.label === 'DNAT'), 'targets are still offered');

  const typed = at(marked.replace('-j |', '-j KUBE-SEP-|'), '|');
  assert.ok(typed.items.filter((i) => i.kind === 'chain').every((i) => i.label.startsWith('KUBE-SEP-')));
  const name = [...doc.ruleSet.tables.get('ipv4:nat')!.chains.keys()].find((n) => n.startsWith('KUBE-SVC-'))!;
  const exact = at(marked.replace('-j |', `-j ${name.toLowerCase().slice(0, 14)}|`), '|');
  assert.equal(exact.items.filter((i) => i.kind === 'chain')[0].label.slice(0, 14), name.slice(0, 14), 'case does not matter');
});

test('the table is the nearest table line above, also in a file too big to be analysed', () => {
  const text = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n# a comment\n-A PREROUTING -p tcp -j |\nCOMMIT\n';
  const offset = text.indexOf('|');
  for (const maxBytes of [undefined, 10]) {
    const doc = new FirewallDocument(text.replace('|', ''), { dialect: 'save', maxBytes });
    assert.equal(doc.skipped !== undefined, maxBytes !== undefined);
    const labels = completionsAt(doc, offset)?.items.map((i) => i.label) ?? [];
    assert.ok(labels.includes('DNAT') && !labels.includes('REJECT'), `maxBytes ${maxBytes}: ${labels.join(' ')}`);
  }
});

test('in an iptables-lint comment: the directives, then the diagnostic codes not given yet', () => {
  const labels = (text: string, dialect: 'save' | 'script' = 'save') => {
    const r = completionsAt(new FirewallDocument(text, { dialect }), text.length)!;
    return { labels: r.items.map((i) => i.label), replace: r.replace };
  };
  assert.deepEqual(labels('*filter\n# iptables-lint dis').labels, ['disable-next-line', 'disable']);
  const codes = labels('*filter\n# iptables-lint disable-next-line unused-chain, missing-m');
  assert.deepEqual(codes.labels, rules.map((r) => r.code).filter((c) => c !== 'unused-chain'));
  const at = '*filter\n# iptables-lint disable-next-line unused-chain, '.length;
  assert.deepEqual(codes.replace, { start: at, end: at + 'missing-m'.length });
  assert.ok(labels('  # iptables-lint disable ', 'script').labels.includes('ssh-lockout-risk'));
  // an ordinary comment: nothing
  assert.equal(completionsAt(new FirewallDocument('*filter\n# keep ', { dialect: 'save' }), '*filter\n# keep '.length), undefined);
});

test('superseded matches and targets are offered last, marked deprecated (state, NOTRACK, ULOG, CLUSTERIP)', () => {
  const deprecatedLast = (items: { label: string; deprecated?: true }[], expected: string[]) => {
    const marked = items.filter((i) => i.deprecated).map((i) => i.label);
    assert.deepEqual(marked.sort(), [...expected].sort());
    const firstMarked = items.findIndex((i) => i.deprecated);
    assert.ok(items.slice(0, firstMarked).every((i) => !i.deprecated));
    // together, after the others (a target list goes on with the user chains)
    assert.ok(items.slice(firstMarked, firstMarked + marked.length).every((i) => i.deprecated));
  };
  deprecatedLast(at('*filter\n-A INPUT -m |\nCOMMIT\n', '|').items, ['state']);
  deprecatedLast(at('*filter\n-A INPUT -j |\nCOMMIT\n', '|').items, ['CLUSTERIP', 'ULOG']);
  deprecatedLast(at('*raw\n-A PREROUTING -j |\nCOMMIT\n', '|').items, ['CLUSTERIP', 'NOTRACK', 'ULOG']);
});
