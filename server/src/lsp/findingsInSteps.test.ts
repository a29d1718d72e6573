import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../core/facade.ts';
import { kubeProxyDump } from '../../../test/support/kubeDump.ts';
import { findingsInSteps } from './findingsInSteps.ts';
import type { RunOptions } from '../core/analysis/engine.ts';

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

function finish<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

test('the findings of a document opened in steps are judged with what it is judged with at their end', () => {
  const context = { settings: {} as RunOptions, judgement: 0, open: true };
  const { model, steps } = opening(context);
  intoAnalysis(model, steps);
  // the rule turned off while the analysis runs
  context.settings = { severities: { 'deprecated-state-match': 'off' } };
  context.judgement++;
  const found = finish(steps);
  assert.deepEqual(codes(found), []);
  // and without a change, the findings of the options it started with
  const unchanged = { settings: {} as RunOptions, judgement: 0, open: true };
  const plain = opening(unchanged);
  intoAnalysis(plain.model, plain.steps);
  unchanged.settings = { severities: { 'deprecated-state-match': 'off' } };
  assert.deepEqual(codes(finish(plain.steps)), ['deprecated-state-match']);
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
  assert.equal(finish(gone.steps), undefined);
});
