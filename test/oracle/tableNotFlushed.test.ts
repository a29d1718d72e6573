import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * table-not-flushed against the real shell and iptables: the script runs twice in a network
 * namespace of its own, as an admin runs it again after an edit. The table it never flushes
 * holds its rules twice, and a chain it makes there stops the second run; with the quick fix
 * both runs leave the same tables.
 */
const unavailable = NamespaceIptables.available();
const skip = requirement(!unavailable, unavailable ?? '');

/** Runs the script in the namespace; its exit status and iptables -S of a table after it. */
function run(ns: NamespaceIptables, dir: string, script: string, table: string): { status: number | null; rules: string[] } {
  const file = join(dir, 'fw.sh');
  writeFileSync(file, script);
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', file], { encoding: 'utf8' });
  const listed = spawnSync('ip', ['netns', 'exec', ns.name, 'iptables', '-t', table, '-S'], { encoding: 'utf8' });
  return { status: r.status, rules: listed.stdout.split('\n').filter((l) => l.startsWith('-A ')) };
}

for (const [name, script, table] of [
  ['a NAT rule', '#!/bin/sh\nset -e\niptables -F\niptables -A INPUT -i lo -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n', 'nat'],
  ['a chain made in mangle', '#!/bin/sh\nset -e\niptables -F\niptables -t mangle -N marks\niptables -t mangle -A marks -j MARK --set-mark 1\niptables -t mangle -A PREROUTING -j marks\n', 'mangle'],
] as const) {
  test(`run twice, ${name} is added twice (or the second run fails); with the fix the tables stay the same`, { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'table-not-flushed-'));
    const ns = new NamespaceIptables();
    ns.create();
    try {
      const [finding] = new FirewallDocument(script, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'table-not-flushed');
      assert.ok(finding, 'reported');
      const once = run(ns, dir, script, table);
      assert.equal(once.status, 0);
      const twice = run(ns, dir, script, table);
      if (script.includes('-N ')) {
        assert.notEqual(twice.status, 0, 'the second run stops at -N');
        assert.equal(finding.severity, 'warning');
      } else {
        assert.equal(twice.status, 0);
        assert.equal(twice.rules.length, 2 * once.rules.length, twice.rules.join('\n'));
      }
      const fixed = applyFix(script, finding.fixes![0]);
      assert.deepEqual(new FirewallDocument(fixed, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'table-not-flushed'), []);
      // from what the runs above left: the fixed script starts over in that table too
      const first = run(ns, dir, fixed, table);
      const second = run(ns, dir, fixed, table);
      assert.equal(first.status, 0);
      assert.equal(second.status, 0);
      assert.deepEqual(second.rules, first.rules);
      assert.deepEqual(second.rules, once.rules);
    } finally {
      ns.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
