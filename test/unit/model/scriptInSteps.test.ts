import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { scriptRuleSet, scriptRuleSetSteps } from '../../../server/src/core/model/scriptDocument.ts';
import { routerScript } from '../../support/kubeDump.ts';
import { runCounted as run } from '../../support/runCounted.ts';
import { corpusScripts } from '../../support/paths.ts';

/**
 * A shell script's model made in steps (scriptRuleSetSteps, FirewallDocument.prepareModel), as
 * the language server makes it when a long script is opened or judged after an edit: the
 * same rule set and findings as made at once, and a model of the text it was made from only.
 */


/** A router script of about `n` rules (see routerScript) where every fifth forward's accept names the public port instead of the server's: a finding each. */
function forwards(n: number): string {
  let k = 0;
  return routerScript(n).text.replace(/--dport 22 \\/g, (m) => (k++ % 5 ? m : '--dport 80 \\'));
}

const findings = (doc: FirewallDocument) => doc.diagnostics().map((d) => [d.code, d.severity, d.span.start, d.span.end, d.message]);

test('a script modelled a few commands at a time gives the rule set modelled at once', () => {
  const texts = [forwards(600), 'f() {\n  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT\n}\nf 22\nf 80\niptables-restore <<EOF\n*filter\n-A INPUT -j DROP\nCOMMIT\nEOF\n'];
  texts.push(...corpusScripts().map((s) => s.text));
  for (const text of texts) {
    const whole = scriptRuleSet(text);
    for (const per of [1, 7]) assert.deepEqual(run(scriptRuleSetSteps(text, {}, per)).value, whole, `${JSON.stringify(text.slice(0, 40))}, ${per} a step`);
  }
});

test('a long script is modelled in many short steps', () => {
  const text = forwards(4000);
  const { value, yields } = run(scriptRuleSetSteps(text, {}, 100));
  // 4,000 iptables commands, 100 a step, and the shell parse a stretch of text at a time
  assert.ok(yields >= 40 + text.length / (100 * 64) / 2, `${yields} yields`);
  assert.ok(value.commands.length >= 4000);
});

test('a script opened with its model made in steps gives the findings of one made at once', () => {
  const text = forwards(3000);
  const now = findings(new FirewallDocument(text, { fileName: 'router.sh' }));
  assert.ok(now.some((f) => f[0] === 'dnat-without-forward-accept'));
  const later = new FirewallDocument(text, { fileName: 'router.sh' });
  const made = run(later.prepareModel(100));
  assert.ok(made.yields > 30, `${made.yields} yields`);
  assert.ok(later.ruleSetReady);
  const found = run(later.diagnosticsSteps());
  assert.deepEqual(
    found.value.map((d) => [d.code, d.severity, d.span.start, d.span.end, d.message]),
    now,
  );
});

test('a script edited, or given other files to read, while its model is made in steps keeps none of that model', () => {
  const text = forwards(400);
  const edited = text.replace('--dport 10007', '--dport 10077');
  const doc = new FirewallDocument(text, { fileName: 'router.sh' });
  const steps = doc.prepareModel(50);
  steps.next();
  doc.update(edited, [{ start: text.indexOf('--dport 10007') + 12, end: text.indexOf('--dport 10007') + 13, text: '7' }]);
  run(steps);
  assert.equal(doc.ruleSetReady, false);
  assert.ok(doc.ruleSet.commands.some((c) => c.rule?.matches.some((m) => m.options.some((o) => o.values[0]?.value === '10077'))));

  const sourcing = '. ./ports.conf\niptables -A INPUT -p tcp --dport "$SSH" -j ACCEPT\n'.repeat(50);
  const doc2 = new FirewallDocument(sourcing, { fileName: 'fw.sh' });
  const steps2 = doc2.prepareModel(10);
  steps2.next();
  doc2.setSourced(new Map([['./ports.conf', { file: '/etc/fw/ports.conf', text: 'SSH=2222\n' }]]));
  run(steps2);
  assert.equal(doc2.ruleSetReady, false);
  assert.ok(doc2.ruleSet.commands.every((c) => c.rule?.matches.some((m) => m.options.some((o) => o.values[0]?.value === '2222'))));
});
