import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashlimitRefusedAt, limitRefusedAt } from '../../../server/src/core/knowledge/values/credits.ts';
import { hashlimitRate, storedRate } from '../../../server/src/core/knowledge/values/rates.ts';

/**
 * What iptables 1.8.9 did on Linux 6.18 (built with HZ=250), in a network namespace: each rate
 * with each of these bursts, added with `-m limit` by iptables-legacy and with `-m hashlimit` by
 * both backends (which agreed): the bursts refused with "Numerical result out of range".
 */
const BURSTS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 50, 100, 119, 120, 500, 1000, 10000];
const REFUSED: [rate: string, limit: number[], hashlimit: number[]][] = [
  ['1/day', [2, 4, 5, 7, 10, 50, 100, 119, 120, 1000, 10000], [2, 4, 5, 7, 8, 10, 50, 100, 119, 120, 10000]],
  ['2/day', [4, 7, 10, 50, 100, 119, 120], [4, 7, 10, 50, 100, 119]],
  ['3/day', [5, 10, 50, 119, 120, 1000], [5, 10]],
  ['5/day', [8, 50, 100, 10000], [8]],
  ['7/day', [], [120]],
  ['10/day', [50, 100], []],
  ['100/day', [], []],
  ['1/hour', [120], []],
  ['2/hour', [], []],
  ['3/hour', [10000], []],
  ['7/hour', [], []],
  ['1/minute', [], []],
  ['1/second', [], []],
];

test('the credits the kernel counts: limit and hashlimit refused exactly where Linux 6.18 (HZ=250) refused them', () => {
  for (const [rate, limit, hashlimit] of REFUSED) {
    for (const burst of BURSTS) {
      assert.equal(limitRefusedAt(storedRate(rate)!, burst).includes(250), limit.includes(burst), `-m limit --limit ${rate} --limit-burst ${burst}`);
      assert.equal(hashlimitRefusedAt(hashlimitRate(rate)!.amount, burst).includes(250), hashlimit.includes(burst), `-m hashlimit --hashlimit-upto ${rate} --hashlimit-burst ${burst}`);
    }
  }
});

test('kernels built with HZ=1000 count as those with 250; 100 and 300 otherwise', () => {
  const day = hashlimitRate('1/day')!.amount;
  assert.deepEqual(hashlimitRefusedAt(day, 5), [250, 1000]);
  assert.deepEqual(hashlimitRefusedAt(day, 3), [300]);
  assert.deepEqual(hashlimitRefusedAt(day, 1), []);
  assert.deepEqual(limitRefusedAt(storedRate('1/day')!, 5), [100, 250, 300, 1000]);
  // a rule as most write it: nothing near the counters' size
  assert.deepEqual(limitRefusedAt(storedRate('5/second')!, 10000), []);
  assert.deepEqual(hashlimitRefusedAt(hashlimitRate('100/second')!.amount, 1000000), []);
});
