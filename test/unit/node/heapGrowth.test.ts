import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { heapGrowthFlag, HEAP_GROWING_PERCENT } from '../../../server/src/bin/heapGrowth.ts';
import { dist, needBuild, repoRoot } from '../../support/paths.ts';

test('the server limits how far its heap grows past the live heap, unless started with its own limit', () => {
  assert.equal(heapGrowthFlag([]), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.equal(heapGrowthFlag(['--inspect=6019']), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.equal(heapGrowthFlag(['--heap-growing-percent=300']), undefined);
  assert.equal(heapGrowthFlag(['--heap_growing_percent=300']), undefined);
});

test('the language server sets the limit once the client is initialized, before the core is loaded', { skip: needBuild() }, () => {
  const server = readFileSync(dist('language-server-main.cjs'), 'utf8');
  const flag = server.indexOf('--heap-growing-percent=');
  assert.ok(flag > 0, 'the flag is in the server');
  // the entry no longer sets it: its start waits for nothing but the compile cache
  assert.ok(!readFileSync(dist('iptables-language-server.cjs'), 'utf8').includes('--heap-growing-percent='));
});

// A live heap of a few hundred MB and garbage made on top of it, as keystrokes make on a big
// dump: the largest old generation V8 reserved, with and without the limit, in fresh processes.
// The program runs in a function, as a module's code does: run as the top level of `node -e`,
// it measured 3.9–4.4 with the limit and 4.4–4.8 without on one machine, where in a function
// (or a file) it measures 2.2–2.5 and 4.0.
const program = String.raw`(function () {
const { getHeapSpaceStatistics, setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
if (process.argv[1] === 'on') require(process.argv[2]).limitHeapGrowth();
const live = [];
for (let i = 0; i < 1_000_000; i++) live.push({ a: i, b: String(i), c: [i] });
gc();
const liveBytes = process.memoryUsage().heapUsed;
let max = 0;
let sink;
for (let r = 0; r < 30; r++) {
  const g = [];
  for (let i = 0; i < 200_000; i++) g.push({ a: i, b: [i, i], c: { d: i } });
  sink = g;
  max = Math.max(max, getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size);
}
process.stdout.write(JSON.stringify({ ratio: max / liveBytes, kept: live.length + sink.length }));
})();
`;

test('with the limit, garbage made on top of a big live heap is collected sooner', () => {
  const run = (mode: string) => {
    const r = spawnSync(process.execPath, ['-e', program, mode, `${repoRoot}/server/src/bin/heapGrowth.ts`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { ratio: number }).ratio;
  };
  const on = run('on');
  const off = run('off');
  // the old generation V8 reserves, against the heap live after a full collection
  console.log(`largest old generation / live heap: ${off.toFixed(2)} as V8 chooses, ${on.toFixed(2)} with the limit`);
  assert.ok(on < 3.5, `with the limit: ${on.toFixed(2)}`);
  assert.ok(off / on > 1.25, `with the limit ${on.toFixed(2)}, without ${off.toFixed(2)}`);
});
