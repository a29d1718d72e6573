import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { genericOptions, getMatch, getTarget } from '../../../server/src/core/knowledge/index.ts';
import type { ExtensionSpec, Family } from '../../../server/src/core/knowledge/types.ts';
import { requirement } from '../../support/paths.ts';

/**
 * The knowledge base against the man pages installed with iptables: every match and target
 * section of iptables-extensions(8), every option listed under it, and every option of
 * iptables(8) must be known. Without the pages the tests skip loudly (and fail under CI=true).
 */
function manPage(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `MANWIDTH=100 man ${name} 2>/dev/null | col -b`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.length > 1000 ? r.stdout : undefined;
}

const extensionsPage = manPage('iptables-extensions');
const iptablesPage = manPage('iptables');
const skipExtensions = requirement(!!extensionsPage, 'the iptables-extensions(8) man page is not available (apt-get install iptables man-db, and do not exclude /usr/share/man)');
const skipIptables = requirement(!!iptablesPage, 'the iptables(8) man page is not available (apt-get install iptables man-db)');

/**
 * Words the page prints like options that iptables does not accept. Keep this short and
 * say why for each.
 */
const NOT_OPTIONS: Record<string, string> = {
  // the SYNPROXY section heads its option "--timestamps"; iptables 1.8.9 only knows
  // --timestamp (libxt_SYNPROXY), and `-j SYNPROXY --timestamps` fails with "unknown option"
  'SYNPROXY --timestamps': 'misspelt in the man page',
};

interface Section {
  kind: 'match' | 'target';
  name: string;
  family?: Family;
  options: Set<string>;
}

/** Sections (a name may have an IPv4 and an IPv6 section) with the options listed in each. */
function sections(page: string): Section[] {
  const out: Section[] = [];
  let kind: 'match' | 'target' | undefined;
  let current: Section | undefined;
  for (const line of page.split('\n')) {
    if (/^MATCH EXTENSIONS/.test(line)) kind = 'match';
    if (/^TARGET EXTENSIONS/.test(line)) kind = 'target';
    if (!kind) continue;
    const h = /^ {3}([A-Za-z0-9_]+)(?: \(IPv([46])-specific\))?\s*$/.exec(line);
    if (h) {
      current = { kind, name: h[1], family: h[2] === '4' ? 'ipv4' : h[2] === '6' ? 'ipv6' : undefined, options: new Set() };
      out.push(current);
      continue;
    }
    const o = /^ {7}(?:\[!\] |! )?(--[a-z0-9][\w-]*(?:,--[a-z0-9][\w-]*)*)/.exec(line);
    if (o && current) for (const name of o[1].split(',')) current.options.add(name);
  }
  return out;
}

const specOf = (s: Section): ExtensionSpec | undefined => (s.kind === 'match' ? getMatch(s.name) : getTarget(s.name));

test('every match and target section of iptables-extensions(8) is known, for its family', { skip: skipExtensions }, () => {
  const found = sections(extensionsPage!);
  assert.ok(found.length > 95, `only ${found.length} sections parsed: has the page layout changed?`);
  assert.ok(found.some((s) => s.name === 'conntrack') && found.some((s) => s.name === 'DNAT'), 'the parser missed well-known sections');
  const problems: string[] = [];
  for (const s of found) {
    const spec = specOf(s);
    if (!spec) {
      problems.push(`${s.kind} ${s.name}: unknown`);
      continue;
    }
    if (spec.kind !== s.kind) problems.push(`${s.name}: listed as a ${s.kind}, known as a ${spec.kind}`);
    if (s.family && !spec.families.includes(s.family)) problems.push(`${s.name}: the page has an ${s.family} section, we say ${spec.families.join('/')}`);
    if (!spec.summary || !spec.doc || !spec.example) problems.push(`${s.name}: summary, doc or example missing`);
  }
  assert.deepEqual(problems, []);
});

test('every option listed in iptables-extensions(8) is known to its extension, in the section\'s family', { skip: skipExtensions }, () => {
  const missing: string[] = [];
  let count = 0;
  for (const s of sections(extensionsPage!)) {
    const spec = specOf(s);
    if (!spec) continue;
    for (const o of s.options) {
      count++;
      if (NOT_OPTIONS[`${s.name} ${o}`]) continue;
      const opt = spec.options.find((x) => x.name === o || x.aliases?.includes(o));
      if (!opt) missing.push(`${s.name} ${o}`);
      else if (s.family && opt.family && opt.family !== s.family) missing.push(`${s.name} ${o}: listed for ${s.family}, we say ${opt.family} only`);
    }
  }
  assert.ok(count > 300, `only ${count} options parsed`);
  assert.deepEqual(missing, []);
});

test('the exceptions for iptables-extensions(8) are still needed', { skip: skipExtensions }, () => {
  const listed = new Set(sections(extensionsPage!).flatMap((s) => [...s.options].map((o) => `${s.name} ${o}`)));
  for (const key of Object.keys(NOT_OPTIONS)) {
    assert.ok(listed.has(key), `${key} is no longer in the page: drop it from NOT_OPTIONS`);
    const [ext, opt] = key.split(' ');
    const spec = getMatch(ext) ?? getTarget(ext);
    assert.ok(!spec?.options.some((o) => o.name === opt || o.aliases?.includes(opt)), `${key} is in the data although iptables refuses it`);
  }
});

test('every command and option of iptables(8) is known, with its short form', { skip: skipIptables }, () => {
  const page = iptablesPage!;
  const byName = new Map<string, (typeof genericOptions)[number]>();
  for (const o of genericOptions) for (const n of [o.name, ...(o.aliases ?? [])]) byName.set(n, o);
  const missing: string[] = [];
  let count = 0;
  for (const m of page.matchAll(/^ {7}(?:\[!\] )?(-[A-Za-z46])(?:, (--[a-z][\w-]*))?|^ {7}(--[a-z][\w-]*)/gm)) {
    count++;
    const short = m[1];
    const long = m[2] ?? m[3];
    if (short && !byName.has(short)) missing.push(short);
    if (long && !byName.has(long)) missing.push(long);
    if (short && long && byName.get(short) !== byName.get(long)) missing.push(`${short} and ${long} are different entries`);
  }
  // aliases mentioned only in the prose ("The flag --src is an alias for this option")
  for (const m of page.matchAll(/flag (--[a-z-]+) is\s+an\s+alias/g)) if (!byName.has(m[1])) missing.push(m[1]);
  assert.ok(count >= 30, `only ${count} options parsed`);
  assert.deepEqual(missing, []);
});
