import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFixes, fixAll, safeFix } from '../../server/src/core/services/fixAll.ts';
import { corpusRoot, filesUnder, requirement } from '../support/paths.ts';
import { sampledFixes } from '../support/sampledFixes.ts';

/**
 * `--fix` on every file of the corpus (scripts and save files): the fixed text has exactly the
 * findings of the original but the fixed ones (same codes, counted), no safe fix is left, and
 * fixing the fixed text changes nothing. test/oracle/fixAll.test.ts loads the save files into
 * the real iptables.
 */
const skip = requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`);
const NOT_RULES = /(^|\/)(LICEN[CS]E|COPYING|METADATA|PROVENANCE\.md|MODULE_LICENSE_\w+)$|\.(md|man|8|8\.in|py|txlate|html|go|json|xml|args|conf|ini|t)$/;

function counts(codes: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of codes) m.set(c, (m.get(c) ?? 0) + 1);
  return m;
}

test('--fix on the corpus: only the fixed findings go, none comes, and a second --fix finds nothing', { skip, timeout: 10 * 60_000 }, () => {
  const problems: string[] = [];
  let files = 0;
  let fixed = 0;
  for (const f of filesUnder(corpusRoot)) {
    const rel = relative(corpusRoot, f);
    if (NOT_RULES.test(f) || rel.startsWith('iptables-tests/')) continue;
    const text = readFileSync(f, 'utf8');
    const doc = new FirewallDocument(text, { fileName: f });
    const before = doc.diagnostics();
    const r = fixAll(text, doc.documentOptions, {}, before);
    if (!r.fixed) continue;
    files++;
    fixed += r.fixed;
    const expected = counts(before.filter((d) => !safeFix(d)).map((d) => d.code));
    const got = counts(r.diagnostics.map((d) => d.code));
    if (JSON.stringify([...expected].sort()) !== JSON.stringify([...got].sort())) problems.push(`${rel}: findings before ${JSON.stringify([...expected])}, after ${JSON.stringify([...got])}`);
    if (r.diagnostics.some(safeFix)) problems.push(`${rel}: a safe fix is left`);
    if (fixAll(r.text, doc.documentOptions).text !== r.text) problems.push(`${rel}: a second --fix changes the text`);
  }
  console.log(`--fix on the corpus: ${fixed} findings fixed in ${files} files`);
  assert.ok(files >= 30, String(files));
  assert.deepEqual(problems, []);
});

/** Error-level findings by code. */
function errorCounts(doc: FirewallDocument): Map<string, number> {
  return counts(doc.diagnostics().filter((d) => d.severity === 'error').map((d) => d.code));
}

test('every quick fix offered on the corpus, applied alone, adds no error-level finding', { skip, timeout: 10 * 60_000 }, () => {
  const problems: string[] = [];
  const offered = new Map<string, number>();
  for (const f of filesUnder(corpusRoot)) {
    const rel = relative(corpusRoot, f);
    if (NOT_RULES.test(f) || rel.startsWith('iptables-tests/')) continue;
    const text = readFileSync(f, 'utf8');
    const doc = new FirewallDocument(text, { fileName: f });
    const before = errorCounts(doc);
    for (const { finding: d, fix } of sampledFixes(doc.diagnostics())) {
      offered.set(d.code, (offered.get(d.code) ?? 0) + 1);
      const out = applyFixes(text, [fix]).text;
      const grew = [...errorCounts(new FirewallDocument(out, { fileName: f }))].filter(([code, n]) => n > (before.get(code) ?? 0));
      if (grew.length) problems.push(`${rel}: ${d.code} "${fix.title}" adds ${JSON.stringify(grew)}`);
    }
  }
  console.log(`quick fixes tried on the corpus: ${JSON.stringify(Object.fromEntries([...offered].sort()))}`);
  // the codes whose fixes the corpus offers (seen 2026-12-04): a drop means the test no longer looks at them
  assert.ok(offered.size >= 10 && [...offered.values()].reduce((a, b) => a + b, 0) >= 250, JSON.stringify([...offered]));
  assert.deepEqual(problems, []);
});
