import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';

/**
 * bash-syntax-in-sh against the real dash (Debian's and Ubuntu's /bin/sh) and bash: each
 * script is run by both with iptables replaced by a function that prints its arguments, and
 * what dash does is what the finding says: an array stops the script at that line (the
 * commands before it ran, none after), a range in a loop is one word, `source` and `[[` are
 * not found and the script goes on. bash runs each as written.
 */
const has = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0;
const skip = requirement(has('dash') && has('bash'), 'dash and bash are needed to run the scripts bash-syntax-in-sh judges');

const STUB = 'iptables() { echo "iptables $*"; }\n';
const run = (shell: string, body: string) => spawnSync(shell, ['-c', STUB + body], { encoding: 'utf8' });
const found = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'bash-syntax-in-sh').map((d) => text.slice(d.span.start, d.span.end));

test('an array: dash stops at its line, the commands before it applied; bash runs on', { skip }, () => {
  const body = 'iptables -P INPUT DROP\nPORTS=(22 80)\nfor p in "${PORTS[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n';
  assert.deepEqual(found(`#!/bin/sh\n${body}`), ['PORTS=(']);
  const dash = run('dash', body);
  assert.equal(dash.status, 2);
  assert.match(dash.stderr, /Syntax error/);
  assert.equal(dash.stdout, 'iptables -P INPUT DROP\n');
  assert.equal(run('bash', body).stdout.split('\n').filter(Boolean).length, 3);
  // read without being set: a bad substitution, which stops dash too
  const read = run('dash', 'iptables -F\nfor p in "${PORTS[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\niptables -P INPUT DROP\n');
  assert.equal(read.status, 2);
  assert.match(read.stderr, /Bad substitution/);
  assert.equal(read.stdout, 'iptables -F\n');
});

test('a range, source and [[: dash runs the loop once with the written word, and finds neither source nor [[', { skip }, () => {
  const body = 'for p in {6881..6883}; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\nsource /dev/null\n[[ -n x ]] && iptables -F\niptables -P INPUT DROP\n';
  assert.deepEqual(found(`#!/bin/sh\n${body}`), ['{6881..6883}', 'source', '[[']);
  const dash = run('dash', body);
  assert.equal(dash.stdout, 'iptables -A INPUT -p tcp --dport {6881..6883} -j ACCEPT\niptables -P INPUT DROP\n');
  assert.match(dash.stderr, /source: not found/);
  assert.match(dash.stderr, /\[\[: not found/);
  const bash = run('bash', body);
  assert.equal(bash.stdout.split('\n').filter(Boolean).length, 5);
  assert.equal(bash.stderr, '');
});
