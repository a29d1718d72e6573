import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { certainlyRefused, decidingStep, evaluateChain, type Outcome, refusedEveryWay } from '../../../server/src/core/simulate/evaluate.ts';
import type { Packet } from '../../../server/src/core/simulate/packet.ts';

function generator(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

function randomRule(rnd: () => number, chains: readonly string[]): string {
  const parts: string[] = [];
  if (rnd() < 0.6) parts.push(pick(rnd, ['-p tcp', '-p udp', '-p tcp --dport 22', '-p udp --dport 53', '-p tcp --dport 1000:2000', '-p icmp']));
  if (rnd() < 0.3) parts.push(pick(rnd, ['-s 10.0.0.0/8', '-s 10.1.0.0/16', '-i lo', '! -i lo', '-o lo', '-d 192.0.2.1']));
  if (rnd() < 0.3) parts.push(pick(rnd, ['-m conntrack --ctstate NEW', '-m conntrack --ctstate ESTABLISHED,RELATED', '-m conntrack --ctstate INVALID']));
  if (rnd() < 0.1) parts.push('-m limit --limit 5/min');
  parts.push(pick(rnd, ['-j ACCEPT', '-j DROP', '-j REJECT', '-j RETURN', '-j LOG', '-j MARK --set-mark 1', ...chains.map((c) => `-j ${c}`), ...chains.map((c) => `-g ${c}`)]));
  return parts.join(' ');
}

const PACKETS: Packet[] = [
  { family: 'ipv4', state: 'NEW', origin: 'remote', offLoopback: true, local: [] },
  { family: 'ipv4', state: 'ESTABLISHED', origin: 'local', offLoopback: true, local: [] },
  { family: 'ipv4', proto: 'tcp', dport: 22, state: 'NEW', origin: 'remote', local: [] },
  { family: 'ipv4', in: 'lo', proto: 'udp', dport: 53, state: 'NEW', origin: 'local', local: [] },
];

const WANTED: [string, (verdict: string) => boolean][] = [
  ['not refused', (v) => v !== 'DROP' && v !== 'REJECT'],
  ['accepted', (v) => v === 'ACCEPT'],
  ['dropped', (v) => v === 'DROP'],
];

/** What a check reads of an outcome: its verdict, and the rule (by its line) or policy that decided it. */
function decision(o: Outcome | undefined, text: string): string {
  if (!o) return 'none';
  const step = decidingStep(o);
  return `${o.verdict}@${step?.rule ? text.slice(0, step.rule.span.start).split('\n').length : (step?.policy ?? '-')}`;
}

/**
 * With stopAt the walk ends at the first verdict asked for: the first way it takes must be the
 * one every way's list has first, decided by the same rule or policy. Random filter tables of
 * INPUT and OUTPUT (policies, jumps and gotos into three user chains that may jump on, RETURN,
 * LOG, conditions the packets may or may not meet, more rules than the evaluation follows ways
 * at times), packets known and unknown, three questions.
 */
test('evaluateChain with stopAt finds the way every way\'s list has first, and refusedEveryWay what certainlyRefused of every way finds (random tables)', () => {
  let found = 0;
  let refusedCases = 0;
  let cases = 0;
  for (let seed = 1; seed <= 1500; seed++) {
    const rnd = generator(seed);
    const users = ['u1', 'u2', 'u3'];
    const lines = ['*filter', `:INPUT ${pick(rnd, ['ACCEPT', 'DROP'])} [0:0]`, ':FORWARD ACCEPT [0:0]', `:OUTPUT ${pick(rnd, ['ACCEPT', 'DROP'])} [0:0]`, ...users.map((u) => `:${u} - [0:0]`)];
    for (const [k, chain] of ['INPUT', 'OUTPUT', ...users].entries()) {
      // a user chain jumps only to those after it: no loops
      const callees = k < 2 ? users : users.slice(k - 1);
      const n = Math.floor(rnd() * (rnd() < 0.1 ? 80 : 10));
      for (let i = 0; i < n; i++) lines.push(`-A ${chain} ${randomRule(rnd, callees)}`);
    }
    lines.push('COMMIT', '');
    const text = lines.join('\n');
    const rs = new FirewallDocument(text, { dialect: 'save' }).ruleSet;
    for (const chain of ['INPUT', 'OUTPUT']) {
      for (const packet of PACKETS) {
        for (const [what, wanted] of WANTED) {
          const expected = decision(evaluateChain(rs, 'filter', chain, packet).find((o) => wanted(o.verdict)), text);
          const stopped = evaluateChain(rs, 'filter', chain, packet, wanted);
          assert.equal(decision(stopped.find((o) => wanted(o.verdict)), text), expected, `seed ${seed}, ${chain}, ${JSON.stringify(packet)}, ${what}`);
          cases++;
          if (expected !== 'none') found++;
        }
        const refused = decision(certainlyRefused(evaluateChain(rs, 'filter', chain, packet)), text);
        assert.equal(decision(refusedEveryWay(rs, 'filter', chain, packet), text), refused, `seed ${seed}, ${chain}, ${JSON.stringify(packet)}, refused every way`);
        if (refused !== 'none') refusedCases++;
      }
    }
  }
  // both answers must be common, or the comparison proves little
  assert.ok(found > cases / 5 && found < (cases * 4) / 5, `${found} of ${cases} found a way`);
  assert.ok(refusedCases > cases / 20, `${refusedCases} refused every way`);
});
