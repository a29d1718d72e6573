import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compileScript } from '../../../server/src/core/compile/toRestore.ts';
import { NamespaceIptables } from '../../oracle/realIptables.ts';
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

function generator(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

/** A helper: its name, how many arguments it takes ('any' for a list of ports), its lines. */
interface Helper {
  name: string;
  arity: 1 | 2 | 'any';
  lines: string[];
}

/** The words a caller passes a helper of `arity`, from what it has (`own`: its ports as words). */
function argsFor(rnd: () => number, arity: Helper['arity'], own: readonly string[], variadic: boolean): string {
  const port = () => String(2000 + Math.floor(rnd() * 12));
  const one = () => (own.length && rnd() < 0.7 ? pick(rnd, own) : port());
  if (arity === 1) return one();
  if (arity === 2) return `${pick(rnd, ['tcp', 'udp'])} ${one()}`;
  if (variadic && rnd() < 0.6) return '"$@"';
  return Array.from({ length: 1 + Math.floor(rnd() * 3) }, one).join(' ');
}

function randomScript(seed: number): string {
  const rnd = generator(seed);
  const helpers: Helper[] = [];
  // helpers another one calls (the others are called at the top: compile refuses a function that never runs)
  const called = new Set<string>();
  const count = 2 + Math.floor(rnd() * 3);
  for (let h = 0; h < count; h++) {
    const arity = pick(rnd, [1, 2, 'any'] as const);
    const name = `h${h}`;
    const lines: string[] = [];
    // the words that stand for this helper's ports, as its body reads them
    let own: string[];
    let proto = '"$1"';
    if (arity === 1) {
      own = rnd() < 0.5 ? ['"$1"'] : ['"$port"'];
      if (own[0] === '"$port"') lines.push('  local port=$1');
    } else if (arity === 2) {
      if (rnd() < 0.5) {
        lines.push('  local proto=$1', '  shift');
        proto = '"$proto"';
        own = ['"$1"'];
      } else own = ['"$2"'];
    } else own = [];
    const items = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < items; i++) {
      const earlier = helpers.length && rnd() < 0.5 ? pick(rnd, helpers) : undefined;
      if (earlier) {
        lines.push(`  ${earlier.name} ${argsFor(rnd, earlier.arity, own, arity === 'any')}`);
        called.add(earlier.name);
      }
      else if (arity === 'any') lines.push(`  for p in "$@"; do iptables -A INPUT -p ${pick(rnd, ['tcp', 'udp'])} --dport "$p" -j ACCEPT; done`);
      else lines.push(`  iptables -A ${pick(rnd, ['INPUT', 'OUTPUT'])} -p ${arity === 2 ? proto : pick(rnd, ['tcp', 'udp'])} --dport ${pick(rnd, own)} -j ${pick(rnd, ['ACCEPT', 'DROP'])}`);
    }
    helpers.push({ name, arity, lines });
  }
  const out = ['#!/bin/sh'];
  for (const h of helpers) out.push(`${h.name}() {`, ...h.lines, '}');
  const calls = [...helpers.filter((h) => !called.has(h.name)), ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, helpers))];
  for (const h of calls) out.push(`${h.name} ${argsFor(rnd, h.arity, [], false)}`);
  return `${out.join('\n')}\n`;
}

test('random scripts of helpers calling helpers: the compiled text and the script run by sh make the same tables', { skip, timeout: 300_000 }, async () => {
  let compared = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const text = randomScript(seed);
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
