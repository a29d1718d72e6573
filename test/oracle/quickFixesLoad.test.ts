import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFixes } from '../../server/src/core/services/fixAll.ts';
import { corpusRoot, corpusSaveFiles, requirement } from '../support/paths.ts';
import { sampledFixes } from '../support/sampledFixes.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Every quick fix offered on a corpus save file that the real iptables-restore (1.8.9, the
 * default nf_tables backend) loads, applied alone, leaves a file it still loads: a fix may
 * change what the rules do (a person chooses it), never make the file refused. Up to five
 * fixes of each kind a file (see sampledFixes).
 */
const { ns, skip } = NamespaceIptables.forTests('quick fixes loaded in a namespace', { also: () => requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`) });

test('corpus save files: each quick fix leaves a file iptables-restore loads', { skip, timeout: 10 * 60_000 }, async () => {
  const refused: string[] = [];
  const tried = new Map<string, number>();
  for (const { file, text } of corpusSaveFiles()) {
    const doc = new FirewallDocument(text, { fileName: file, dialect: 'save' });
    if (!(await ns.load(text, doc.family)).ok) continue;
    for (const { finding: d, fix } of sampledFixes(doc.diagnostics())) {
      tried.set(d.code, (tried.get(d.code) ?? 0) + 1);
      const loaded = await ns.load(applyFixes(text, [fix]).text, doc.family);
      if (!loaded.ok) refused.push(`${relative(corpusRoot, file)}: ${d.code} "${fix.title}": ${loaded.message}`);
    }
  }
  console.log(`quick fixes loaded: ${JSON.stringify(Object.fromEntries([...tried].sort()))}`);
  // what the corpus offered when this was written (2026-12-04): fewer means the test looks at less
  assert.ok([...tried.values()].reduce((a, b) => a + b, 0) >= 100, JSON.stringify([...tried]));
  assert.deepEqual(refused, []);
});
