import assert from 'node:assert/strict';
import { test } from 'node:test';
import { obsoleteExtension } from '../../server/src/core/analysis/rules/obsolete-extension.ts';
import { applyFix, lintWith, table } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * What obsolete-extension says of this machine's kernel (Linux 6.x) and iptables, loaded for
 * real in a namespace: the targets it reports as removed are refused, their quick fix loads;
 * NOTRACK loads as written and as fixed.
 */
const { ns, skip } = NamespaceIptables.forTests('obsolete extensions in a namespace');

test('ULOG and CLUSTERIP are refused by the kernel; the NFLOG the fix writes, and NOTRACK either way, load', { skip }, async () => {
  const removed = [
    table('filter', '-A INPUT -p tcp --dport 22 -j ULOG --ulog-nlgroup 2 --ulog-prefix "ssh: " --ulog-cprange 0'),
    table('mangle', '-A PREROUTING -d 192.0.2.100/32 -i eth0 -j CLUSTERIP --new --hashmode sourceip --clustermac 01:00:5E:00:00:20 --total-nodes 2 --local-node 1'),
  ];
  for (const text of removed) {
    const [finding] = lintWith(obsoleteExtension, text);
    assert.equal(finding?.severity, 'warning', text);
    assert.equal((await ns.load(text, 'ipv4')).ok, false, `the kernel refuses ${text}`);
    const fix = finding.fixes?.find((f) => !f.title.startsWith('Disable'));
    if (fix) {
      const fixed = applyFix(text, fix);
      const loaded = await ns.load(fixed, 'ipv4');
      assert.ok(loaded.ok, `${fixed}: ${loaded.message}`);
      assert.deepEqual(lintWith(obsoleteExtension, fixed), []);
    }
  }
  const notrack = table('raw', '-A PREROUTING -p udp --dport 53 -j NOTRACK');
  const [info] = lintWith(obsoleteExtension, notrack);
  assert.equal(info.severity, 'info');
  assert.ok((await ns.load(notrack, 'ipv4')).ok);
  assert.ok((await ns.load(applyFix(notrack, info.fixes![0]), 'ipv6')).ok);
});
