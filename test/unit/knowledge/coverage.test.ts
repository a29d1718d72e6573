import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { genericOptions, getMatch, getTarget } from '../../../server/src/core/knowledge/index.ts';
import { explainTerm } from '../../../server/src/core/services/explain.ts';
import { requirement } from '../../support/paths.ts';

/**
 * The knowledge base against the man pages installed with the iptables package: every
 * match and target of iptables-extensions(8), with its options, is known and documented.
 */
function manPage(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `MANWIDTH=100 man ${name} 2>/dev/null | col -b`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.length > 1000 ? r.stdout : undefined;
}

const extensions = manPage('iptables-extensions');
const skip = requirement(!!extensions, 'the iptables-extensions(8) man page is not installed (apt-get install iptables man-db)');

/** Section name → option names listed in it (`[!] --opt,--alias value`). */
function sections(page: string): Map<string, { kind: 'match' | 'target'; options: Set<string> }> {
  const out = new Map<string, { kind: 'match' | 'target'; options: Set<string> }>();
  let kind: 'match' | 'target' = 'match';
  let current: { kind: 'match' | 'target'; options: Set<string> } | undefined;
  for (const line of page.split('\n')) {
    if (/^TARGET EXTENSIONS/.test(line)) kind = 'target';
    const h = /^ {3}([A-Za-z0-9_]+)(?: \(IPv[46]-specific\))?$/.exec(line);
    if (h) {
      current = out.get(h[1]) ?? { kind, options: new Set() };
      out.set(h[1], current);
      continue;
    }
    const o = /^ {7}(?:\[!\] )?(--[a-z0-9][\w-]*(?:,--?[a-z0-9][\w-]*)*)/.exec(line);
    if (o && current) for (const name of o[1].split(',')) current.options.add(name);
  }
  return out;
}

test('every match and target of iptables-extensions(8) is known, with hover docs', { skip }, () => {
  const found = sections(extensions!);
  assert.ok(found.size > 90, `${found.size} sections`);
  const missing: string[] = [];
  for (const [name, s] of found) {
    const spec = s.kind === 'match' ? getMatch(name) : getTarget(name);
    if (!spec) missing.push(`${s.kind} ${name}`);
    else if (!explainTerm(name)) missing.push(`${s.kind} ${name}: no docs`);
  }
  assert.deepEqual(missing, []);
});

test('every option listed in iptables-extensions(8) is known to its extension', { skip }, () => {
  const missing: string[] = [];
  for (const [name, s] of sections(extensions!)) {
    const spec = s.kind === 'match' ? getMatch(name) : getTarget(name);
    if (!spec) continue;
    const known = new Set(spec.options.flatMap((o) => [o.name, ...(o.aliases ?? [])]));
    for (const o of s.options) if (!known.has(o)) missing.push(`${name} ${o}`);
  }
  assert.deepEqual(missing, []);
});

test('every option of iptables(8) is known', { skip: requirement(!!manPage('iptables'), 'the iptables(8) man page is not installed') }, () => {
  const page = manPage('iptables')!;
  const names = new Set(genericOptions.flatMap((o) => [o.name, ...(o.aliases ?? [])]));
  const missing: string[] = [];
  for (const m of page.matchAll(/^ {7}(?:\[!\] )?(-[A-Za-z46], )?(--[a-z][\w-]*)/gm)) {
    if (!names.has(m[2])) missing.push(m[2]);
  }
  assert.deepEqual(missing, []);
});
