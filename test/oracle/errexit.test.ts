import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Scripts under `set -e` whose clean-up hides its errors with 2>/dev/null, run by dash and by
 * bash in a namespace of this test's own from empty tables and no sets (a host after a
 * reboot): the script stops where failure-stops-script reports, at that command (its last
 * rule is missing), and runs to its end where it reports nothing or once its fix is applied.
 */
const { ns, skip } = NamespaceIptables.forTests('set -e scripts in a namespace', {
  also: () => requirement(spawnSync('sh', ['-c', 'command -v ipset && command -v bash']).status === 0, 'ipset or bash is not installed (apt-get install ipset bash)'),
});

const LAST = 'iptables -A INPUT -p tcp --dport 2222 -j ACCEPT\n';
const SCRIPTS = [
  'set -e\niptables -F LOGDROP 2>/dev/null\niptables -X LOGDROP 2>/dev/null\niptables -N LOGDROP\niptables -A LOGDROP -j DROP\n',
  'set -eu\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'set -o errexit\niptables -D INPUT -p tcp --dport 22 -j ACCEPT >/dev/null 2>&1\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n',
  'set -e\niptables -F LOGDROP 2>/dev/null || true\niptables -N LOGDROP\n',
  'set -e\nif iptables -L OLD >/dev/null 2>&1; then iptables -F OLD; iptables -X OLD; fi\niptables -N LOGDROP\n',
  'iptables -F LOGDROP 2>/dev/null\niptables -N LOGDROP\n',
  'set -e\niptables -N LOGDROP\niptables -F LOGDROP 2>/dev/null\n',
];

test('under set -e, a clean-up that fails on a fresh host stops the script exactly where failure-stops-script reports; the fixed script runs to its end', { skip }, () => {
  for (const shell of ['sh', 'bash']) {
    for (const body of SCRIPTS) {
      const script = body + LAST;
      const reported = lintText(script, { dialect: 'script' }).diagnostics.filter((d) => d.code === 'failure-stops-script');
      const run = (text: string) => {
        ns.run(['sh', '-c', 'iptables -F; iptables -X; ipset destroy']);
        const r = ns.run([shell, '-s'], text);
        return { ok: r.ok, ranToEnd: /--dport 2222 -j ACCEPT/.test(ns.run(['iptables', '-S', 'INPUT']).out) };
      };
      const r = run(script);
      // stopped: the exit status says so and the last rule is missing
      assert.equal(!r.ok && !r.ranToEnd, reported.length > 0, `${shell}: ${script}reported ${reported.length}, ran to its end: ${r.ranToEnd}`);
      if (!reported.length) continue;
      let fixed = script;
      // each finding's fix, last first so that the earlier offsets hold
      for (const d of [...reported].reverse()) fixed = applyFix(fixed, d.fixes!.find((f) => !f.suppression)!);
      const f = run(fixed);
      assert.ok(f.ok && f.ranToEnd, `${shell}, fixed: ${fixed}`);
    }
  }
});
