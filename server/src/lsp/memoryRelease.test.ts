import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { MemoryRelease, type HeapControl, type Release } from './memoryRelease.ts';
import { v8Heap } from '../node/v8Heap.ts';

const MB = 1024 * 1024;

/** A heap whose use the test sets; a collection brings it down to what is live. */
function heapOf(live: number): HeapControl & { inUse: number; live: number; resident: number; collections: number; thorough: number } {
  return {
    inUse: live,
    live,
    resident: live,
    collections: 0,
    thorough: 0,
    collect(thorough = false) {
      this.collections++;
      this.inUse = this.live;
      // a thorough collection gives back the pages the garbage was in; a regular one keeps them
      if (thorough) {
        this.thorough++;
        this.resident = Math.min(this.resident, this.live);
      }
    },
    used() {
      return this.inUse;
    },
    held() {
      return Math.max(this.resident, this.inUse);
    },
  };
}

const options = { idleMs: 40, thoroughIdleMs: 40, minGrowth: 16 * MB, bigDocument: 2_000_000 };

/** The heap in use rises to `inUse` with some activity, then the documents stay quiet past `idleMs`. */
async function burst(heap: { inUse: number }, release: MemoryRelease, inUse: number): Promise<void> {
  heap.inUse = inUse;
  release.activity();
  await sleep(80);
}

test('a heap grown past what was live is collected once the documents are quiet, not before', async () => {
  const heap = heapOf(30 * MB);
  const released: Release[] = [];
  // a quiet time well above the 10 ms between activities: a loaded machine (the test suite runs
  // files side by side) fires a 10 ms timer late, and once took over 40 ms
  const idle = { ...options, idleMs: 150, thoroughIdleMs: 150 };
  const release = new MemoryRelease(heap, (r) => released.push(r), idle);
  heap.live = 300 * MB;
  heap.inUse = 900 * MB;
  // activity every 10 ms for 300 ms: never quiet for 150 ms
  for (let i = 0; i < 30; i++) {
    release.activity();
    await sleep(10);
  }
  assert.equal(heap.collections, 0);
  await sleep(300);
  assert.equal(heap.collections, 1);
  assert.equal(released[0].before, 900 * MB);
  assert.equal(released[0].after, 300 * MB);
  const quietBurst = async (inUse: number) => {
    heap.inUse = inUse;
    release.activity();
    await sleep(300);
  };
  // the next burst leaves less than a quarter of the new baseline of garbage: not worth a collection
  await quietBurst(370 * MB);
  assert.equal(heap.collections, 1);
  // more than a quarter: collected
  await quietBurst(380 * MB);
  assert.equal(heap.collections, 2);
  release.dispose();
});

test('small heaps are left to V8: growth under the minimum is not collected', async () => {
  const heap = heapOf(20 * MB);
  const release = new MemoryRelease(heap, () => {}, options);
  await burst(heap, release, 30 * MB);
  assert.equal(heap.collections, 0);
  await burst(heap, release, 40 * MB);
  assert.equal(heap.collections, 1);
  release.dispose();
});

test('closing a big document is worth a collection even when the heap has not grown', async () => {
  const heap = heapOf(330 * MB);
  const release = new MemoryRelease(heap, () => {}, options);
  release.closed(1_000);
  await sleep(80);
  assert.equal(heap.collections, 0);
  release.closed(15_000_000);
  await sleep(80);
  assert.equal(heap.collections, 1);
  release.dispose();
});

test('a collection that frees most of the heap (a big document closed) is followed by a thorough one once quiet, once', async () => {
  const heap = heapOf(330 * MB);
  const released: Release[] = [];
  // the thorough collection's longer quiet moment leaves room for timers that fire late
  const release = new MemoryRelease(heap, (r) => released.push(r), { ...options, thoroughIdleMs: 300 });
  // the document's model was most of the heap: 25 MB stays live, 330 MB held
  heap.live = 25 * MB;
  release.closed(15_000_000);
  await sleep(150);
  assert.deepEqual(released.map((r) => r.thorough), [false], 'first the regular collection');
  await sleep(450);
  assert.deepEqual(released.map((r) => r.thorough), [false, true], 'then a thorough one gives the pages back');
  assert.equal(heap.resident, 25 * MB);
  // once only: no more collections while nothing happens
  await sleep(150);
  assert.equal(heap.collections, 2);
  release.dispose();
});

test('no collection while the server is working: the quiet period starts again when the work is done', async () => {
  const heap = heapOf(30 * MB);
  let working = false;
  const release = new MemoryRelease(heap, () => {}, options, () => working);
  heap.live = 300 * MB;
  heap.inUse = 900 * MB;
  // a request comes in and its answer takes 150 ms: the documents are quiet for longer than
  // idleMs, but the server is not
  release.activity();
  working = true;
  await sleep(150);
  assert.equal(heap.collections, 0, 'nothing collected while the answer was worked out');
  // the answer is sent: the end of the work counts as activity
  working = false;
  release.activity();
  await sleep(20);
  assert.equal(heap.collections, 0, 'not right after the work either');
  await sleep(80);
  assert.equal(heap.collections, 1, 'collected once quiet after the work');
  release.dispose();
});

test('a heap that holds much more than was live gets a thorough collection, one that holds little more a regular one', async () => {
  const heap = heapOf(300 * MB);
  const released: Release[] = [];
  const release = new MemoryRelease(heap, (r) => released.push(r), options);
  // 100 MB of garbage in 420 MB held: regular
  heap.resident = 420 * MB;
  await burst(heap, release, 400 * MB);
  // after 30 keystrokes on the 100k dump: 640 MB held for 300 live
  heap.resident = 640 * MB;
  await burst(heap, release, 450 * MB);
  assert.deepEqual(released.map((r) => r.thorough), [false, true]);
  assert.equal(heap.thorough, 1);
  release.dispose();
});

test('memory held that grew while the heap in use did not (V8 collected during the typing) gets a thorough collection', async () => {
  const heap = heapOf(189 * MB);
  heap.resident = 260 * MB;
  const released: Release[] = [];
  const release = new MemoryRelease(heap, (r) => released.push(r), options);
  // held grew by less than a quarter of what is live: left alone
  heap.resident = 290 * MB;
  await burst(heap, release, 200 * MB);
  assert.equal(heap.collections, 0);
  // after 50 keystrokes and refreshes on the 100k dump: 11 MB more in use, 373 MB held
  heap.resident = 373 * MB;
  await burst(heap, release, 200 * MB);
  assert.deepEqual(released.map((r) => r.thorough), [true]);
  // what the collection left held is the new mark: no collection again without new growth
  await burst(heap, release, 200 * MB);
  assert.equal(heap.collections, 1);
  release.dispose();
});

test('a thorough collection waits for a longer quiet moment', async () => {
  const heap = heapOf(300 * MB);
  const release = new MemoryRelease(heap, () => {}, { ...options, thoroughIdleMs: 200 });
  heap.resident = 640 * MB;
  await burst(heap, release, 450 * MB);
  assert.equal(heap.collections, 0, 'not after the short quiet moment');
  await sleep(200);
  assert.equal(heap.thorough, 1);
  release.dispose();
});

test('nothing happens without activity, and dispose cancels a pending collection', async () => {
  const heap = heapOf(30 * MB);
  const release = new MemoryRelease(heap, () => {}, options);
  heap.inUse = 900 * MB;
  await sleep(80);
  assert.equal(heap.collections, 0);
  release.activity();
  release.dispose();
  await sleep(80);
  assert.equal(heap.collections, 0);
});

test("the process's own heap: a thorough collection gives back the pages garbage left mostly empty", () => {
  const heap = v8Heap();
  // a tenth of two million small objects stays alive, spread over all the pages they filled
  const kept: object[] = [];
  for (let i = 0; i < 2_000_000; i++) {
    const o = { a: i, b: [i] };
    if (i % 10 === 0) kept.push(o);
  }
  heap.collect();
  const regular = heap.held();
  heap.collect(true);
  const thorough = heap.held();
  assert.equal(kept.length, 200_000);
  assert.ok(thorough < regular - 16 * MB, `${regular / MB} MB resident after a regular collection, ${thorough / MB} after a thorough one, ${heap.used() / MB} in use`);
});

test("the process's own heap: a collection frees garbage this test made", () => {
  const heap = v8Heap();
  heap.collect();
  const base = heap.used();
  let garbage: number[][] | undefined = Array.from({ length: 10 }, (_, i) => new Array<number>(1_000_000).fill(i + 0.5));
  assert.ok(heap.used() > base + 40 * MB, 'the arrays count as used');
  garbage = undefined;
  heap.collect();
  assert.equal(garbage, undefined);
  assert.ok(heap.used() < base + 10 * MB, `${heap.used() / MB} MB in use after collecting, ${base / MB} before the garbage`);
});
