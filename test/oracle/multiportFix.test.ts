import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidValue } from '../../server/src/core/analysis/rules/invalid-value.ts';
import { applyFix, lintWith, table } from '../support/ruleTester.ts';
import { NamespaceIptables, savedTables } from './realIptables.ts';

/** A list of ports after --dport: refused by the real iptables-restore; the multiport fix loads and matches the same list. */
const { ns, skip } = NamespaceIptables.forTests('the multiport fix in a namespace');

test('--dport with a list is refused by iptables; the -m multiport fix loads, negation and port names kept', { skip }, async () => {
  for (const [rule, saved] of [
    ['-A INPUT -p tcp --dport 22,80,443 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT'],
    ['-A INPUT -p udp ! --sport 53,123 -j DROP', '-A INPUT -p udp -m multiport ! --sports 53,123 -j DROP'],
    ['-A INPUT -p tcp -m tcp --dport ssh,http:https -j ACCEPT', '-A INPUT -p tcp -m tcp -m multiport --dports 22,80:443 -j ACCEPT'],
  ]) {
    const text = table('filter', rule);
    assert.equal((await ns.load(text, 'ipv4')).ok, false, `iptables refuses ${rule}`);
    const [d] = lintWith(invalidValue, text);
    const fixed = applyFix(text, d.fixes!.find((f) => !f.title.startsWith('Disable'))!);
    const loaded = await ns.load(fixed, 'ipv4');
    assert.ok(loaded.ok, `${fixed}: ${loaded.message}`);
    assert.ok(savedTables(ns, 'ipv4').split('\n').includes(saved), savedTables(ns, 'ipv4'));
  }
});
