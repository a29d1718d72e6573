import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { needBuild, repoRoot } from '../support/paths.ts';

/** The .vsix holds the bundles, grammars, rule docs, README, licence and icon: nothing else. */
test('the extension package lists only what the extension needs', { skip: needBuild() }, () => {
  const r = spawnSync(process.execPath, [`${repoRoot}/node_modules/@vscode/vsce/vsce`, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8', input: '' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').filter(Boolean);
  const allowed = /^(package\.json|README\.md|LICENSE|dist\/[\w-]+\.cjs|syntaxes\/[\w.-]+\.json|docs\/rules\/[\w-]+\.md|client\/images\/icon\.png)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
  for (const needed of ['dist/extension.cjs', 'dist/iptables-language-server.cjs', 'dist/language-server-main.cjs', 'syntaxes/iptables-save.tmLanguage.json', 'docs/rules/dnat-without-forward-accept.md']) assert.ok(files.includes(needed), needed);
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

/**
 * The server's entry switches on Node's compile cache where the runtime has it (Node 22) and
 * starts without it elsewhere: an editor may run the server on its own, older Node.
 */
test('the language server answers initialize on the machine Node outside the project too', { skip: needBuild() }, async () => {
  const path = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules')).join(':');
  for (const [node, env] of [[process.execPath, process.env], ['node', { ...process.env, PATH: path }]] as const) {
    const child = spawn(node, [`${repoRoot}/dist/iptables-language-server.cjs`, '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const reply = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"serverInfo"')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`${node} exited ${code} before replying`)));
    });
    child.kill();
    assert.match(reply, /iptables-language-server/, node);
  }
});
