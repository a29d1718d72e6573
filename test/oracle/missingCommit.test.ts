import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * missing-commit's quick fix against the real iptables-restore, in a network namespace of this
 * test's own: each file is refused as written and loads once the fix has added its COMMITs.
 */
const { ns, skip } = NamespaceIptables.forTests('missing-commit in a namespace');

for (const [name, text] of [
  ['the last table', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n'],
  ['a table before the next, with a comment between', '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\n\n# filter\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n'],
  ['both, the file without a final newline', '*raw\n:PREROUTING ACCEPT [0:0]\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT'],
]) {
  test(`${name}: refused as written, loaded with the fix`, { skip }, async () => {
    assert.equal((await ns.load(text, 'ipv4')).ok, false);
    let fixed = text;
    for (let pass = 0; pass < 3; pass++) {
      const d = new FirewallDocument(fixed, { dialect: 'save' }).diagnostics().find((x) => x.code === 'missing-commit');
      if (!d) break;
      fixed = applyFix(fixed, d.fixes![0]);
    }
    assert.deepEqual(new FirewallDocument(fixed, { dialect: 'save' }).diagnostics().filter((x) => x.severity === 'error').map((x) => x.code), []);
    const loaded = await ns.load(fixed, 'ipv4');
    assert.ok(loaded.ok, `${loaded.message}\n${fixed}`);
  });
}
