import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { Background } from './background.ts';

test('jobs wait while the documents are in use, then run one at a time in the order they were asked', async () => {
  let lastUse = performance.now();
  const background = new Background(() => lastUse);
  const ran: string[] = [];
  const done = Promise.all(['tokens', 'outline', 'lenses'].map((name) => background.run(undefined, () => (ran.push(name), name))));
  // a handler uses the store every 5 ms for 60 ms: nothing runs meanwhile
  for (let i = 0; i < 12; i++) {
    await sleep(5);
    lastUse = performance.now();
    assert.deepEqual(ran, [], `nothing ran while the store was in use (${i})`);
  }
  assert.deepEqual(await done, ['tokens', 'outline', 'lenses']);
  assert.deepEqual(ran, ['tokens', 'outline', 'lenses']);
});

test('a job whose request was cancelled while it waited is answered RequestCancelled; a failing job rejects and the next still runs', async () => {
  const background = new Background(() => 0);
  const source = new CancellationTokenSource();
  let ran = false;
  const cancelled = background.run(source.token, () => (ran = true));
  const failing = background.run(undefined, () => {
    throw new Error('boom');
  });
  const next = background.run(undefined, () => 42);
  source.cancel();
  await assert.rejects(cancelled, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
  assert.equal(ran, false);
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 42);
});
