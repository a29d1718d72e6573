import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cannotCover, CoverCandidates, type Keys } from '../../../server/src/core/analysis/shadowing.ts';

/** The walk over the rules above rule `j` that may cover it (see CoverCandidates). */
function walk(c: CoverCandidates, k: Keys, j: number): number[] {
  const out: number[] = [];
  for (let i = c.first(k, j); i !== -1; i = c.next()) out.push(i);
  return out;
}

const mayCover = (a: Keys, b: Keys) => !cannotCover(a.dst, b.dst) && !cannotCover(a.src, b.src) && !cannotCover(a.dport, b.dport);

test('the candidates above a rule are in order, below it, and hold every rule whose values do not rule it out', () => {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  // undefined: no test; '': a WIDE test; otherwise one exact value
  const value = (xs: string[]) => (rnd() < 0.25 ? undefined : rnd() < 0.15 ? '' : xs[Math.floor(rnd() * xs.length)]);
  for (let round = 0; round < 200; round++) {
    const keys: Keys[] = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => ({ dst: value(['10.0.0.1', '10.0.0.2', '10.0.0.3']), src: value(['192.168.0.1', '192.168.0.2']), dport: value(['22', '80']) }));
    const c = new CoverCandidates(keys);
    for (let j = 0; j < keys.length; j++) {
      const got = walk(c, keys[j], j);
      assert.deepEqual(got, [...got].sort((x, y) => x - y), 'in order');
      assert.ok(got.every((i) => i < j) && new Set(got).size === got.length, 'below the rule, each once');
      const needed = keys.slice(0, j).flatMap((k, i) => (mayCover(k, keys[j]) ? [i] : []));
      for (const i of needed) assert.ok(got.includes(i), `round ${round}: rule ${i} may cover rule ${j} and is left out`);
    }
  }
});

test('a chain of one rule per host, or per port, hands over no pair of rules that test different values', () => {
  const perHost: Keys[] = Array.from({ length: 1500 }, (_, i) => ({ dst: `192.168.${i >> 8}.${i & 255}`, src: undefined, dport: '22' }));
  const perPort: Keys[] = Array.from({ length: 1500 }, (_, i) => ({ dst: undefined, src: undefined, dport: String(10000 + i) }));
  for (const keys of [perHost, perPort]) {
    const c = new CoverCandidates(keys);
    let pairs = 0;
    for (let j = 0; j < keys.length; j++) pairs += walk(c, keys[j], j).length;
    // asking every pair was 1,124,250 of them
    assert.equal(pairs, 0);
  }
  // a rule without a destination above them all is a candidate for each
  const open: Keys[] = [{ dst: undefined, src: undefined, dport: undefined }, ...perHost];
  const c = new CoverCandidates(open);
  assert.deepEqual(walk(c, open[700], 700), [0]);
  assert.deepEqual(walk(c, { dst: '', src: undefined, dport: '22' }, 5), [0, 1, 2, 3, 4]);
});
