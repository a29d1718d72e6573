import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rules } from '../../server/src/core/analysis/registry.ts';
import { expectedDocs } from '../support/docsFiles.ts';
import { repoRoot } from '../support/paths.ts';

test('docs/rules/*.md and the README rule table are up to date with the rule files (npm run docs)', () => {
  for (const [file, text] of expectedDocs()) {
    const path = join(repoRoot, file);
    assert.ok(existsSync(path), `${file} is missing: run npm run docs`);
    assert.equal(readFileSync(path, 'utf8'), text, `${file} is stale: run npm run docs`);
  }
  const pages = readdirSync(join(repoRoot, 'docs', 'rules')).filter((f) => f.endsWith('.md')).sort();
  assert.deepEqual(pages, rules.map((r) => `${r.code}.md`).sort(), 'a page without a rule, or a rule without a page');
});

test('every rule has docs, a summary, and a table test beside it', () => {
  const codes = new Set<string>();
  for (const r of rules) {
    assert.ok(!codes.has(r.code), `duplicate code ${r.code}`);
    codes.add(r.code);
    assert.ok(r.summary && r.docs.description && r.docs.rationale && r.docs.bad.text && r.docs.good.text, r.code);
    assert.ok(existsSync(join(repoRoot, 'server/src/core/analysis/rules', `${r.code}.ts`)), `${r.code}.ts`);
    assert.ok(existsSync(join(repoRoot, 'server/src/core/analysis/rules', `${r.code}.test.ts`)), `${r.code}.test.ts`);
  }
});
