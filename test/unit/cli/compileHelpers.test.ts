import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compileScript } from '../../../server/src/core/compile/toRestore.ts';
import { NamespaceIptables } from '../../oracle/realIptables.ts';
import { helperScript } from '../../support/helperScripts.ts';
import { requirement } from '../../support/paths.ts';

/**
 * Scripts of helper functions written at random (helpers calling helpers with their
 * arguments, `local` copies, `shift`, loops over `"$@"`), compiled, and run by the real sh
 * (dash) in a network namespace: where the compile gives restore text, that text loaded in
 * another namespace gives the same `iptables -S`. Seeded: a failure names the seed.
 */
const skip = requirement(!NamespaceIptables.available(), NamespaceIptables.available() ?? '');
const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-helpers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('random scripts of helpers calling helpers: the compiled text and the script run by sh make the same tables', { skip, timeout: 300_000 }, async () => {
  let compared = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const text = helperScript(seed).text;
    const result = compileScript(text);
    if (result.refusal) continue;
    const v4 = result.outputs.find((o) => o.family === 'ipv4')?.text;
    if (!v4) continue;
    const file = join(dir, `helpers-${seed}.sh`);
    writeFileSync(file, text);
    const ran = new NamespaceIptables();
    const loaded = new NamespaceIptables();
    ran.create();
    loaded.create();
    try {
      const run = spawnSync('ip', ['netns', 'exec', ran.name, 'sh', file], { encoding: 'utf8' });
      assert.equal(run.status, 0, `seed ${seed}: ${run.stderr}\n${text}`);
      const load = await loaded.load(v4, 'ipv4');
      assert.ok(load.ok, `seed ${seed}: ${load.message}\n${v4}`);
      const rules = (ns: NamespaceIptables) => spawnSync('ip', ['netns', 'exec', ns.name, 'iptables', '-S'], { encoding: 'utf8' }).stdout;
      assert.equal(rules(loaded), rules(ran), `seed ${seed}:\n${text}`);
      compared++;
    } finally {
      ran.destroy();
      loaded.destroy();
    }
  }
  // all of them are compiled: the model runs such helpers at their calls
  assert.equal(compared, 60, `${compared} of 60 compiled and compared`);
});
