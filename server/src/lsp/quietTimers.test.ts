import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { QuietTimers } from './quietTimers.ts';

test('a task runs once its document has been quiet for the delay, not after each call', async () => {
  const timers = new QuietTimers(60);
  const ran: string[] = [];
  // keystrokes 15 ms apart: the wait starts again with each
  for (let i = 0; i < 8; i++) {
    timers.later('a', () => ran.push(`a${i}`));
    await sleep(15);
  }
  assert.deepEqual(ran, []);
  await sleep(120);
  assert.deepEqual(ran, ['a7']);
});

test('documents wait on their own, and a closed one drops its task', async () => {
  const timers = new QuietTimers(40);
  const ran: string[] = [];
  timers.later('a', () => ran.push('a'));
  timers.later('b', () => ran.push('b'));
  timers.cancel('b');
  await sleep(100);
  assert.deepEqual(ran, ['a']);
});
