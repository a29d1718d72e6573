import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FirewallDocument } from '../../../server/src/core/facade.ts';

const base = [
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080',
  'COMMIT',
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':svc - [0:0]',
  '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  '-A INPUT -p tcp --dport 22 -j svc',
  '-A svc -s 10.0.0.0/8 -j ACCEPT',
  '-A FORWARD -p tcp -d 10.0.0.5 --dport 8080 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

/** What a fresh parse says, reduced to comparable data. */
function snapshot(doc: FirewallDocument) {
  const rs = doc.ruleSet;
  return {
    diagnostics: doc.diagnostics().map((d) => [d.code, d.severity, d.span.start, d.span.end, d.message, JSON.stringify(d.fixes ?? [])]),
    chains: [...rs.tables.values()].flatMap((t) => [...t.chains.values()].map((c) => [t.name, c.name, c.policy, c.rules.map((r) => [r.span.start, r.span.end, r.chainSpan.start, r.target?.name, r.target?.span.start])])),
  };
}

test('incremental edits give the same model and diagnostics as a fresh parse', () => {
  const edit = fc.tuple(fc.nat(), fc.nat(12), fc.constantFrom('', '\n', 'x', ' -j DROP', '\n-A INPUT -j ACCEPT\n', 'COMMIT\n', '*raw\n', '"', '!', '--dport 1', ' -p udp', '9', ' -m state --state NEW', ' --dport 99999', ' -s ::1', '*nat\n', ' --ctstate BOGUS'));
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
      const doc = new FirewallDocument(base, { dialect: 'save' });
      let text = base;
      for (const [pos, del, ins] of edits) {
        const start = pos % (text.length + 1);
        const end = Math.min(text.length, start + del);
        text = text.slice(0, start) + ins + text.slice(end);
        doc.update(text, [{ start, end, text: ins }]);
        assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })));
      }
    }),
    { numRuns: 400 },
  );
});

test('spans gathered ahead of edits move like those gathered on the first edit', () => {
  const doc = new FirewallDocument(base, { dialect: 'save' });
  doc.diagnostics();
  // a slice at a time, as the language server does when idle
  let slices = 0;
  while (!doc.prepareForEdits(3)) slices++;
  assert.ok(slices >= 3);
  let text = base;
  for (const [start, end, ins] of [[0, 0, '# top\n'], [40, 41, ''], [text.length, text.length, '\n']] as const) {
    text = text.slice(0, start) + ins + text.slice(end);
    doc.update(text, [{ start, end, text: ins }]);
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })));
  }
});
