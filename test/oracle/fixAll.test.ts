import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { fixAll } from '../../server/src/core/services/fixAll.ts';
import { corpusRoot, corpusSaveFiles, requirement } from '../support/paths.ts';
import { NamespaceIptables, savedTables } from './realIptables.ts';

/**
 * `--fix` keeps what the rules do, judged by the real iptables: every corpus save file with
 * safe fixes that iptables-restore loads is loaded as written and as fixed, and iptables-save
 * must print the same tables for both, but for the spelling the fixes change (the state match
 * read back as `-m state --state`, the fixed rule as `-m conntrack --ctstate`; `-j NOTRACK` as
 * `-j CT --notrack`). Counters and comments aside, nothing else may differ.
 */
const unavailable = NamespaceIptables.available();
const skip = requirement(!unavailable && existsSync(corpusRoot), unavailable ?? `corpus not found at ${corpusRoot}`);

test('corpus save files loaded as written and as fixed by --fix: iptables-save prints the same rules', { skip, timeout: 5 * 60_000 }, async () => {
  const differ: string[] = [];
  let files = 0;
  let fixes = 0;
  for (const { file: f, text } of corpusSaveFiles()) {
    const doc = new FirewallDocument(text, { fileName: f, dialect: 'save' });
    const r = fixAll(text, doc.documentOptions);
    if (!r.fixed) continue;
    // a namespace per file: a table one file loads stays for the next that does not name it
    const ns = new NamespaceIptables();
    ns.create();
    try {
      if (!(await ns.load(text, doc.family)).ok) continue;
      const before = savedTables(ns, doc.family);
      const loaded = await ns.load(r.text, doc.family);
      const name = relative(corpusRoot, f);
      if (!loaded.ok) {
        differ.push(`${name}: the fixed file is refused: ${loaded.message}`);
        continue;
      }
      const after = savedTables(ns, doc.family);
      files++;
      fixes += r.fixed;
      const respelt = before.replace(/-m state (! )?--state /g, '-m conntrack $1--ctstate ').replace(/-j NOTRACK$/gm, '-j CT --notrack');
      if (respelt !== after) differ.push(`${name}: iptables-save differs after --fix`);
      // the rules did change spelling: the check above compares something
      assert.notEqual(before, after, name);
    } finally {
      ns.destroy();
    }
  }
  console.log(`--fix on the corpus: ${files} save files, ${fixes} fixes, loaded as written and as fixed`);
  assert.ok(files >= 10, String(files));
  assert.deepEqual(differ, []);
});
