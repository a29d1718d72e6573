import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../server/src/core/analysis/registry.ts';
import { rulePage, withRulesTable } from '../../server/src/core/analysis/ruleDocs.ts';
import { packagedReadme } from './packagedReadme.ts';
import { repoRoot } from './paths.ts';

/** What docs/rules/*.md, the README and the packaged README must contain, from the rule files. */
export function expectedDocs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules) out.set(join('docs', 'rules', `${r.code}.md`), rulePage(r));
  const readme = withRulesTable(readFileSync(join(repoRoot, 'README.md'), 'utf8'), rules);
  out.set('README.md', readme);
  out.set(join('client', 'README.md'), packagedReadme(readme));
  return out;
}

export function writeDocs(): void {
  mkdirSync(join(repoRoot, 'docs', 'rules'), { recursive: true });
  for (const f of readdirSync(join(repoRoot, 'docs', 'rules'))) {
    if (f.endsWith('.md') && !rules.some((r) => `${r.code}.md` === f)) rmSync(join(repoRoot, 'docs', 'rules', f));
  }
  for (const [file, text] of expectedDocs()) writeFileSync(join(repoRoot, file), text);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeDocs();
  console.log('docs/rules/*.md, the README rule table and client/README.md regenerated');
}
