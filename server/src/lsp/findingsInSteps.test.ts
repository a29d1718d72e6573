import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../core/facade.ts';
import { kubeProxyDump } from '../../../test/support/kubeDump.ts';
import { findingsInSteps } from './findingsInSteps.ts';
import { drain } from '../core/services/steps.ts';
import { runCounted } from '../../../test/support/runCounted.ts';
import type { RunOptions } from '../core/analysis/engine.ts';
import type { OpenModel } from '../node/ipv6RulesBeside.ts';
import { readSourced, readSourcedSteps } from '../node/sourcedFiles.ts';

// a kube-proxy dump with one rule that has a finding, near its end: the analysis meets it late
const dump = kubeProxyDump(3000).text;
const last = dump.lastIndexOf('COMMIT');
const text = `${dump.slice(0, last)}-A KUBE-SERVICES -m state --state NEW -j ACCEPT\n${dump.slice(last)}`;
const codes = (found: { code: string }[] | undefined) => (found ?? []).map((d) => d.code);

function opening(context: { settings: RunOptions; judgement: number; open: boolean }) {
  const model = new FirewallDocument(text, { fileName: 'kube.rules', deferModel: true });
  const steps = findingsInSteps(model, { holds: () => context.open, judgement: () => String(context.judgement), options: () => context.settings });
  return { model, steps };
}

/** Runs `steps` until `model`'s rule set is made and a few of the analysis's steps have run. */
function intoAnalysis(model: FirewallDocument, steps: Generator<void, unknown, void>): void {
  while (!model.ruleSetReady) assert.equal(steps.next().done, false);
  for (let i = 0; i < 3; i++) assert.equal(steps.next().done, false, 'the analysis ended in fewer than four steps');
}


test('the findings of a document opened in steps are judged with what it is judged with at their end', () => {
  const context = { settings: {} as RunOptions, judgement: 0, open: true };
  const { model, steps } = opening(context);
  intoAnalysis(model, steps);
  // the rule turned off while the analysis runs
  context.settings = { severities: { 'deprecated-state-match': 'off' } };
  context.judgement++;
  const found = drain(steps);
  assert.deepEqual(codes(found), []);
  // and without a change, the findings of the options it started with
  const unchanged = { settings: {} as RunOptions, judgement: 0, open: true };
  const plain = opening(unchanged);
  intoAnalysis(plain.model, plain.steps);
  unchanged.settings = { severities: { 'deprecated-state-match': 'off' } };
  assert.deepEqual(codes(drain(plain.steps)), ['deprecated-state-match']);
});

test('a document closed while it opens: no findings, and no analysis after its model', () => {
  const context = { settings: {} as RunOptions, judgement: 0, open: true };
  const { model, steps } = opening(context);
  while (!model.ruleSetReady) steps.next();
  context.open = false;
  let more = 0;
  for (let r = steps.next(); !r.done; r = steps.next()) more++;
  assert.ok(more <= 1, `${more} steps after the close`);
  const gone = opening({ settings: {}, judgement: 0, open: false });
  assert.equal(drain(gone.steps), undefined);
});

test('a long script that reads a configuration with `.`: its model is made again in steps with the file, not at once when the options find it', () => {
  const dir = '/tmp/iptables-findings-in-steps';
  const conf = new FirewallDocument('SSH=abc\n', { fileName: `${dir}/vars.conf` });
  const open: OpenModel = (path) => (path === `${dir}/vars.conf` ? conf : undefined);
  const rules = Array.from({ length: 3000 }, (_, i) => `iptables -A INPUT -p tcp -s 10.0.${i >> 8}.${i & 255} --dport 22 -j ACCEPT`).join('\n');
  const script = `. ./vars.conf\niptables -A INPUT -p tcp --dport "$SSH" -j ACCEPT\n${rules}\n`;
  const model = new FirewallDocument(script, { fileName: `${dir}/fw.sh` });
  let madeByOptions = false;
  const steps = findingsInSteps(model, {
    holds: () => true,
    judgement: () => '0',
    options: () => {
      const before = model.ruleSet;
      readSourced(model, `${dir}/fw.sh`, open);
      madeByOptions ||= model.ruleSet !== before;
      return {};
    },
    prepare: function* () {
      yield* readSourcedSteps(model, `${dir}/fw.sh`, open);
    },
  });
  const { value: found, yields } = runCounted(steps);
  assert.equal(madeByOptions, false, 'the model was made again at once when the options found the file');
  // the file's value read: `abc` is no port
  assert.ok(codes(found).includes('invalid-value'), JSON.stringify(codes(found)));
  // the model twice (without the file, then with it), each in many steps
  assert.ok(yields > 20, `${yields} yields`);
});
