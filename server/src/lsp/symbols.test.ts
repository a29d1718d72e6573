import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DocumentSymbol } from 'vscode-languageserver';
import { FirewallDocument } from '../core/facade.ts';
import { drain } from '../core/services/steps.ts';
import { documentSymbolSteps } from './symbols.ts';

const save = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':a - [0:0]',
  ':b - [0:0]',
  '-A INPUT -j a',
  '-A a -j b',
  '-A b -j ACCEPT',
  'COMMIT',
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':c - [0:0]',
  '-A PREROUTING -j c',
  '-A c -p tcp -j DNAT --to-destination 10.200.0.2',
  'COMMIT',
  '',
].join('\n');
const script = ['iptables -N a', 'iptables -A INPUT -j a', 'iptables -N b', 'iptables -A a -j b', 'iptables -A b -j ACCEPT', 'iptables -t nat -A POSTROUTING -j MASQUERADE', ''].join('\n');

const plain = (s: DocumentSymbol[]) => s.map((t) => ({ name: t.name, detail: t.detail, range: t.range, chains: t.children?.map((c) => [c.name, c.range.start.line, c.range.end.line]) }));

test('the outline lists the first chains up to the limit; the tables keep their ranges and say how many are left out', () => {
  for (const [dialect, text] of [['save', save], ['script', script]] as const) {
    const doc = new FirewallDocument(text, { dialect });
    const all = drain(documentSymbolSteps(doc));
    assert.equal(all.unlisted, 0, dialect);
    const names = all.symbols.flatMap((t) => t.children!.map((c) => c.name));
    for (const max of [0, 1, 2, names.length - 1, names.length]) {
      const cut = drain(documentSymbolSteps(doc, max));
      assert.equal(cut.unlisted, names.length - max, `${dialect} ${max}`);
      assert.deepEqual(cut.symbols.flatMap((t) => t.children!.map((c) => c.name)), names.slice(0, max), `${dialect} ${max}`);
      cut.symbols.forEach((t, i) => {
        const whole = all.symbols[i];
        assert.deepEqual([t.name, t.range, t.selectionRange], [whole.name, whole.range, whole.selectionRange], `${dialect} ${max}: the table's place`);
        const left = whole.children!.length - t.children!.length;
        assert.equal(t.detail, left ? `${whole.detail}, ${left} not listed (iptables.outline.maxChains)` : whole.detail, `${dialect} ${max}`);
        assert.deepEqual(plain([{ ...t, detail: whole.detail }])[0].chains, plain([whole])[0].chains!.slice(0, t.children!.length));
      });
    }
  }
});

test('every symbol holds its name\'s place, an iptables -S listing\'s tables included (editors drop an outline that does not)', () => {
  const listing = ['-P INPUT DROP', '-P FORWARD DROP', '-P OUTPUT ACCEPT', '-N LOGDROP', '-A INPUT -j LOGDROP', '-A LOGDROP -j DROP', '-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT', '-A POSTROUTING -o eth0 -j MASQUERADE', ''].join('\n');
  const within = (outer: DocumentSymbol['range'], inner: DocumentSymbol['range']) =>
    (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
    (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character));
  for (const [name, text] of [['save', save], ['script', script], ['listing', listing]] as const) {
    const { symbols } = drain(documentSymbolSteps(new FirewallDocument(text, { dialect: name === 'script' ? 'script' : 'save' })));
    for (const s of [...symbols, ...symbols.flatMap((t) => t.children ?? [])]) assert.ok(within(s.range, s.selectionRange), `${name} ${s.name}: ${JSON.stringify(s.range)} holds ${JSON.stringify(s.selectionRange)}`);
  }
  const { symbols } = drain(documentSymbolSteps(new FirewallDocument(listing)));
  // each table from the first line of its run to its last rule
  assert.deepEqual(symbols.map((t) => [t.name, t.range.start.line, t.range.end.line]), [['filter', 0, 5], ['nat', 6, 10]]);
});
