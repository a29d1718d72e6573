import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildGraph, chainFacts, jumpedTo, type ChainGraph } from '../../../server/src/core/analysis/chainGraph.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import type { Table } from '../../../server/src/core/model/types.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';
import { corpusRoot, filesUnder, requirement } from '../../support/paths.ts';

/**
 * For restore files of appends only, the chain graph is collected while walking the
 * commands; it must equal the graph of the final rules walked chain by chain.
 */
function plain(g: ChainGraph, t: Table) {
  const names = (m: Map<{ name: string }, unknown>) => [...m.keys()].map((c) => c.name).sort();
  return {
    jumps: names(g.jumps).map((n) => [n, g.jumps.get(t.chains.get(n)!)!.map((j) => [jumpedTo(t, j).name, j.span.start])]),
    unconditional: names(g.unconditional).map((n) => [n, g.unconditional.get(t.chains.get(n)!)]),
    firstDecision: names(g.firstDecision).map((n) => [n, g.firstDecision.get(t.chains.get(n)!)]),
    hooks: [...t.chains.keys()].map((n) => [n, g.hooksReaching(n)]),
  };
}

function sameGraphs(text: string, where: string): void {
  const rs = new FirewallDocument(text, { dialect: 'save' }).ruleSet;
  const facts = chainFacts(rs);
  for (const t of rs.tables.values()) assert.deepEqual(plain(facts.graph(t), t), plain(buildGraph(t), t), `${where} ${t.family}:${t.name}`);
}

test('the graph collected from the commands equals the one from the final rules', () => {
  sameGraphs(kubeProxyDump(2000).text, 'kube-proxy dump');
  sameGraphs('*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n-A INPUT -j a\n-A a -j DROP\n-A a -p tcp -j ACCEPT\n-A INPUT -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n', 'appends');
  // an insert and a delete: the final order differs from the command order
  sameGraphs('*filter\n:a - [0:0]\n-A INPUT -j a\n-I INPUT -j DROP\n-A a -j ACCEPT\n-D INPUT 2\n-A INPUT -j a\nCOMMIT\n', 'insert and delete');
  // a second block of the same table adds to it
  sameGraphs('*filter\n:a - [0:0]\n-A INPUT -j a\nCOMMIT\n*filter\n-A a -j DROP\n-A INPUT -j ACCEPT\nCOMMIT\n', 'two blocks');
});

const skip = requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`);

test('the same on every restore file and dump of the corpus', { skip }, () => {
  let n = 0;
  for (const dir of ['dumps', 'restore-files']) {
    for (const f of filesUnder(join(corpusRoot, dir))) {
      if (/\.(md|json|txt)$/.test(f)) continue;
      sameGraphs(readFileSync(f, 'utf8'), f);
      n++;
    }
  }
  assert.ok(n > 20, `only ${n} files`);
});
