import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { SEMI_SPACE_MB, serverExecArgv, serverProcessEnv } from '../../../server/src/node/serverProcessEnv.ts';

test("the server's environment fixes glibc's mmap threshold at its default, and keeps a value the user set", () => {
  assert.deepEqual(serverProcessEnv({}), { MALLOC_MMAP_THRESHOLD_: '131072' });
  assert.deepEqual(serverProcessEnv({ MALLOC_MMAP_THRESHOLD_: '65536', PATH: '/bin' }), { MALLOC_MMAP_THRESHOLD_: '65536' });
});

test('a process started with the server\'s options keeps its young generation small while it builds a big heap', () => {
  // the semi-spaces stay at the limit; without it they grow to two of 16 MB
  const script = "const keep = []; for (let i = 0; i < 2e6; i++) keep.push({ i, s: 'x' + i }); console.log(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size, keep.length)";
  const youngMB = (execArgv: string[]) => {
    const out = spawnSync(process.execPath, [...execArgv, '-e', script], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return Number(out.stdout.split(' ')[0]) / 1048576;
  };
  const limited = youngMB(serverExecArgv());
  const plain = youngMB([]);
  assert.ok(limited <= 2 * SEMI_SPACE_MB, `young generation ${limited} MB with the server's options`);
  assert.ok(plain > 2 * SEMI_SPACE_MB, `young generation ${plain} MB without them`);
});
