import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { requireWithCodeCache } from '../../../client/src/codeCache.ts';

// A bundle as esbuild writes it: a `#!` line, CommonJS, a require of Node and one of a file beside it
const bundle = (n: number) => `#!/usr/bin/env node
"use strict";
const path = require('node:path');
const sibling = require('./sibling.cjs');
function work(x) { return x * ${n} + sibling.base; }
module.exports = { answer: work(2), base: path.basename(__filename), dir: __dirname, self: this === module.exports };
`;

/** Runs `body` on a bundle and its sibling in a fresh folder, removed afterwards. */
async function inFixture(body: (f: { dir: string; file: string; cache: string }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-code-cache-'));
  try {
    writeFileSync(join(dir, 'sibling.cjs'), 'module.exports = { base: 1 };\n');
    const file = join(dir, 'main.cjs');
    writeFileSync(file, bundle(20));
    // the editor's storage folder need not exist; its parent does
    await body({ dir, file, cache: join(dir, 'storage') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cacheFiles = (cache: string) => readdirSync(cache).filter((f) => f.endsWith('.v8cache'));

test('a bundle loads as require would, and its compiled code is used on the next start', () =>
  inFixture(async (f) => {
    const first = requireWithCodeCache(f.file, f.cache);
    assert.deepEqual(first.exports, { answer: 41, base: 'main.cjs', dir: f.dir, self: true });
    assert.equal(first.fromCache, false);
    await first.save();
    assert.equal(cacheFiles(f.cache).length, 1);

    const second = requireWithCodeCache(f.file, f.cache);
    assert.equal(second.fromCache, true);
    assert.deepEqual(second.exports, first.exports);
    // code V8 accepted is not written again
    const before = readFileSync(join(f.cache, cacheFiles(f.cache)[0]));
    await second.save();
    assert.deepEqual(readFileSync(join(f.cache, cacheFiles(f.cache)[0])), before);
  }));

test('a changed bundle is compiled afresh and its cache replaces the old one', () =>
  inFixture(async (f) => {
    await requireWithCodeCache(f.file, f.cache).save();
    const [old] = cacheFiles(f.cache);
    writeFileSync(f.file, bundle(300));
    const changed = requireWithCodeCache(f.file, f.cache);
    assert.equal(changed.fromCache, false);
    assert.equal((changed.exports as { answer: number }).answer, 601);
    await changed.save();
    const now = cacheFiles(f.cache);
    assert.equal(now.length, 1);
    assert.notEqual(now[0], old);
    // same size, another time (an update that kept the length): not the old code either
    writeFileSync(f.file, bundle(301));
    utimesSync(f.file, new Date(), new Date(Date.now() + 5000));
    assert.equal(requireWithCodeCache(f.file, f.cache).fromCache, false);
  }));

test('a torn or altered cache file is not given to V8; no storage folder means no cache', () =>
  inFixture(async (f) => {
    await requireWithCodeCache(f.file, f.cache).save();
    const path = join(f.cache, cacheFiles(f.cache)[0]);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    const torn = requireWithCodeCache(f.file, f.cache);
    assert.equal(torn.fromCache, false);
    assert.equal((torn.exports as { answer: number }).answer, 41);
    await torn.save();
    assert.equal(requireWithCodeCache(f.file, f.cache).fromCache, true, 'the torn file was rewritten');

    const flipped = readFileSync(path);
    flipped[flipped.length - 1] ^= 0xff;
    writeFileSync(path, flipped);
    assert.equal(requireWithCodeCache(f.file, f.cache).fromCache, false);

    const none = requireWithCodeCache(f.file, undefined);
    assert.equal((none.exports as { answer: number }).answer, 41);
    await none.save();
    // a storage folder whose parent is missing: saving gives up quietly
    const orphan = requireWithCodeCache(f.file, join(f.dir, 'missing', 'storage'));
    await orphan.save();
    assert.deepEqual(readdirSync(f.dir).sort(), ['main.cjs', 'sibling.cjs', 'storage']);
  }));
