import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { SaveDocument } from '../../../server/src/core/model/saveDocument.ts';
import { LineOption } from '../../../server/src/core/syntax/lineWord.ts';
import { LineSpan } from '../../../server/src/core/text/lineSpan.ts';
import type { Span } from '../../../server/src/core/text/span.ts';

const far = ' '.repeat(20_000);
const farther = ' '.repeat(70_000);

/** [line, option written, text of its group, of its name, of its `!` (undefined: none), measured from the line] */
const cases: [string, string, string, string, string | undefined, boolean][] = [
  ['-A INPUT -s 10.0.0.0/8 -j DROP', '-s', '-s 10.0.0.0/8', '-s', undefined, true],
  ['-A INPUT ! -s 10.0.0.0/8 -j DROP', '-s', '! -s 10.0.0.0/8', '-s', '!', true],
  ['-A INPUT !   -i eth0 -j DROP', '-i', '!   -i eth0', '-i', '!', true],
  // old style: the `!` after the name, before the value
  ['-A INPUT -s ! 10.0.0.0/8 -j DROP', '-s', '-s ! 10.0.0.0/8', '-s', '!', true],
  ['-A INPUT -p tcp -m tcp ! --dport 22 -j DROP', '--dport', '! --dport 22', '--dport', '!', true],
  // a name further from its `!` than the layout holds: a plain item, the same offsets
  [`-A INPUT !${far}-s 10.0.0.0/8 -j DROP`, '-s', `!${far}-s 10.0.0.0/8`, '-s', '!', false],
  [`-A INPUT -s${farther}! 10.0.0.0/8 -j DROP`, '-s', `-s${farther}! 10.0.0.0/8`, '-s', '!', false],
  // a group past the 2,047th character of its line, or longer than 1,023: a plain item (see layoutOf)
  [`-A INPUT -m comment --comment "${'x'.repeat(2100)}" ! -s 10.0.0.0/8 -j DROP`, '-s', '! -s 10.0.0.0/8', '-s', '!', false],
  [`-A INPUT ! -s${' '.repeat(1100)}10.0.0.0/8 -j DROP`, '-s', `! -s${' '.repeat(1100)}10.0.0.0/8`, '-s', '!', false],
  [`-A INPUT -m comment --comment "${'x'.repeat(1900)}" ! -s 10.0.0.0/8 -j DROP`, '-s', '! -s 10.0.0.0/8', '-s', '!', true],
];

for (const [line, written, group, name, bang, measured] of cases) {
  test(`option group spans: ${line.length > 80 ? `${line.slice(0, 40)}… (${line.length} characters)` : line}`, () => {
    for (const lead of ['', '# a comment above\n\n']) {
      const text = `*filter\n${lead}${line}\nCOMMIT\n`;
      const doc = new FirewallDocument(text, { dialect: 'save' });
      const cmd = doc.ruleSet.commands[0];
      const item = cmd.args.items.find((i) => i.written === written)!;
      const read = (s: Span | undefined) => s && text.slice(s.start, s.end);
      assert.equal(item instanceof LineOption, measured);
      assert.equal(read(item.span), group);
      assert.equal(read(item.nameSpan), name);
      assert.equal(read(item.bang), bang);
      assert.equal(item.negated, bang !== undefined);
      const bound = cmd.rule!.options.find((o) => o.item === item)!;
      assert.equal(bound.negated, bang !== undefined);
      assert.equal(bound.name, { '-s': '--source', '-i': '--in-interface', '--dport': '--destination-port' }[written]);
    }
  });
}

test('a `!` where no negation is allowed is reported on the `!`', () => {
  const text = '*filter\n-A INPUT -p tcp -m comment ! --comment x -j DROP\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const found = doc.diagnostics().filter((d) => d.code === 'syntax-error');
  assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), ['!']);
});

test('an option of a match the knowledge base does not know keeps the name as written', () => {
  const text = '*filter\n-A INPUT -m no-such-match --no-such-option 1 -j DROP\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const item = doc.ruleSet.commands[0].rule!.options.find((o) => o.item.written === '--no-such-option')!;
  assert.ok(item instanceof LineOption);
  assert.equal(item.name, '--no-such-option');
  assert.equal(item.spec, undefined);
});

test('past the 32,767th character of a line words are plain spans, read right before and after an edit above', () => {
  const comment = 'c'.repeat(40_000);
  const text = `*filter\n-A INPUT -m comment --comment ${comment} -s 10.0.0.0/8 -j DROP\nCOMMIT\n`;
  const doc = new FirewallDocument(text, { dialect: 'save' });
  doc.diagnostics();
  const words = (d: FirewallDocument, t: string) => {
    const cmd = d.ruleSet.commands[0];
    return cmd.args.items.flatMap((i) => [i.nameSpan, ...i.values.map((v) => v.span)]).map((s) => [s.start, t.slice(s.start, Math.min(s.end, s.start + 12))]);
  };
  const before = words(doc, text);
  assert.deepEqual(before.map(([, w]) => w), ['-A', 'INPUT', '-m', 'comment', '--comment', 'cccccccccccc', '-s', '10.0.0.0/8', '-j', 'DROP']);
  const cmd = doc.ruleSet.commands[0];
  const source = cmd.args.items.find((i) => i.written === '-s')!;
  assert.ok(!(source instanceof LineOption) && !(source.values[0].span instanceof LineSpan), 'the -s group is past the packed offsets');
  const edited = `# a line above\n${text}`;
  doc.update(edited, [{ start: 0, end: 0, text: '# a line above\n' }]);
  const fresh = new FirewallDocument(edited, { dialect: 'save' });
  assert.deepEqual(words(doc, edited), words(fresh, edited));
  assert.deepEqual(words(doc, edited).map(([, w]) => w), before.map(([, w]) => w));
  assert.deepEqual(doc.diagnostics().map((d) => [d.code, d.span.start, d.span.end]), fresh.diagnostics().map((d) => [d.code, d.span.start, d.span.end]));
});

test('a rule line without counters is its argument list; with counters the line holds them and the list', () => {
  const text = '*filter\n-A INPUT -s 10.0.0.0/8 -j DROP  \n[5:300] -A INPUT -j ACCEPT\nCOMMIT\n';
  const doc = new SaveDocument(text, 'ipv4');
  const [plain, counted] = doc.entries.filter((e) => e.line.kind === 'rule');
  const read = (s: Span) => text.slice(s.start, s.end);
  assert.ok(plain.line.kind === 'rule' && counted.line.kind === 'rule');
  assert.equal(plain.line.args, plain.command!.args);
  assert.equal(plain.line.counters, undefined);
  assert.deepEqual([read(plain.line.span), read(plain.line.args.span)], ['-A INPUT -s 10.0.0.0/8 -j DROP', '-A INPUT -s 10.0.0.0/8 -j DROP']);
  assert.deepEqual(plain.line.args.issues, []);
  assert.notEqual(counted.line, counted.line.args);
  assert.deepEqual([read(counted.line.span), read(counted.line.args.span)], ['[5:300] -A INPUT -j ACCEPT', '-A INPUT -j ACCEPT']);
  assert.deepEqual({ ...counted.line.counters, span: undefined }, { packets: '5', bytes: '300', span: undefined });
  assert.deepEqual(new FirewallDocument(text, { dialect: 'save' }).ruleSet.commands.map((c) => [c.rule?.target?.name, read(c.span)]), [
    ['DROP', '-A INPUT -s 10.0.0.0/8 -j DROP'],
    ['ACCEPT', '[5:300] -A INPUT -j ACCEPT'],
  ]);
});

/** [word as written, its value] */
const quotedWords: [string, string][] = [
  ['"default/kubernetes:https cluster IP"', 'default/kubernetes:https cluster IP'],
  ['""', ''],
  ['"a"b', 'ab'],
  ['"say \\"hi\\""', 'say "hi"'],
  ['"no end', 'no end'],
];

for (const [written, value] of quotedWords) {
  test(`a quoted word keeps its value: ${written}`, () => {
    const text = `*filter\n-A INPUT -j DROP -m comment --comment ${written}\nCOMMIT\n`;
    const doc = new FirewallDocument(text, { dialect: 'save' });
    const word = doc.ruleSet.commands[0].args.items.find((i) => i.written === '--comment')!.values[0];
    assert.deepEqual([word.text, word.value, word.quoted, word.dynamic, text.slice(word.span.start, word.span.end)], [written, value, true, false, written]);
  });
}

test('a match named in quotes loads like one named plainly', () => {
  const text = '*filter\n-A INPUT -p tcp -m "tcp" --dport 80 -j DROP\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const rule = doc.ruleSet.commands[0].rule!;
  assert.deepEqual(rule.matches.map((m) => [m.name, m.spec?.name]), [['tcp', 'tcp']]);
  assert.deepEqual(doc.diagnostics().map((d) => d.code), []);
});

test('a group that starts before the 32,768th character of a line and has a value after it is read right after an edit above', () => {
  for (const line of [
    `-A INPUT -m comment${' '.repeat(32_700)}--comment${' '.repeat(100)}x -j DROP`,
    `-A INPUT${' '.repeat(32_750)}-j DROP${' '.repeat(100)}stray`,
  ]) {
    const text = `*filter\n${line}\nCOMMIT\n`;
    const doc = new FirewallDocument(text, { dialect: 'save' });
    doc.diagnostics();
    while (!doc.prepareForEdits(1000));
    const edited = `# a line above\n${text}`;
    doc.update(edited, [{ start: 0, end: 0, text: '# a line above\n' }]);
    const fresh = new FirewallDocument(edited, { dialect: 'save' });
    const words = (d: FirewallDocument) => d.ruleSet.commands[0].args.items.flatMap((i) => [i.span, i.nameSpan, ...i.values.map((v) => v.span)]).concat(d.ruleSet.commands[0].args.strays.map((w) => w.span)).map((s) => edited.slice(s.start, s.end).trim().slice(0, 12));
    assert.deepEqual(words(doc), words(fresh));
    assert.deepEqual(doc.diagnostics().map((d) => [d.code, d.span.start, d.span.end]), fresh.diagnostics().map((d) => [d.code, d.span.start, d.span.end]));
  }
});
