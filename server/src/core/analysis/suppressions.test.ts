import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument, type DocumentOptions } from '../facade.ts';
import { applyFixes } from '../services/fixAll.ts';

/** The text after the "Disable CODE for this line" fix of the first finding of `code`, and the findings of `code` left then. */
function disabled(text: string, code: string, options: DocumentOptions = {}) {
  const d = new FirewallDocument(text, options).diagnostics().find((x) => x.code === code);
  assert.ok(d, `a finding of ${code}`);
  const fix = d.fixes!.find((f) => f.suppression)!;
  const after = applyFixes(text, [fix]).text;
  return { after, left: new FirewallDocument(after, options).diagnostics().filter((x) => x.code === code).length };
}

const script = { dialect: 'script' } as const;

test('disable-next-line above a command a script continues over lines ending in `\\` covers the whole command', () => {
  const text = '#!/bin/sh\n# iptables-lint disable-next-line unknown-option\niptables -A INPUT \\\n  -p tcp \\\n  --dprt 22 -j ACCEPT\niptables -A INPUT -p tcp --dprt 23 -j ACCEPT\n';
  const found = new FirewallDocument(text, script).diagnostics().filter((d) => d.code === 'unknown-option');
  assert.deepEqual(found.map((d) => text.slice(0, d.span.start).split('\n').length), [6], 'only the next command\'s, line 6');
});

test('the fix of a finding on a continued line puts the directive above the command, not inside it (a comment line there would end the command)', () => {
  const text = '#!/bin/sh\nif true; then\n  iptables -A INPUT \\\n    -p tcp --dprt 22 -j ACCEPT\nfi\n';
  const r = disabled(text, 'unknown-option', script);
  assert.equal(r.after, '#!/bin/sh\nif true; then\n  # iptables-lint disable-next-line unknown-option\n  iptables -A INPUT \\\n    -p tcp --dprt 22 -j ACCEPT\nfi\n');
  assert.equal(r.left, 0);
  // the command still holds its rule as before
  assert.equal(new FirewallDocument(r.after, script).ruleSet.commands.length, 1);
});

test('a second code joins the directive above rather than stacking a line that would leave the first covering only the new one', () => {
  const text = '*filter\n# iptables-lint disable-next-line unknown-target\n-A INPUT -p tcp --dprt 22 -j ACCPT\nCOMMIT\n';
  const r = disabled(text, 'unknown-option');
  assert.equal(r.after, '*filter\n# iptables-lint disable-next-line unknown-target, unknown-option\n-A INPUT -p tcp --dprt 22 -j ACCPT\nCOMMIT\n');
  assert.equal(r.left, 0);
  assert.equal(new FirewallDocument(r.after).diagnostics().filter((d) => d.code === 'unknown-target').length, 0, 'the code it named before stays silenced');
});

test('a plain line: the directive above it, as before (indented in a script, at the line start in a save file)', () => {
  assert.equal(disabled('#!/bin/sh\nif true; then\n  iptables -A INPUT -p tcp --dprt 22 -j ACCEPT\nfi\n', 'unknown-option', script).after, '#!/bin/sh\nif true; then\n  # iptables-lint disable-next-line unknown-option\n  iptables -A INPUT -p tcp --dprt 22 -j ACCEPT\nfi\n');
  assert.equal(disabled('*filter\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n', 'unknown-option').after, '*filter\n# iptables-lint disable-next-line unknown-option\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n');
});
