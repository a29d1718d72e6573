import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * A firewall script saved by a Windows editor, run in a namespace of this test's own: with CRLF
 * line endings the shell hands iptables `ACCEPT\r` and it refuses the rule; with a byte order
 * mark the kernel refuses to run the file as a program (execve, as a systemd unit starts it).
 * The lint reports each at line 1; the same script saved plainly loads.
 */
const { ns, skip } = NamespaceIptables.forTests('scripts with CRLF or a byte order mark in a namespace', {
  // python3 calls execve() alone: a shell's exec, env and ip netns exec fall back to sh on a file the kernel will not run
  also: () => requirement(spawnSync('sh', ['-c', 'command -v python3']).status === 0, 'python3 is not installed (apt-get install python3)'),
});
const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-encoding-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = '#!/bin/sh\niptables -F INPUT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n';

function syntaxErrors(text: string): [number, number][] {
  return lintText(text, { dialect: 'script' }).diagnostics.filter((d) => d.code === 'syntax-error').map((d) => [d.span.start, d.span.end]);
}

test('CRLF: iptables refuses the rule the shell hands it; the lint says so on line 1', { skip }, () => {
  const crlf = SCRIPT.replace(/\n/g, '\r\n');
  assert.deepEqual(syntaxErrors(crlf), [[0, '#!/bin/sh'.length]]);
  const run = ns.run(['sh', '-s'], crlf);
  assert.equal(run.ok, false);
  assert.match(run.err, /Invalid target name/);
  assert.deepEqual(syntaxErrors(SCRIPT), []);
  assert.ok(ns.run(['sh', '-s'], SCRIPT).ok);
  assert.match(ns.run(['iptables', '-S', 'INPUT']).out, /--dport 22 -j ACCEPT/);
});

test('a byte order mark: the kernel will not run the script as a program; the lint says so at the mark', { skip }, () => {
  const path = join(dir, 'firewall.sh');
  writeFileSync(path, `\uFEFF${SCRIPT}`);
  chmodSync(path, 0o755);
  assert.deepEqual(syntaxErrors(`\uFEFF${SCRIPT}`), [[0, 1]]);
  // execve() itself, as systemd starts a unit's program
  const exec = ns.run(['python3', '-c', 'import os, sys; os.execv(sys.argv[1], [sys.argv[1]])', path]);
  assert.equal(exec.ok, false);
  assert.match(exec.err, /Exec format error/);
  writeFileSync(path, SCRIPT);
  assert.ok(ns.run(['python3', '-c', 'import os, sys; os.execv(sys.argv[1], [sys.argv[1]])', path]).ok);
});
