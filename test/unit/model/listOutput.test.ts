import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectDialect } from '../../../server/src/core/dialect.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';

/** Findings as [code, start, end]. */
const found = (text: string, fileName?: string) => new FirewallDocument(text, { fileName }).diagnostics().map((d) => [d.code, d.span.start, d.span.end]);

/** What iptables 1.8.9 prints for `iptables -L -n -v` of a namespace with one rule and one user chain. */
const LIST = [
  'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
  ' pkts bytes target     prot opt in     out     source               destination',
  '    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22',
  '    0     0 foo        0    --  *      *       0.0.0.0/0            0.0.0.0/0',
  '',
  'Chain FORWARD (policy DROP 0 packets, 0 bytes)',
  ' pkts bytes target     prot opt in     out     source               destination',
  '',
  'Chain foo (1 references)',
  ' pkts bytes target     prot opt in     out     source               destination',
  '',
].join('\n');

test('iptables -L output is one syntax-error on its header line, under any name', () => {
  const header = LIST.indexOf('\n');
  for (const name of [undefined, 'rules.v4', 'firewall.txt', 'dump.iptables']) {
    assert.equal(detectDialect(LIST, name), 'save', String(name));
    assert.deepEqual(found(LIST, name), [['syntax-error', 0, header]], String(name));
  }
  // a user chain listed first (iptables -L foo), and comments before it
  const chain = '# saved by hand\n\nChain foo (0 references)\ntarget     prot opt source               destination\n';
  const at = chain.indexOf('Chain');
  assert.deepEqual(found(chain), [['syntax-error', at, at + 'Chain foo (0 references)'.length]]);
});

test('texts that only look like iptables -L output are read as before', () => {
  // a shell script that prints a heading, and a save file whose comment holds one
  assert.equal(detectDialect('echo "Chain INPUT (policy ACCEPT)"\niptables -L\n'), 'script');
  const save = '# Chain INPUT (policy ACCEPT)\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n';
  assert.ok(!found(save, 'rules.v4').some(([code]) => code === 'syntax-error'));
  // a here-document fed to iptables-restore is judged line by line, as iptables-restore reads it
  const script = 'iptables-restore <<EOF\nChain INPUT (policy ACCEPT)\nEOF\n';
  assert.ok(found(script).length > 0);
  assert.ok(found(script).every(([, start]) => (start as number) >= script.indexOf('Chain')));
});
