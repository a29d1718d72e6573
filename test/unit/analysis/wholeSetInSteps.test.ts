import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chainFacts } from '../../../server/src/core/analysis/chainGraph.ts';
import { runRules } from '../../../server/src/core/analysis/engine.ts';
import { keptWithFacts, prepareKept } from '../../../server/src/core/analysis/keptWithFacts.ts';
import { rules } from '../../../server/src/core/analysis/registry.ts';
import type { LintRule } from '../../../server/src/core/analysis/types.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { drain } from '../../../server/src/core/services/steps.ts';
import { kubeProxyDump, routerScript } from '../../support/kubeDump.ts';
import { runCounted } from '../../support/runCounted.ts';
import { corpusRoot, corpusSaveFiles } from '../../support/paths.ts';

/**
 * What the whole-set checks share and keep per rule set (the DNATs' paths through FORWARD, the
 * hooks reaching each chain, the loops of the jumps, the hook-bound rules' reports, the DNATs by
 * group), worked out in steps by the rules' `prepare` before their check: the same findings as
 * worked out at once, in many short steps on a big rule set.
 */


/** A kube-proxy dump with a mangle table that has a loop of jumps and targets and matches where they do not work. */
function dumpWithProblems(n: number): string {
  return (
    kubeProxyDump(n).text +
    '*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:LA - [0:0]\n:LB - [0:0]\n-A PREROUTING -j LA\n-A LA -j LB\n-A LB -j LA\n-A LB -m owner --uid-owner 0 -j ACCEPT\n-A INPUT -m owner --uid-owner 0 -j ACCEPT\n-A PREROUTING -j MASQUERADE\nCOMMIT\n'
  );
}

/** A router script whose every fifth forward's accept names the public port (a finding each). */
function scriptWithProblems(n: number): string {
  let k = 0;
  return routerScript(n).text.replace(/--dport 22 \\/g, (m) => (k++ % 5 ? m : '--dport 80 \\')) + 'iptables -N LA\niptables -N LB\niptables -A LA -j LB\niptables -A LB -j LA\n';
}

const prepared = rules.filter((r) => r.prepare);
const unprepared: LintRule[] = rules.map((r) => ({ ...r, prepare: undefined }));
const summary = (doc: FirewallDocument, list: readonly LintRule[]) => runRules(doc.ruleSet, doc.text, doc.lines, { rules: list }).map((d) => [d.code, d.span.start, d.span.end, d.message]);

test('the rules that prepare what they share in steps are the heavy whole-set ones', () => {
  assert.deepEqual(prepared.map((r) => r.code).sort(), ['chain-loop', 'dnat-any-destination', 'dnat-without-forward-accept', 'target-not-allowed-here']);
});

test('prepared in steps, the findings are those worked out at once', () => {
  const texts: [string, string][] = [
    [dumpWithProblems(3000), 'k.rules'],
    [scriptWithProblems(1500), 'router.sh'],
  ];
  if (existsSync(corpusRoot)) for (const f of corpusSaveFiles()) texts.push([f.text, f.file]);
  for (const [text, fileName] of texts) {
    const atOnce = summary(new FirewallDocument(text, { fileName }), unprepared);
    const doc = new FirewallDocument(text, { fileName });
    // the per-command walk gathers the chain facts first, as the engine does
    chainFacts(doc.ruleSet);
    for (const r of prepared) drain(r.prepare!(doc.ruleSet));
    assert.deepEqual(summary(doc, rules), atOnce, fileName);
  }
  const found = new Set(summary(new FirewallDocument(dumpWithProblems(300), { fileName: 'k.rules' }), rules).map(([code]) => code));
  for (const code of ['chain-loop', 'target-not-allowed-here']) assert.ok(found.has(code), code);
});

test('on a big rule set each prepares in many steps', () => {
  const dump = new FirewallDocument(dumpWithProblems(20_000), { fileName: 'k.rules' });
  const script = new FirewallDocument(scriptWithProblems(4000), { fileName: 'router.sh' });
  for (const doc of [dump, script]) chainFacts(doc.ruleSet);
  const yields = Object.fromEntries(prepared.map((r) => [r.code, runCounted(r.prepare!(dump.ruleSet)).yields]));
  // 4,500 DNATs of 1,800 services (256 a step), their 5,400 chains and the hook-bound rules
  for (const code of ['dnat-without-forward-accept', 'dnat-any-destination', 'chain-loop', 'target-not-allowed-here']) assert.ok(yields[code] >= 5, `${code}: ${yields[code]} yields`);
  assert.ok(runCounted(prepared.find((r) => r.code === 'dnat-without-forward-accept')!.prepare!(script.ruleSet)).yields >= 5);
  // worked out once: a second prepare finds it kept
  for (const r of prepared) assert.equal(runCounted(r.prepare!(dump.ruleSet)).yields, 0, r.code);
});

test('a value prepared while an edit carried the facts to another rule set is not kept', () => {
  const doc = new FirewallDocument(kubeProxyDump(300).text, { fileName: 'k.rules' });
  const facts = chainFacts(doc.ruleSet);
  let made = 0;
  const steps = prepareKept(facts, 'test', function* () {
    made++;
    yield;
    return 'prepared';
  });
  steps.next();
  // as carryChainFacts records an edit
  (facts.carried as unknown[]).push({});
  drain(steps);
  assert.equal(
    keptWithFacts(facts, 'test', () => 'made at once', () => false),
    'made at once',
  );
  assert.equal(made, 1);
});
