import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * The quick fixes of duplicate-chain and unused-chain against the real iptables 1.8.9, both
 * backends, in a network namespace of this test's own: what the finding says iptables does,
 * it does, and the fixed text runs and leaves the same tables but for the removed chain.
 */
const { ns, skip } = NamespaceIptables.forTests('chain removal fixes in a namespace', { bothBackends: true });

/** Runs the script with `sh -e` from empty tables (nft, the default backend): whether it ran to its end, and `iptables -S` after. */
function runScript(text: string): { ok: boolean; err: string; rules: string } {
  ns.run(['sh', '-c', 'iptables -F && iptables -X']);
  const r = ns.run(['sh', '-e', '-c', text]);
  return { ...r, rules: ns.run(['iptables', '-S']).out };
}

function fixed(code: string, text: string, dialect: 'save' | 'script'): string {
  const d = new FirewallDocument(text, { dialect }).diagnostics().find((x) => x.code === code);
  assert.ok(d?.fixes?.length && !d.fixes[0].suppression, `${code} with a fix`);
  const out = applyFix(text, d.fixes[0]);
  assert.equal(new FirewallDocument(out, { dialect }).diagnostics().filter((x) => x.code === code).length, 0);
  return out;
}

test('a user chain declared twice: legacy iptables-restore refuses the file, nft empties the chain there; fixed, both load its rules', { skip }, () => {
  const text = '*filter\n:INPUT ACCEPT [0:0]\n:ssh-in - [0:0]\n-A INPUT -j ssh-in\n-A ssh-in -p tcp --dport 22 -j ACCEPT\n:ssh-in - [0:0]\n-A ssh-in -p tcp --dport 2222 -j ACCEPT\nCOMMIT\n';
  const legacy = ns.restoreWith('legacy', text);
  assert.equal(legacy.ok, false);
  assert.match(legacy.err, /line: 6/);
  const nft = ns.restoreWith('nft', text);
  assert.ok(nft.ok, nft.err);
  // the rule above the second declaration is gone, as the finding says
  assert.doesNotMatch(nft.filter, /--dport 22 /);
  assert.match(nft.filter, /--dport 2222 /);
  const [finding] = new FirewallDocument(text, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'duplicate-chain');
  assert.match(finding.message, /\b1 rule\b/);
  const out = fixed('duplicate-chain', text, 'save');
  const legacyFixed = ns.restoreWith('legacy', out);
  assert.ok(legacyFixed.ok, legacyFixed.err);
  assert.match(legacyFixed.filter, /--dport 22 .*\n.*--dport 2222 /);
  assert.equal(ns.restoreWith('nft', out).filter, legacyFixed.filter);
});

test('a built-in chain declared twice loads with both backends, with the later policy (not a duplicate-chain)', { skip }, () => {
  const text = '*filter\n:INPUT ACCEPT [0:0]\n:INPUT DROP [0:0]\nCOMMIT\n';
  for (const backend of ['legacy', 'nft'] as const) {
    const r = ns.restoreWith(backend, text);
    assert.ok(r.ok, r.err);
    assert.match(r.filter, /^-P INPUT DROP$/m);
  }
  const doc = new FirewallDocument(text, { dialect: 'save' });
  assert.deepEqual(doc.diagnostics().filter((d) => d.code === 'duplicate-chain'), []);
  assert.equal(doc.ruleSet.tables.get('ipv4:filter')?.chains.get('INPUT')?.policy, 'DROP');
  for (const b of ['legacy', 'nft']) ns.run([`iptables-${b}`, '-P', 'INPUT', 'ACCEPT']);
});

test('a second iptables -N stops a set -e script; fixed, the script runs to its end', { skip }, () => {
  const text = 'iptables -N ssh-in\niptables -A INPUT -j ssh-in\niptables -N ssh-in\niptables -A ssh-in -p tcp --dport 22 -j ACCEPT\n';
  const before = runScript(text);
  assert.equal(before.ok, false);
  assert.match(before.err, /exists/i);
  const after = runScript(fixed('duplicate-chain', text, 'script'));
  assert.ok(after.ok, after.err);
  assert.match(after.rules, /^-A ssh-in -p tcp -m tcp --dport 22 -j ACCEPT$/m);
});

test('an unused chain removed: the script still runs to its end, and every other rule is the same', { skip }, () => {
  const text = [
    'iptables -N logdrop',
    'iptables -A logdrop -j LOG --log-prefix dropped',
    'iptables -A INPUT -i lo -j ACCEPT',
    'iptables -F logdrop',
    'iptables -A logdrop -j DROP',
    'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
    'iptables -Z logdrop',
    '',
  ].join('\n');
  const before = runScript(text);
  assert.ok(before.ok, before.err);
  const after = runScript(fixed('unused-chain', text, 'script'));
  assert.ok(after.ok, after.err);
  assert.doesNotMatch(after.rules, /logdrop/);
  assert.equal(after.rules, before.rules.split('\n').filter((l) => !l.includes('logdrop')).join('\n'));
});

test('an unused chain in a restore file with a -F of every chain: fixed, the rules written to it above the -F go too, and both backends load the file without it', { skip }, () => {
  const text = '*filter\n:X - [0:0]\n-A X -j ACCEPT\n-F\n-A INPUT -m comment --comment kept -j ACCEPT\nCOMMIT\n';
  // the two differ on what -F empties within one input (nft 1.8.9 keeps X's rule), and both load it
  for (const backend of ['legacy', 'nft'] as const) assert.ok(ns.restoreWith(backend, text).ok, backend);
  const out = fixed('unused-chain', text, 'save');
  assert.doesNotMatch(out, /\bX\b/);
  for (const backend of ['legacy', 'nft'] as const) {
    const r = ns.restoreWith(backend, out);
    assert.ok(r.ok, `${backend}: ${r.err}`);
    assert.match(r.filter, /--comment kept/);
    assert.doesNotMatch(r.filter, /\bX\b/);
  }
});
