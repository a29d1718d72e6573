import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../facade.ts';
import type { RuleSet } from '../model/types.ts';
import { EPHEMERAL_PORT } from '../knowledge/values/ports.ts';
import { evaluateChain, type Outcome } from '../simulate/evaluate.ts';
import type { Packet } from '../simulate/packet.ts';
import { leavesWaysThrough, waysThrough } from './waysThrough.ts';

/** The packets ssh-lockout-risk follows: a new and an established connection to port 22 through INPUT, the server's replies through OUTPUT. */
function evaluations(rs: RuleSet): Outcome[][] {
  const to22 = (state: 'NEW' | 'ESTABLISHED'): Packet => ({ family: 'ipv4', proto: 'tcp', dport: 22, state, origin: 'remote', local: [] });
  const reply: Packet = { family: 'ipv4', proto: 'tcp', sport: 22, dport: EPHEMERAL_PORT, state: 'ESTABLISHED', origin: 'local', offLoopback: true, local: [] };
  return [evaluateChain(rs, 'filter', 'INPUT', to22('NEW')), evaluateChain(rs, 'filter', 'INPUT', to22('ESTABLISHED')), evaluateChain(rs, 'filter', 'OUTPUT', reply)];
}

/**
 * What a check reads of the evaluations: each way's verdict and the rule (by its line) or
 * policy that decided it; of one that left ways unfollowed (UNKNOWN), that it is undecided.
 */
function decisions(runs: Outcome[][], text: string): string[] {
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  return runs.map((outcomes) => outcomes.some((o) => o.verdict === 'UNKNOWN') ? 'undecided' : outcomes.map((o) => {
    const last = [...o.path].reverse().find((s) => s.rule || s.policy);
    return `${o.verdict}@${last?.rule ? lineOf(last.rule.span.start) : (last?.policy ?? '-')}`;
  }).sort().join(' '));
}

function generator(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

function randomRule(rnd: () => number): string {
  const parts: string[] = [];
  if (rnd() < 0.6) parts.push(pick(rnd, ['-p tcp', '-p udp', '-p tcp --dport 22', '-p tcp --dport 80', '-p tcp --sport 22', '-p tcp --dport 1000:2000']));
  if (rnd() < 0.2) parts.push(pick(rnd, ['-s 10.0.0.1', '-i eth0', '-o lo', '! -i lo']));
  if (rnd() < 0.3) parts.push(pick(rnd, ['-m conntrack --ctstate NEW', '-m conntrack --ctstate ESTABLISHED,RELATED', '-m state --state ESTABLISHED']));
  if (rnd() < 0.1) parts.push('-m limit --limit 5/min');
  parts.push(pick(rnd, ['-j ACCEPT', '-j DROP', '-j REJECT', '-j RETURN', '-j LOG', '-j u1', '-j u2', '-g u1', '']));
  return parts.join(' ');
}

function randomCommand(rnd: () => number): string {
  const r = rnd();
  if (r < 0.05) return `iptables -P ${pick(rnd, ['INPUT', 'OUTPUT'])} ${pick(rnd, ['DROP', 'ACCEPT'])}`;
  const chain = pick(rnd, ['INPUT', 'INPUT', 'OUTPUT', 'FORWARD', 'u1', 'u2']);
  const how = pick(rnd, ['-A', '-A', '-A', '-I', '-I CHAIN 2', '-D']);
  return `iptables ${how === '-I CHAIN 2' ? `-I ${chain} 2` : `${how} ${chain}`} ${randomRule(rnd)}`.trimEnd();
}

/**
 * Where leavesWaysThrough says a rule added leaves the ways through as they were, the
 * evaluations with the rule decide as those without it did: the same verdicts, by the same
 * rules or policies. Random scripts of INPUT, OUTPUT and two user chains (jumps, gotos, RETURN,
 * LOG, conditions the packets may or may not meet), a rule appended, inserted or deleted at the end;
 * the user chains made at random points, so that jumps to a chain not yet made are passed over.
 */
test('a rule added or deleted that leavesWaysThrough lets through changes none of the decisions of the ways through (random scripts)', () => {
  let claimed = 0;
  let cases = 0;
  let undecided = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const rnd = generator(seed);
    const lines = ['#!/bin/sh'];
    // a blocklist written out: more rules that may match the SSH client than an evaluation follows ways
    if (rnd() < 0.3) for (let i = 0; i < 70; i++) lines.push(`iptables -A ${rnd() < 0.8 ? 'INPUT' : 'OUTPUT'} -s 192.0.2.${i} -j ${rnd() < 0.5 ? 'DROP' : 'REJECT'}`);
    const made = new Set<string>();
    const n = Math.floor(rnd() * 14);
    for (let i = 0; i < n; i++) {
      for (const u of ['u1', 'u2']) {
        if (!made.has(u) && rnd() < 0.15) {
          made.add(u);
          lines.push(`iptables -N ${u}`);
        }
      }
      lines.push(randomCommand(rnd));
    }
    const before = `${lines.join('\n')}\n`;
    // the rule added, or one of those added deleted again
    const written = lines.filter((l) => / -[AI] /.test(l));
    const last = written.length && rnd() < 0.3 ? pick(rnd, written).replace(/ -[AI] (\S+)( 2)?/, ' -D $1') : randomCommand(rnd);
    const after = `${before}${last}\n`;
    const doc = new FirewallDocument(before, { dialect: 'script' });
    const ways = waysThrough(evaluations(doc.ruleSet));
    if (!ways) continue;
    const added = new FirewallDocument(after, { dialect: 'script' }).ruleSet;
    const step = added.commands[added.commands.length - 1];
    if (!step.rule || step.refused) continue;
    cases++;
    if (!leavesWaysThrough(ways, step, added)) continue;
    claimed++;
    const was = decisions(evaluations(doc.ruleSet), before);
    if (was.includes('undecided')) undecided++;
    assert.deepEqual(decisions(evaluations(added), after), was, `seed ${seed}:\n${after}`);
  }
  // the property is not vacuous: many additions are judged, both ways, evaluations that left ways unfollowed among them
  assert.ok(claimed > 300 && claimed < cases - 300 && undecided > 10, `${claimed} of ${cases} judged unchanged, ${undecided} with ways left unfollowed`);
});

test('leavesWaysThrough: an accept of another port added or deleted, a LOG, a jump to a chain that decides nothing change nothing; a catch-all or a jump to one that decides does', () => {
  const judge = (before: string, added: string) => {
    const doc = new FirewallDocument(before, { dialect: 'script' });
    const ways = waysThrough(evaluations(doc.ruleSet))!;
    const rs = new FirewallDocument(before + added, { dialect: 'script' }).ruleSet;
    return leavesWaysThrough(ways, rs.commands[rs.commands.length - 1], rs);
  };
  const base = 'iptables -A INPUT -p tcp --dport 80 -j ACCEPT\niptables -N web\niptables -A web -p tcp --dport 443 -j ACCEPT\n';
  assert.equal(judge(base, 'iptables -A INPUT -p tcp --dport 8080 -j ACCEPT\n'), true);
  assert.equal(judge(base, 'iptables -I INPUT -p udp -j DROP\n'), true);
  assert.equal(judge(base, 'iptables -A INPUT -j LOG\n'), true);
  assert.equal(judge(base, 'iptables -A INPUT -j web\n'), true);
  assert.equal(judge(base, 'iptables -A INPUT -j DROP\n'), false);
  assert.equal(judge(base, 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n'), false);
  assert.equal(judge(base, 'iptables -D INPUT -p tcp --dport 80 -j ACCEPT\n'), true);
  assert.equal(judge(`${base}iptables -A INPUT -p tcp --dport 22 -j DROP\n`, 'iptables -D INPUT -p tcp --dport 22 -j DROP\n'), false);
  assert.equal(judge(base, 'iptables -D INPUT 1\n'), false);
  assert.equal(judge(`${base}iptables -A web -j DROP\n`, 'iptables -A INPUT -j web\n'), false);
  // a chain nothing the packets reach jumps to; then one INPUT jumps to
  assert.equal(judge(`${base}iptables -N ssh\n`, 'iptables -A ssh -j DROP\n'), true);
  assert.equal(judge(`${base}iptables -N ssh\niptables -A INPUT -j ssh\n`, 'iptables -A ssh -j DROP\n'), false);
});
