import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chains, genericOptions, getChain, getMatch, getTable, getTarget, implicitMatchForProtocol, matches, protocolNames, tables, targets } from '../../../server/src/core/knowledge/index.ts';
import type { BuiltinChainName, ExtensionSpec, OptionSpec } from '../../../server/src/core/knowledge/types.ts';
import { checkedTypes, checkValue } from '../../../server/src/core/knowledge/values/index.ts';
import { logLevelNumber, logLevels, rejectTypeName, rejectWith4, rejectWith6 } from '../../../server/src/core/knowledge/values/enums.ts';

/** The data set is consistent with itself: names, references, types, families, tables. */

const all: readonly ExtensionSpec[] = [...matches, ...targets];
const BUILTIN: readonly BuiltinChainName[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
const names = (o: OptionSpec) => [o.name, ...(o.aliases ?? [])];

test('every extension is documented: summary, doc and example, in sentences', () => {
  const bad: string[] = [];
  for (const e of all) {
    if (!e.summary?.endsWith('.') || e.summary.length < 15) bad.push(`${e.name}: summary`);
    if (!e.doc || e.doc.length < 20) bad.push(`${e.name}: doc`);
    if (!/^ip6?tables /.test(e.example)) bad.push(`${e.name}: the example is not an iptables command`);
    if (e.families.length === 1 && e.families[0] === 'ipv6' && !e.example.startsWith('ip6tables ')) bad.push(`${e.name}: IPv6-only, but the example uses iptables`);
    if (!e.deprecatedBy && !e.example.includes(e.kind === 'match' ? `-m ${e.name}` : `-j ${e.name}`) && !(e.implicitForProtocol && e.example.includes(`-p ${e.implicitForProtocol}`))) bad.push(`${e.name}: the example does not use it`);
    for (const o of e.options) {
      if (!o.summary?.endsWith('.') && !o.summary?.endsWith(')')) bad.push(`${e.name} ${o.name}: summary`);
    }
  }
  assert.deepEqual(bad, []);
});

test('no duplicate option names or aliases within an extension, and none shadowing a generic option', () => {
  const generic = new Set(genericOptions.flatMap(names));
  const bad: string[] = [];
  for (const e of all) {
    const seen = new Set<string>();
    for (const o of e.options) {
      for (const n of names(o)) {
        if (!/^--[a-z0-9][a-z0-9-]*$/.test(n)) bad.push(`${e.name}: odd option name ${n}`);
        if (seen.has(n)) bad.push(`${e.name}: ${n} twice`);
        seen.add(n);
        if (generic.has(n)) bad.push(`${e.name}: ${n} is also a generic option`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test('extension names are unique per kind and spelled as iptables spells them', () => {
  for (const list of [matches, targets]) {
    const seen = new Set<string>();
    for (const e of list) {
      for (const n of [e.name, ...(e.aliases ?? [])]) {
        assert.ok(!seen.has(n), `${n} twice`);
        seen.add(n);
      }
    }
  }
  for (const m of matches) assert.match(m.name, /^[a-z0-9]+$/, `match ${m.name}`);
  for (const t of targets) assert.match(t.name, /^[A-Z]+$/, `target ${t.name}`);
  assert.ok(matches.every((m) => m.kind === 'match') && targets.every((t) => t.kind === 'target'));
});

test('every argument type has a checker, and enums list their values', () => {
  const known = new Set(checkedTypes);
  const bad: string[] = [];
  for (const o of [...all.flatMap((e) => e.options.map((x) => [e.name, x] as const)), ...genericOptions.map((x) => ['iptables', x] as const)]) {
    const [ext, opt] = o;
    for (const a of opt.args) {
      if (!known.has(a.type)) bad.push(`${ext} ${opt.name}: no checker for ${a.type}`);
      if ((a.type === 'enum' || a.type === 'enum-list') && !a.values?.length) bad.push(`${ext} ${opt.name}: enum without values`);
      if (a.valueDocs) for (const k of Object.keys(a.valueDocs)) if (!a.values?.includes(k)) bad.push(`${ext} ${opt.name}: doc for unknown value ${k}`);
      if (!a.name) bad.push(`${ext} ${opt.name}: unnamed argument`);
    }
    if (opt.args.some((a, i) => a.optional && opt.args.slice(i + 1).some((b) => !b.optional))) bad.push(`${ext} ${opt.name}: a required argument after an optional one`);
  }
  assert.deepEqual(bad, []);
  // and no type falls through to the default branch
  for (const t of checkedTypes) assert.doesNotMatch(checkValue(t, 'x', { family: 'ipv4', arg: { name: 'v', type: t, values: ['a'] } })?.message ?? '', /No checker/);
});

test('option references point at options of the same extension', () => {
  const bad: string[] = [];
  for (const e of all) {
    const own = new Set(e.options.map((o) => o.name));
    const check = (where: string, list: readonly string[] | undefined) => {
      for (const n of list ?? []) if (!own.has(n)) bad.push(`${e.name} ${where}: ${n} is not a canonical option name here`);
    };
    for (const g of e.needsOneOf ?? []) check('needsOneOf', g);
    for (const g of e.exclusive ?? []) check('exclusive', g);
    for (const o of e.options) {
      check(`${o.name} excludes`, o.excludes);
      check(`${o.name} requires`, o.requires);
      for (const [field, name] of [['after', o.after], ['below', o.below], ['chainsUnless', o.chainsUnless]] as const) check(`${o.name} ${field}`, name === undefined ? undefined : [name]);
      if (o.excludes?.includes(o.name) || o.requires?.includes(o.name)) bad.push(`${e.name} ${o.name}: refers to itself`);
    }
    for (const g of e.exclusive ?? []) if (g.length < 2) bad.push(`${e.name}: an exclusive group of one`);
  }
  assert.deepEqual(bad, []);
});

test('targets: options never negatable, terminating always stated, and the terminating set is right', () => {
  const expected = ['ACCEPT', 'DNAT', 'DROP', 'MASQUERADE', 'NETMAP', 'NFQUEUE', 'QUEUE', 'REDIRECT', 'REJECT', 'RETURN', 'SNAT', 'SYNPROXY', 'TPROXY'];
  assert.deepEqual(targets.filter((t) => t.terminating).map((t) => t.name).sort(), expected);
  for (const t of targets) {
    assert.equal(typeof t.terminating, 'boolean', `${t.name}: terminating not stated`);
    for (const o of t.options) assert.equal(o.negation, 'none', `${t.name} ${o.name}`);
  }
  for (const n of ['LOG', 'MARK', 'CONNMARK', 'NFLOG', 'CT', 'TEE', 'TRACE', 'SET', 'AUDIT']) assert.equal(getTarget(n)!.terminating, false, n);
  for (const m of matches) assert.equal(m.terminating, undefined, m.name);
});

test('families: extension, option and protocol facts agree', () => {
  const bad: string[] = [];
  for (const e of all) {
    if (!e.families.length) bad.push(`${e.name}: no family`);
    for (const o of e.options) if (o.family && !e.families.includes(o.family)) bad.push(`${e.name} ${o.name}: ${o.family}-only option in a ${e.families.join('/')} extension`);
    if (e.implicitForProtocol && !e.protocols?.includes(e.implicitForProtocol)) bad.push(`${e.name}: loaded by -p ${e.implicitForProtocol} but does not list it in protocols`);
    for (const p of e.protocols ?? []) if (!protocolNames.some((x) => x.name === p) && !/^\d+$/.test(p)) bad.push(`${e.name}: unknown protocol ${p}`);
  }
  assert.deepEqual(bad, []);
  const v4only = ['icmp', 'ttl', 'realm', 'osf', 'TTL', 'ECN', 'CLUSTERIP', 'ULOG'];
  const v6only = ['icmp6', 'hl', 'rt', 'frag', 'dst', 'hbh', 'mh', 'ipv6header', 'eui64', 'srh', 'HL', 'DNPT', 'SNPT'];
  for (const n of v4only) assert.deepEqual((getMatch(n) ?? getTarget(n))!.families, ['ipv4'], n);
  for (const n of v6only) assert.deepEqual((getMatch(n) ?? getTarget(n))!.families, ['ipv6'], n);
  assert.equal(getMatch('ah')!.options.find((o) => o.name === '--ahlen')!.family, 'ipv6');
});

test('counterparts: of the other family, same kind, both ways, each option mapped to an option of it and back', () => {
  const bad: string[] = [];
  for (const e of all) {
    const c = e.counterpart;
    if (!c) continue;
    const other = e.kind === 'match' ? getMatch(c.name) : getTarget(c.name);
    if (!other) {
      bad.push(`${e.name}: no ${e.kind} ${c.name}`);
      continue;
    }
    if (other.families.some((f) => e.families.includes(f))) bad.push(`${e.name} and ${other.name} share a family`);
    if (other.counterpart?.name !== e.name) bad.push(`${other.name} does not name ${e.name} back`);
    for (const [mine, theirs] of Object.entries(c.options)) {
      if (!e.options.some((o) => o.name === mine)) bad.push(`${e.name}: no option ${mine}`);
      if (!other.options.some((o) => o.name === theirs)) bad.push(`${other.name}: no option ${theirs}`);
      if (other.counterpart?.options[theirs] !== mine) bad.push(`${other.name} ${theirs} does not map back to ${mine}`);
    }
    for (const o of e.options) if (!(o.name in c.options)) bad.push(`${e.name} ${o.name}: no counterpart option`);
  }
  assert.deepEqual(bad, []);
  assert.deepEqual(all.filter((e) => e.counterpart).map((e) => e.name).sort(), ['HL', 'TTL', 'hl', 'icmp', 'icmp6', 'ttl']);
});

test('tables and chains: the five of each, consistent both ways, extension limits within them', () => {
  assert.deepEqual(tables.map((t) => t.name).sort(), ['filter', 'mangle', 'nat', 'raw', 'security']);
  assert.deepEqual(chains.map((c) => c.name).sort(), [...BUILTIN].sort());
  for (const c of chains) {
    assert.ok(c.doc.includes(`[${c.name}]`), `${c.name}: the diagram does not mark it`);
    assert.ok(c.doc.includes('```text'), `${c.name}: no diagram`);
    for (const t of tables) assert.equal(t.chains.includes(c.name), c.tables.includes(t.name), `${t.name}/${c.name}`);
  }
  assert.equal(getTable('nat')!.chains.length, 4);
  assert.equal(getChain('FORWARD')!.tables.includes('nat'), false);
  assert.equal(getTable('NAT'), undefined);
  const bad: string[] = [];
  for (const e of all) {
    for (const c of e.chains ?? []) if (!BUILTIN.includes(c)) bad.push(`${e.name}: chain ${c}`);
    if (e.tables && e.chains) {
      for (const c of e.chains) if (!e.tables.some((t) => getTable(t)!.chains.includes(c))) bad.push(`${e.name}: ${c} is in none of ${e.tables.join(', ')}`);
    }
    for (const o of e.options) for (const c of o.chains ?? []) if (e.chains && !e.chains.includes(c)) bad.push(`${e.name} ${o.name}: chain ${c} outside the extension's chains`);
  }
  assert.deepEqual(bad, []);
});

test('where targets may be used (measured with the kernel of iptables 1.8.9)', () => {
  const where = (n: string) => ({ tables: getTarget(n)!.tables, chains: getTarget(n)!.chains });
  assert.deepEqual(where('DNAT'), { tables: ['nat'], chains: ['PREROUTING', 'OUTPUT'] });
  assert.deepEqual(where('SNAT'), { tables: ['nat'], chains: ['POSTROUTING', 'INPUT'] });
  assert.deepEqual(where('MASQUERADE'), { tables: ['nat'], chains: ['POSTROUTING'] });
  assert.deepEqual(where('REDIRECT'), { tables: ['nat'], chains: ['PREROUTING', 'OUTPUT'] });
  assert.deepEqual(where('REJECT'), { tables: ['filter'], chains: ['INPUT', 'FORWARD', 'OUTPUT'] });
  assert.deepEqual(where('TPROXY'), { tables: ['mangle'], chains: ['PREROUTING'] });
  assert.deepEqual(where('CT').tables, ['raw']);
  assert.deepEqual(where('NOTRACK').tables, ['raw']);
  assert.deepEqual(where('NETMAP').tables, ['nat']);
  for (const n of ['DSCP', 'TOS', 'TTL', 'HL', 'ECN', 'CHECKSUM', 'TCPOPTSTRIP']) assert.deepEqual(getTarget(n)!.tables, ['mangle'], n);
  assert.deepEqual(where('CLASSIFY'), { tables: undefined, chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'] });
  assert.deepEqual(where('SYNPROXY'), { tables: undefined, chains: ['INPUT', 'FORWARD'] });
  assert.equal(getTarget('TCPMSS')!.tables, undefined);
  assert.deepEqual(getTarget('TRACE')!.legacyTables, ['raw']);
  assert.deepEqual(getMatch('owner')!.chains, ['OUTPUT', 'POSTROUTING']);
  assert.deepEqual(getMatch('rpfilter')!.chains, ['PREROUTING']);
});

test('deprecations and host dependencies', () => {
  assert.equal(getMatch('state')!.deprecatedBy, 'conntrack');
  assert.equal(getTarget('NOTRACK')!.deprecatedBy, 'CT --notrack');
  assert.equal(getTarget('CLUSTERIP')!.deprecatedBy, 'cluster');
  assert.equal(getTarget('ULOG')!.deprecatedBy, 'NFLOG');
  for (const e of all) if (e.deprecatedBy) assert.ok(getMatch(e.deprecatedBy.split(' ')[0]) ?? getTarget(e.deprecatedBy.split(' ')[0]), `${e.name}: ${e.deprecatedBy}`);
  for (const n of ['set', 'cgroup', 'bpf', 'osf', 'nfacct', 'rateest', 'connlabel', 'ipvs']) assert.ok(getMatch(n)!.hostDependent, n);
  for (const n of ['CLUSTERIP', 'LED', 'ULOG', 'SET', 'SECMARK', 'QUEUE']) assert.ok(getTarget(n)!.hostDependent, n);
  for (const e of all) if (e.hostDependent !== undefined) assert.ok(e.hostDependent.length > 10, e.name);
});

test('lookups: case-sensitive names, implicit matches by protocol name or number', () => {
  assert.equal(getMatch('tcp')!.name, 'tcp');
  assert.equal(getMatch('TCP'), undefined);
  assert.equal(getMatch('dscp')!.kind, 'match');
  assert.equal(getTarget('DSCP')!.kind, 'target');
  assert.equal(getTarget('accept'), undefined);
  assert.equal(getTarget('ACCEPT')!.terminating, true);
  const implicit = (p: string) => implicitMatchForProtocol(p)?.name;
  for (const [p, m] of [['tcp', 'tcp'], ['TCP', 'tcp'], ['6', 'tcp'], ['0x6', 'tcp'], ['udp', 'udp'], ['17', 'udp'], ['icmp', 'icmp'], ['1', 'icmp'], ['ipv6-icmp', 'icmp6'], ['icmpv6', 'icmp6'], ['58', 'icmp6'], ['sctp', 'sctp'], ['132', 'sctp'], ['dccp', 'dccp'], ['33', 'dccp'], ['esp', 'esp'], ['50', 'esp'], ['ah', 'ah'], ['51', 'ah'], ['mh', 'mh'], ['ipcomp', 'ipcomp']] as const) {
    assert.equal(implicit(p), m, `-p ${p}`);
  }
  for (const p of ['ipv6-mh', '135', 'udplite', '136', 'gre', 'all', 'icmp6', 'foo']) assert.equal(implicit(p), undefined, `-p ${p}`);
});

test('protocol names carry their numbers', () => {
  const num = (n: string) => protocolNames.find((p) => p.name === n)?.number;
  assert.equal(num('tcp'), 6);
  assert.equal(num('udp'), 17);
  assert.equal(num('icmp'), 1);
  assert.equal(num('ipv6-icmp'), 58);
  assert.equal(num('icmpv6'), 58);
  assert.equal(num('esp'), 50);
  assert.equal(num('ah'), 51);
  assert.equal(num('sctp'), 132);
  assert.equal(num('gre'), 47);
  assert.equal(num('all'), 0);
  assert.equal(num('ipsec-esp'), undefined);
});

test('the generic options of iptables(8): commands, parameters and their long forms', () => {
  const g = (n: string) => genericOptions.find((o) => o.name === n || o.aliases?.includes(n));
  for (const [short, long] of [['-A', '--append'], ['-C', '--check'], ['-D', '--delete'], ['-I', '--insert'], ['-R', '--replace'], ['-L', '--list'], ['-S', '--list-rules'], ['-F', '--flush'], ['-Z', '--zero'], ['-N', '--new-chain'], ['-X', '--delete-chain'], ['-P', '--policy'], ['-E', '--rename-chain'], ['-t', '--table'], ['-p', '--protocol'], ['-s', '--source'], ['-d', '--destination'], ['-i', '--in-interface'], ['-o', '--out-interface'], ['-f', '--fragment'], ['-j', '--jump'], ['-g', '--goto'], ['-m', '--match'], ['-c', '--set-counters'], ['-w', '--wait'], ['-W', '--wait-interval'], ['-4', '--ipv4'], ['-6', '--ipv6'], ['-v', '--verbose'], ['-n', '--numeric'], ['-x', '--exact']]) {
    assert.ok(g(short), short);
    assert.equal(g(short), g(long), `${short} ${long}`);
  }
  for (const [alias, long] of [['--src', '--source'], ['--dst', '--destination']]) assert.equal(g(alias), g(long), alias);
  assert.ok(g('--line-numbers') && g('--modprobe'));
  assert.equal(g('-f')!.family, 'ipv4');
  assert.equal(g('-c')!.args.length, 2);
  assert.deepEqual(g('-P')!.args[1].values, ['ACCEPT', 'DROP']);
  assert.equal(g('--new'), undefined, '--new is only a getopt prefix of --new-chain');
  for (const o of genericOptions) assert.ok(o.short === undefined || o.aliases?.includes(`-${o.short}`), o.name);
});

test('the numbers log levels and short reject types stand for agree with the names listed', () => {
  for (const [name, doc] of logLevels) assert.equal(logLevelNumber(name), Number(/^(\d):/.exec(doc)![1]), name);
  for (const [family, list] of [['ipv4', rejectWith4], ['ipv6', rejectWith6]] as const) {
    for (const [name, doc] of list) {
      const full = /^Short for ([a-z0-9-]+)\./.exec(doc)?.[1] ?? name;
      assert.equal(rejectTypeName(name.toUpperCase(), family), full, `${family} ${name}`);
    }
  }
});
