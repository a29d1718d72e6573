import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { needBuild, repoRoot } from '../support/paths.ts';

/** The .vsix holds the bundles, grammars, rule docs, README, licence and icon: nothing else. */
test('the extension package lists only what the extension needs', { skip: needBuild() }, () => {
  const r = spawnSync(process.execPath, [`${repoRoot}/node_modules/@vscode/vsce/vsce`, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8', input: '' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').filter(Boolean);
  const allowed = /^(package\.json|README\.md|LICENSE|dist\/[\w-]+\.cjs|syntaxes\/[\w.-]+\.json|docs\/rules\/[\w-]+\.md|client\/images\/icon\.png)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
  for (const needed of ['dist/extension.cjs', 'dist/iptables-language-server.cjs', 'syntaxes/iptables-save.tmLanguage.json', 'docs/rules/dnat-without-forward-accept.md']) assert.ok(files.includes(needed), needed);
});
