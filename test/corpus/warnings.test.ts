import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { readSourced } from '../../server/src/node/sourcedFiles.ts';
import { corpusRoot, filesUnder, repoRoot, requirement } from '../support/paths.ts';

/**
 * The warnings and infos found on the real files of the corpus, recorded in
 * test/corpus/warnings.golden.txt (file:line code), scripts with what they read with `.` found
 * around them as the CLI finds it. Each was read and judged when recorded;
 * a change shows up here as a diff to judge again (UPDATE_GOLDEN=1 rewrites the file).
 */
const golden = join(repoRoot, 'test', 'corpus', 'warnings.golden.txt');
const skip = requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`);
const NOT_RULES = /(^|\/)(LICEN[CS]E|COPYING|METADATA|PROVENANCE\.md|MODULE_LICENSE_\w+)$|\.(md|man|8|8\.in|py|txlate|html|go|json|xml|args|conf|ini|t)$/;

test('corpus warnings match the judged golden file', { skip }, () => {
  const lines: string[] = [];
  for (const f of filesUnder(corpusRoot)) {
    const rel = relative(corpusRoot, f);
    if (NOT_RULES.test(f) || rel.startsWith('iptables-tests/')) continue;
    const doc = new FirewallDocument(readFileSync(f, 'utf8'), { fileName: f });
    // a script's configuration read with `.`, found around it as the CLI finds it
    readSourced(doc, f);
    for (const d of doc.diagnostics()) {
      if (d.severity === 'error') continue;
      lines.push(`${rel}:${doc.lines.lineOf(d.span.start) + 1} ${d.severity} ${d.code}`);
    }
  }
  const text = lines.join('\n') + '\n';
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
  console.log(`corpus: ${lines.length} warnings and infos`);
  assert.equal(text, readFileSync(golden, 'utf8'));
});
