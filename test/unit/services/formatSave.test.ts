import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { formatSave } from '../../../server/src/core/services/formatSave.ts';
import { ruleKey } from '../../../server/src/core/model/tableState.ts';
import { corpusRoot } from '../../support/paths.ts';

/** The meaning of a save file: tables, chains with policies, and each rule's specification. */
function meaning(text: string) {
  const rs = new FirewallDocument(text, { dialect: 'save' }).ruleSet;
  return [...rs.tables.values()].map((t) => [t.name, [...t.chains.values()].map((c) => [c.name, c.policy, c.rules.map((r) => `${ruleKey(r)} -> ${r.target?.name}`)])]);
}

test('formatting: one space between words, no trailing blanks, comments kept, quotes untouched', () => {
  const text = '# keep  me  \n*filter\n:INPUT   DROP [0:0]\n-A  INPUT\t-m comment --comment "two  spaces"   -j ACCEPT   \n\n\nCOMMIT';
  assert.equal(formatSave(text), '# keep  me\n*filter\n:INPUT DROP [0:0]\n-A INPUT -m comment --comment "two  spaces" -j ACCEPT\n\n\nCOMMIT\n');
  assert.equal(formatSave(formatSave(text)), formatSave(text), 'idempotent');
});

test('formatting never changes meaning: every corpus dump re-parses to the same model', () => {
  const dir = join(corpusRoot, 'dumps');
  if (!existsSync(dir)) return;
  const walk = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));
  let n = 0;
  for (const f of walk(dir)) {
    const text = readFileSync(f, 'utf8');
    if (!/^\*(filter|nat|mangle|raw)/m.test(text)) continue;
    assert.deepEqual(meaning(formatSave(text)), meaning(text), f);
    n++;
  }
  assert.ok(n > 30);
});
