import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
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

test('a message that arrives while a job runs is handled before the next job starts', async () => {
  // the client's edit reaches the server while the first job runs: it is read when the job
  // returns (the poll phase of the event loop), and the connection hands it to its handler
  // one turn later, as vscode-jsonrpc does; the handler uses the store
  let lastUse = performance.now();
  const background = new Background(() => lastUse);
  const order: string[] = [];
  const { port1, port2 } = new MessageChannel();
  port2.on('message', () =>
    setImmediate(() => {
      lastUse = performance.now();
      order.push('edit');
    }),
  );
  const jobs = Promise.all([
    background.run(undefined, () => {
      order.push('tokens');
      port1.postMessage('didChange');
      const until = performance.now() + 30;
      while (performance.now() < until);
    }),
    background.run(undefined, () => order.push('outline')),
  ]);
  await jobs;
  port2.close();
  assert.deepEqual(order, ['tokens', 'edit', 'outline']);
});

test('a job in steps lets a message in between two slices; it goes on after a request, and starts over after an edit', async () => {
  let lastUse = performance.now();
  let version = 1;
  const background = new Background(() => lastUse);
  const order: string[] = [];
  const { port1, port2 } = new MessageChannel();
  // as the connection does: a message read in the poll phase, handled one turn later
  port2.on('message', (kind: string) =>
    setImmediate(() => {
      lastUse = performance.now();
      if (kind === 'edit') version++;
      order.push(kind);
    }),
  );
  let starts = 0;
  const done = background.runSteps(
    undefined,
    function* () {
      const mine = ++starts;
      const on = version;
      for (let i = 0; i < 12; i++) {
        // the first run is paused by a hover and goes on, then paused by an edit: it starts over, and the second run goes through
        if (i === 3 && mine === 1 && !order.length) port1.postMessage('hover');
        if (i === 6 && mine === 1 && order.length === 1) port1.postMessage('edit');
        const until = performance.now() + 3;
        while (performance.now() < until);
        yield;
      }
      order.push(`done on version ${on}`);
      return on;
    },
    () => version,
  );
  assert.equal(await done, 2, 'the answer is worked out on the edited version');
  port2.close();
  assert.deepEqual(order, ['hover', 'edit', 'done on version 2']);
  assert.equal(starts, 2, 'the hover paused the job without starting it over; the edit started it over');
});

test('the queue says it is working from the first job asked to the last answered, and reports idle once, after the last', async () => {
  const idle: string[] = [];
  const ran: string[] = [];
  const background = new Background(() => 0, () => false, () => idle.push(`idle after ${ran.join(',')}`));
  assert.equal(background.working, false);
  const first = background.run(undefined, () => ran.push('tokens'));
  const second = background.run(undefined, () => ran.push('outline'));
  assert.equal(background.working, true, 'working as soon as a job is queued');
  await first;
  assert.deepEqual(idle, [], 'not idle between two queued jobs');
  await second;
  assert.deepEqual(idle, ['idle after tokens,outline']);
  assert.equal(background.working, false);
  // a failing or cancelled last job ends the work too
  const source = new CancellationTokenSource();
  const cancelled = background.run(source.token, () => ran.push('lenses'));
  source.cancel();
  await assert.rejects(cancelled);
  assert.deepEqual(idle, ['idle after tokens,outline', 'idle after tokens,outline']);
  assert.equal(background.working, false);
});
