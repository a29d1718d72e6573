import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * A table's second block in one restore input, against the real iptables-restore 1.8.9 (both
 * backends, and with --noflush) in a network namespace of this test's own: the model's filter
 * chains hold the rules the kernel holds after the load, in its order, and the finding is
 * given where the kernel lost rules.
 */
const { ns, skip } = NamespaceIptables.forTests('repeated table blocks in a namespace', { bothBackends: true });

const rule = (chain: string, id: string) => `-A ${chain} -m comment --comment ${id} -j ACCEPT`;
const files: [string, string][] = [
  ['two filter blocks, a user chain in the first', ['*filter', ':INPUT ACCEPT [0:0]', ':ssh-in - [0:0]', rule('INPUT', 'r1'), rule('ssh-in', 'r2'), 'COMMIT', '*filter', rule('INPUT', 'r3'), rule('OUTPUT', 'r4'), 'COMMIT', ''].join('\n')],
  ['filter, nat, filter again, the chain declared again', ['*filter', ':a - [0:0]', rule('a', 'r1'), rule('FORWARD', 'r2'), 'COMMIT', '*nat', ':POSTROUTING ACCEPT [0:0]', '-A POSTROUTING -o eth0 -j MASQUERADE', 'COMMIT', '*filter', ':a - [0:0]', rule('a', 'r3'), rule('INPUT', 'r4'), 'COMMIT', ''].join('\n')],
];

/** `chain:comment` of each filter rule, in order, as iptables -S lists them. */
const kernelRules = (listing: string) => [...listing.matchAll(/^-A (\S+) .*--comment (\S+)/gm)].map((m) => `${m[1]}:${m[2]}`);

/** The same of the model's filter table, chains in the order iptables -S lists them (built-in first, then user chains by name). */
function modelRules(text: string, fileName: string): string[] {
  const chains = new FirewallDocument(text, { fileName }).ruleSet.tables.get('ipv4:filter')!.chains;
  const order = [...chains.values()].sort((a, b) => Number(b.builtin) - Number(a.builtin) || (a.builtin ? 0 : a.name.localeCompare(b.name)));
  return order.flatMap((c) => c.rules.map((r) => `${c.name}:${/--comment (\S+)/.exec(text.slice(r.span.start, r.span.end))?.[1]}`));
}

for (const [name, text] of files) {
  test(`${name}: the tables after iptables-restore, legacy and nft, are the model's`, { skip }, () => {
    const expected = modelRules(text, 'rules.v4');
    for (const backend of ['legacy', 'nft'] as const) {
      const r = ns.restoreWith(backend, text);
      assert.ok(r.ok, r.err);
      assert.deepEqual(kernelRules(r.filter), expected, backend);
    }
    const found = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'repeated-table-block');
    assert.deepEqual(found.map((d) => d.span.start), [text.lastIndexOf('*filter') + 1]);
  });

  test(`${name}: merged by the quick fix, the file loads the rules of both blocks, legacy and nft, as the model holds them`, { skip }, () => {
    const [finding] = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'repeated-table-block');
    const fixed = applyFix(text, finding.fixes!.find((f) => !f.suppression)!);
    const expected = modelRules(fixed, 'rules.v4');
    // every filter rule of the file, r1 to r4, is in the merged table
    assert.deepEqual(expected.map((r) => r.split(':')[1]).sort(), ['r1', 'r2', 'r3', 'r4']);
    for (const backend of ['legacy', 'nft'] as const) {
      const r = ns.restoreWith(backend, fixed);
      assert.ok(r.ok, `${backend}: ${r.err}`);
      assert.deepEqual(kernelRules(r.filter), expected, backend);
    }
    assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.severity === 'error' || d.code === 'repeated-table-block'), []);
  });

  test(`${name}: with --noflush the blocks add up, as in ufw's files`, { skip }, () => {
    ns.restoreWith('nft', '*filter\nCOMMIT\n');
    const r = ns.run(['iptables-restore', '--noflush'], text);
    assert.ok(r.ok, r.err);
    assert.deepEqual(kernelRules(ns.run(['iptables', '-S']).out), modelRules(text, 'before.rules'));
    assert.deepEqual(new FirewallDocument(text, { fileName: 'before.rules' }).diagnostics().filter((d) => d.code === 'repeated-table-block'), []);
  });
}

test('a user chain declared again under --noflush: both backends take it and empty the chain, a warning in ufw\'s files', { skip }, () => {
  const text = ['*filter', ':ufw-before-input - [0:0]', rule('ufw-before-input', 'r1'), ':ufw-before-input - [0:0]', rule('ufw-before-input', 'r2'), 'COMMIT', ''].join('\n');
  for (const backend of ['legacy', 'nft'] as const) {
    ns.restoreWith(backend, '*filter\nCOMMIT\n');
    const r = ns.run([`iptables-${backend}-restore`, '--noflush'], text);
    assert.ok(r.ok, `${backend}: ${r.err}`);
    assert.deepEqual(kernelRules(ns.run([`iptables-${backend}`, '-S']).out), ['ufw-before-input:r2'], backend);
  }
  assert.deepEqual(modelRules(text, 'before.rules'), ['ufw-before-input:r2']);
  const found = new FirewallDocument(text, { fileName: 'before.rules' }).diagnostics().filter((d) => d.code === 'duplicate-chain');
  assert.deepEqual(found.map((d) => d.severity), ['warning']);
});

test('a script\'s iptables-restore without -n empties the table its commands filled above: the model\'s tables are the kernel\'s', { skip }, () => {
  const script = ['iptables -A INPUT -i lo -m comment --comment r1 -j ACCEPT', 'iptables-restore <<EOF', '*filter', rule('INPUT', 'r2'), 'COMMIT', 'EOF', 'iptables -A INPUT -m comment --comment r3 -j ACCEPT', ''].join('\n');
  ns.restoreWith('nft', '*filter\nCOMMIT\n');
  const r = ns.run(['sh', '-e', '-c', script]);
  assert.ok(r.ok, r.err);
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const input = doc.ruleSet.tables.get('ipv4:filter')!.chains.get('INPUT')!.rules.map((x) => `INPUT:${/--comment (\S+)/.exec(script.slice(x.span.start, x.span.end))?.[1]}`);
  assert.deepEqual(kernelRules(ns.run(['iptables', '-S']).out), ['INPUT:r2', 'INPUT:r3']);
  assert.deepEqual(input, ['INPUT:r2', 'INPUT:r3']);
  const found = doc.diagnostics().filter((d) => d.code === 'repeated-table-block');
  assert.deepEqual(found.map((d) => d.span.start), [script.indexOf('*filter') + 1]);
});

test('a second block naming a user chain only the first declared: both backends refuse the line, and undefined-chain stands there', { skip }, () => {
  const text = ['*filter', ':a - [0:0]', rule('a', 'r1'), rule('INPUT', 'r2'), 'COMMIT', '*filter', rule('OUTPUT', 'r3'), '-A INPUT -j a', 'COMMIT', ''].join('\n');
  for (const backend of ['legacy', 'nft'] as const) {
    const r = ns.restoreWith(backend, text);
    assert.equal(r.ok, false, backend);
    // legacy: "Couldn't load target `a'", nft: "Chain 'a' does not exist"
    assert.match(r.err, /target `a'|Chain 'a' does not exist/, `${backend}: ${r.err}`);
  }
  const found = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'undefined-chain');
  assert.deepEqual(found.map((d) => [d.severity, d.span.start]), [['error', text.lastIndexOf('a\n')]]);
  // declared again in the second block, as the fix does: both backends load it
  const fixed = text.replace('*filter\n-A OUTPUT', '*filter\n:a - [0:0]\n-A OUTPUT');
  for (const backend of ['legacy', 'nft'] as const) assert.ok(ns.restoreWith(backend, fixed).ok, backend);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'undefined-chain'), []);
});

test('a DROP policy the later block does not set again: iptables-nft resets it to ACCEPT, legacy keeps it, and the finding points at it', { skip }, () => {
  const text = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', rule('INPUT', 'r1'), 'COMMIT', '*filter', ':FORWARD DROP [0:0]', rule('INPUT', 'r2'), 'COMMIT', ''].join('\n');
  const policy = (listing: string, chain: string) => new RegExp(`^-P ${chain} (\\S+)`, 'm').exec(listing)?.[1];
  const legacy = ns.restoreWith('legacy', text);
  const nft = ns.restoreWith('nft', text);
  assert.ok(legacy.ok && nft.ok, legacy.err + nft.err);
  assert.deepEqual([policy(legacy.filter, 'INPUT'), policy(legacy.filter, 'FORWARD')], ['DROP', 'DROP']);
  assert.deepEqual([policy(nft.filter, 'INPUT'), policy(nft.filter, 'FORWARD')], ['ACCEPT', 'DROP']);
  const [d] = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((x) => x.code === 'repeated-table-block');
  assert.deepEqual(d.related?.slice(1).map((r) => text.slice(r.span.start, r.span.end)), ['INPUT']);
  // merged by the fix, both backends keep INPUT's DROP
  const fixed = applyFix(text, d.fixes!.find((f) => !f.suppression)!);
  for (const backend of ['legacy', 'nft'] as const) assert.equal(policy(ns.restoreWith(backend, fixed).filter, 'INPUT'), 'DROP', backend);
});
