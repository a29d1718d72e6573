import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { SaveDocument } from '../../../server/src/core/model/saveDocument.ts';
import { collectSpans } from '../../../server/src/core/model/shiftSpans.ts';
import { LineArgs, LineOption } from '../../../server/src/core/syntax/lineWord.ts';
import { LineSpan } from '../../../server/src/core/text/lineSpan.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';

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
  const edit = fc.tuple(fc.nat(), fc.nat(12), fc.constantFrom('', '\n', 'x', ' -j DROP', '\n-A INPUT -j ACCEPT\n', 'COMMIT\n', '*raw\n', '"', '!', '--dport 1', ' -p udp', '9', ' -m state --state NEW', ' --dport 99999', ' -s ::1', '*nat\n', ' --ctstate BOGUS', ' -j LOG', '\n-A INPUT -j LOG\n', ' -m limit --limit 1/s'));
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

test('an edit that leaves `-o` without its value in INPUT: the same findings as a fresh parse (a counterexample the property found)', () => {
  const doc = new FirewallDocument(base, { dialect: 'save' });
  let text = base;
  // `-m conntrack` becomes `-o -p udptstate`: -o binds no interface, and target-not-allowed-here,
  // which a fresh parse leaves to syntax-error, reported it after the edit
  for (const [start, end, ins] of [[189, 200, ' -p udp'], [185, 188, '']] as const) {
    text = text.slice(0, start) + ins + text.slice(end);
    doc.update(text, [{ start, end, text: ins }]);
    assert.deepEqual(snapshot(doc), snapshot(new FirewallDocument(text, { dialect: 'save' })));
  }
  assert.ok(text.includes('-A INPUT -o -p udptstate'), text);
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

/** Every span of every line, read through `start` and `end`, in a fixed walk order. */
function allSpans(doc: SaveDocument): number[][] {
  const out: number[][] = [];
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof LineSpan || ('start' in v && 'end' in v && Object.keys(v).length === 2)) {
      const s = v as { start: number; end: number };
      out.push([s.start, s.end]);
      // an option group is a span that holds more: its name's span, its values and its `!`;
      // a rule line's argument list holds its groups and stray words
      if (v instanceof LineOption) {
        walk(v.nameSpan);
        walk(v.bang);
      } else if (!(v instanceof LineArgs)) return;
    }
    for (const [k, x] of Object.entries(v)) if (k !== 'spec' && k !== 'owner' && k !== 'candidates' && k !== 'lineFindings' && k !== 'spans' && k !== 'anchor') walk(x);
  };
  for (const e of doc.entries) {
    out.push([e.start, e.end]);
    walk(e.line);
    walk(e.issues);
    walk(e.command);
  }
  return out;
}

test('after edits every span of every line reads what a fresh parse reads', () => {
  const edit = fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom('', '\n', 'x', '\n-A INPUT -ptcp --dport=22 -j ACCEPT\n', '# c\n', '  ', '-nvL'));
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
      const doc = new SaveDocument(base, 'ipv4');
      let text = base;
      for (const [pos, del, ins] of edits) {
        const start = pos % (text.length + 1);
        const end = Math.min(text.length, start + del);
        text = text.slice(0, start) + ins + text.slice(end);
        doc.applyEdited(text, { start, end, text: ins });
        assert.deepEqual(allSpans(doc), allSpans(new SaveDocument(text, 'ipv4')));
      }
    }),
    { numRuns: 300 },
  );
});

test('the spans of a rule line are measured from the line: an edit above moves the line, not each span', () => {
  const doc = new SaveDocument(kubeProxyDump(200).text, 'ipv4');
  const rules = doc.entries.filter((e) => e.line.kind === 'rule');
  assert.ok(rules.length > 150);
  // nothing of these lines has to be moved one by one
  for (const e of rules) assert.deepEqual(collectSpans([e.line, e.issues, e.command]), []);
  const last = rules[rules.length - 1];
  const before = last.command!.rule!.target!.span.start;
  doc.applyChange({ start: 0, end: 0, text: '# a comment of 22 chars\n'.slice(0, 22) });
  assert.equal(last.command!.rule!.target!.span.start, before + 22);
});
