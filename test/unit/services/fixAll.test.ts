import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Fix } from '../../../server/src/core/analysis/types.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { applyFixes, fixAll, safeFix } from '../../../server/src/core/services/fixAll.ts';

const SAVE = [
  '*filter',
  ':INPUT DROP [0:0]',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
  '-A INPUT -p tcp --dprot 22 -m state --state NEW -j ACCEPT',
  '-A INPUT -p udp -m state -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

test('fixAll applies the safe fixes only, and reports what is left of the fixed text', () => {
  const r = fixAll(SAVE, { fileName: 'rules.v4' });
  assert.equal(r.fixed, 2);
  assert.equal(
    r.text,
    SAVE.replace('-m state --state ESTABLISHED', '-m conntrack --ctstate ESTABLISHED').replace('-m state --state NEW', '-m conntrack --ctstate NEW'),
  );
  const left = r.diagnostics.map((d) => `${d.code} ${r.text.slice(d.span.start, d.span.end)}`);
  // the typo's did-you-mean changes the rule (it loads then): a person's choice
  assert.ok(left.includes('unknown-option --dprot'), left.join('\n'));
  // a state match without --state fails to load; conntrack would load and match everything
  assert.ok(left.includes('deprecated-state-match state'), left.join('\n'));
  assert.equal(left.filter((l) => l.startsWith('deprecated-state-match')).length, 1);
  // one pass: its edits, in the original text's offsets, give the same text
  assert.ok(r.edits);
  assert.equal(applyFixes(SAVE, [{ title: 'all', edits: r.edits }]).text, r.text);
});

test('fixAll in a script, with the text\'s findings given; a code turned off or suppressed is not fixed', () => {
  const script = '#!/bin/sh\niptables -A INPUT -m state --state NEW -p tcp --dport 22 -j ACCEPT\n# iptables-lint disable-next-line deprecated-state-match\niptables -A INPUT -m state --state ESTABLISHED -j ACCEPT\n';
  const r = fixAll(script, { dialect: 'script' });
  assert.equal(r.fixed, 1);
  assert.equal(r.text, script.replace('-m state --state NEW', '-m conntrack --ctstate NEW'));
  const off = fixAll(script, { dialect: 'script' }, { severities: { 'deprecated-state-match': 'off' } });
  assert.equal(off.fixed, 0);
  assert.equal(off.text, script);
  assert.equal(off.edits, undefined);
});

test('fixAll leaves a clean text as it is, and never throws on garbage', () => {
  const clean = '*filter\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n';
  assert.deepEqual({ ...fixAll(clean, {}), diagnostics: [] }, { text: clean, fixed: 0, diagnostics: [], edits: undefined });
  const junk = '\u0000\u0001 -m state --state\n*filter\n-A -m state --state NEW,\nCOMMIT';
  assert.doesNotThrow(() => fixAll(junk, {}));
});

test('applyFixes: in the order of their first edit; a fix touching or overlapping one taken waits for the next pass', () => {
  const fix = (title: string, ...spans: [number, number, string][]): Fix => ({ title, edits: spans.map(([start, end, text]) => ({ span: { start, end }, text })) });
  const text = 'abcdefghij';
  const r = applyFixes(text, [fix('late', [8, 9, 'I']), fix('two edits', [0, 1, 'A'], [3, 4, 'D']), fix('inside the two', [2, 2, '+']), fix('touching', [4, 5, 'E']), fix('insert', [6, 6, '_'])]);
  assert.deepEqual(r.applied.map((f) => f.title), ['two edits', 'insert', 'late']);
  assert.equal(r.text, 'AbcDef_ghIj');
  assert.equal(applyFixes(text, []).text, text);
});

test('an open document\'s findings, kept per command across analyses and edits, keep their fix safe', () => {
  const doc = new FirewallDocument(SAVE, { fileName: 'rules.v4' });
  const safeAt = () => doc.diagnostics().filter((d) => safeFix(d)).map((d) => doc.text.slice(d.span.start, d.span.end) + '@' + doc.lines.positionAt(d.span.start).line);
  assert.deepEqual(safeAt(), ['state@3', 'state@4']);
  assert.deepEqual(safeAt(), ['state@3', 'state@4']);
  // a line typed above the rules: their findings are moved, not made again
  const at = SAVE.indexOf('-A INPUT -i lo');
  const added = '-A INPUT -p icmp -j ACCEPT\n';
  doc.update(SAVE.slice(0, at) + added + SAVE.slice(at), [{ start: at, end: at, text: added }]);
  assert.deepEqual(safeAt(), ['state@4', 'state@5']);
});
