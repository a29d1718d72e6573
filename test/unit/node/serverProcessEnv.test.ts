import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverProcessEnv } from '../../../server/src/node/serverProcessEnv.ts';

test("the server's environment fixes glibc's mmap threshold at its default, and keeps a value the user set", () => {
  assert.deepEqual(serverProcessEnv({}), { MALLOC_MMAP_THRESHOLD_: '131072' });
  assert.deepEqual(serverProcessEnv({ MALLOC_MMAP_THRESHOLD_: '65536', PATH: '/bin' }), { MALLOC_MMAP_THRESHOLD_: '65536' });
});
