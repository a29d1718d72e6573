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

/**
 * The CLI bundle carries the apply engine (execa needs Node 22 at load). Linting must still work
 * on the Node a machine has outside the project (Node 20 on this one): apply loads lazily and
 * says what it needs.
 */
test('the CLI bundle lints on the machine Node outside the project, and apply names the Node it needs there', { skip: needBuild() }, () => {
  const path = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules')).join(':');
  const env = { ...process.env, PATH: path };
  const version = spawnSync('node', ['--version'], { env, encoding: 'utf8' });
  assert.equal(version.status, 0, 'a node on PATH outside node_modules');
  const lint = spawnSync('node', [`${repoRoot}/dist/iptables-lint.cjs`, '--format', 'json', `${repoRoot}/examples/port-forward-router.sh`], { env, encoding: 'utf8', input: '' });
  assert.equal(lint.stderr, '', `lint on ${version.stdout.trim()}`);
  const codes = JSON.parse(lint.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
  assert.ok(codes.includes('dnat-without-forward-accept'), codes.join(' '));
  if (Number(version.stdout.slice(1).split('.')[0]) < 22) {
    const apply = spawnSync('node', [`${repoRoot}/dist/iptables-lint.cjs`, 'apply', `${repoRoot}/examples/rules.v4`, '--host', 'gw', '--dry-run'], { env, encoding: 'utf8', input: '' });
    assert.equal(apply.status, 2);
    assert.match(apply.stderr, /Node 22/);
  }
});
