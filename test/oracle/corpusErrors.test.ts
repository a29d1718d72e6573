import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { corpusRoot, corpusSaveFiles, requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * No false errors on real files: every iptables-save / restore file of the corpus that we
 * give an error-level finding is loaded into the real iptables-restore, which must refuse
 * it too. Files we find clean are loaded as well: iptables must accept them.
 */
const { ns, skip } = NamespaceIptables.forTests('corpus files in a namespace', { also: () => requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`) });

test('error-level findings on corpus files only where the real iptables-restore refuses the file', { skip, timeout: 5 * 60_000 }, async () => {
  const disagreements: string[] = [];
  let files = 0;
  let refused = 0;
  for (const { file: f, text } of corpusSaveFiles()) {
    const doc = new FirewallDocument(text, { fileName: f, dialect: 'save' });
    const errors = doc.diagnostics().filter((d) => d.severity === 'error');
    const real = await ns.load(text, doc.family);
    files++;
    if (!real.ok) refused++;
    if (errors.length && real.ok) {
      disagreements.push(`${relative(corpusRoot, f)}: we report ${errors.map((e) => `${e.code} (line ${doc.lines.lineOf(e.span.start) + 1})`).join(', ')} but iptables-restore accepts it`);
    }
  }
  console.log(`corpus: ${files} save files loaded for real, ${refused} refused by iptables-restore`);
  assert.ok(files > 40);
  assert.deepEqual(disagreements, []);
});
