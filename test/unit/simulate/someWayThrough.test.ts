import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { evaluateChain, someWayThrough } from '../../../server/src/core/simulate/evaluate.ts';
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

/**
 * someWayThrough stops at the first way it is asked for: it must answer as every way through
 * would. Random filter tables of INPUT and OUTPUT (policies, jumps and gotos into three user
 * chains that may jump on, RETURN, LOG, conditions the packets may or may not meet, more
 * rules than the evaluation follows ways at times), packets known and unknown, three questions.
 */
test('someWayThrough answers as evaluateChain\'s ways do (random tables)', () => {
  let yes = 0;
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
    const rs = new FirewallDocument(lines.join('\n'), { dialect: 'save' }).ruleSet;
    for (const chain of ['INPUT', 'OUTPUT']) {
      for (const packet of PACKETS) {
        for (const [what, wanted] of WANTED) {
          const expected = evaluateChain(rs, 'filter', chain, packet).some((o) => wanted(o.verdict));
          assert.equal(someWayThrough(rs, 'filter', chain, packet, wanted), expected, `seed ${seed}, ${chain}, ${JSON.stringify(packet)}, ${what}`);
          cases++;
          if (expected) yes++;
        }
      }
    }
  }
  // both answers must be common, or the comparison proves little
  assert.ok(yes > cases / 5 && yes < (cases * 4) / 5, `${yes} of ${cases} answered yes`);
});
