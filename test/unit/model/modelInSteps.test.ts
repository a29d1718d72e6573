import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { SaveDocument } from '../../../server/src/core/model/saveDocument.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';
import { runCounted as run } from '../../support/runCounted.ts';
import { corpusRoot, corpusSaveFiles } from '../../support/paths.ts';

/**
 * A big save file's model and first findings made in steps (FirewallDocument.prepareModel,
 * diagnosticsSteps), as the language server makes them when such a file is opened: the same
 * lines, rule set and findings as made at once, whatever the chunk boundaries.
 */
const lines = (d: SaveDocument) => d.entries.map((e) => [e.start, e.end, e.line.kind, e.issues.map((i) => [i.code, i.span.start, i.span.end]), e.command?.kind, e.command?.span.start]);
const findings = (doc: FirewallDocument) => doc.diagnostics().map((d) => [d.code, d.severity, d.span.start, d.span.end, d.message]);


const odd = [
  '\ufeff*filter\r\n:INPUT DROP [0:0]\r\n-A INPUT -p tcp --dprt 22 -j ACCEPT\r\n\r\nCOMMIT', // a byte order mark, CRLF, no last line break
  '*nat\n\n\n-A PREROUTING -j DNAT\n', // blank lines, a rule with a problem
  '', // nothing
  '\n', // one empty line
  '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n\n', // an empty line at the end
];

test('lines parsed a few at a time are the lines parsed at once, at every chunk size', () => {
  for (const text of [...odd, kubeProxyDump(300).text]) {
    const whole = lines(new SaveDocument(text, 'ipv4'));
    for (const per of [1, 2, 3, 7, 100, 100000]) {
      const { value, yields } = run(SaveDocument.parseSteps(text, 'ipv4', per));
      assert.deepEqual(lines(value), whole, `${JSON.stringify(text.slice(0, 30))}, ${per} a step`);
      assert.ok(yields <= Math.ceil(whole.length / per), `${yields} yields for ${whole.length} lines, ${per} a step`);
    }
  }
});

test('a document made with its model deferred, then made in steps, gives the findings of one made at once', () => {
  const texts = [kubeProxyDump(5000).text, ...odd];
  if (existsSync(corpusRoot)) texts.push(...corpusSaveFiles().map((f) => f.text));
  for (const text of texts) {
    const now = findings(new FirewallDocument(text, { fileName: 'x.rules' }));
    // one line a step: the rule set's steps end at every twentieth line
    for (const per of [1, 500]) {
      const later = new FirewallDocument(text, { fileName: 'x.rules', deferModel: true });
      const made = run(later.prepareModel(per));
      const found = run(later.diagnosticsSteps());
      assert.deepEqual(found.value.map((d) => [d.code, d.severity, d.span.start, d.span.end, d.message]), now);
      if (text.length > 100_000) assert.ok(made.yields >= 3 && found.yields > 10, `${made.yields} and ${found.yields} yields`);
    }
  }
});

test('an edit while the model is made in steps: the steps stop, and the model is the edited text\'s', () => {
  const text = kubeProxyDump(3000).text;
  const doc = new FirewallDocument(text, { fileName: 'x.rules', deferModel: true });
  const steps = doc.prepareModel(200);
  for (let i = 0; i < 5; i++) steps.next();
  const at = text.indexOf('--dport 80 ') + '--dport '.length;
  const edited = text.slice(0, at) + 'x' + text.slice(at);
  doc.update(edited, [{ start: at, end: at, text: 'x' }]);
  run(steps);
  assert.deepEqual(findings(doc), findings(new FirewallDocument(edited, { fileName: 'x.rules' })));
  assert.ok(findings(doc).some(([code]) => code === 'invalid-value'));
});

test('an edit before the model is made leaves the parse to the steps, which make the edited text\'s model', () => {
  const text = kubeProxyDump(3000).text;
  const doc = new FirewallDocument(text, { fileName: 'x.rules', deferModel: true });
  const at = text.indexOf('--dport 80 ') + '--dport '.length;
  const edited = text.slice(0, at) + 'x' + text.slice(at);
  doc.update(edited, [{ start: at, end: at, text: 'x' }]);
  // made by the edit, the model would leave the steps nothing to do
  const made = run(doc.prepareModel(200));
  assert.ok(made.yields > 10, `${made.yields} yields`);
  assert.equal(doc.ruleSetReady, true);
  // the model is kept up by edits from then on: a second edit patches it in place
  doc.update(text, [{ start: at, end: at + 1, text: '' }]);
  assert.equal(doc.ruleSetReady, true);
  assert.deepEqual(findings(doc), findings(new FirewallDocument(text, { fileName: 'x.rules' })));
  const again = new FirewallDocument(edited, { fileName: 'x.rules', deferModel: true });
  run(again.prepareModel(200));
  assert.deepEqual(findings(again), findings(new FirewallDocument(edited, { fileName: 'x.rules' })));
});

test('the rule set is made in steps after the lines; an edit between them gives the edited text\'s model', () => {
  const text = kubeProxyDump(3000).text;
  const lineCount = text.split('\n').length;
  const doc = new FirewallDocument(text, { fileName: 'x.rules', deferModel: true });
  const steps = doc.prepareModel(10);
  // the parse's steps, then the one between, then a few of the rule set's (200 lines each)
  const parseYields = Math.ceil(lineCount / 10);
  for (let i = 0; i < parseYields + 3; i++) assert.equal(steps.next().done, false, `step ${i}`);
  assert.equal(doc.ruleSetReady, false);
  const rest = run(steps);
  assert.ok(rest.yields >= Math.floor(lineCount / 200) - 4, `${rest.yields} more yields for ${lineCount} lines`);
  assert.equal(doc.ruleSetReady, true);
  // and an edit made while the rule set is in steps
  const at = text.indexOf('--dport 80 ') + '--dport '.length;
  const edited = text.slice(0, at) + 'x' + text.slice(at);
  const again = new FirewallDocument(text, { fileName: 'x.rules', deferModel: true });
  const more = again.prepareModel(10);
  for (let i = 0; i < parseYields + 3; i++) more.next();
  again.update(edited, [{ start: at, end: at, text: 'x' }]);
  run(more);
  assert.equal(again.ruleSetReady, false, 'the rule set of the text before the edit was kept');
  assert.deepEqual(findings(again), findings(new FirewallDocument(edited, { fileName: 'x.rules' })));
});
