import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { requirement } from '../support/paths.ts';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Values of 0 as iptables takes them, in a namespace this test creates. `--limit-burst 0`: the
 * legacy backend's kernel refuses the rule, nf_tables loads it and lists it without its burst
 * (what iptables-save then writes, and a restore of that gives the default burst); invalid-value
 * warns there and nowhere else. Options refused at 0 (found by trying 0 for every integer option
 * the knowledge base gave no minimum), and above bounds lower than the knowledge base had (found
 * by trying its largest value): errors.
 */
const { ns, skip } = NamespaceIptables.forTests('values of 0 in both backends', { bothBackends: true });
// the SET target's bound needs a set to add to
const withIpset = skip || requirement(spawnSync('sh', ['-c', 'command -v ipset']).status === 0, 'ipset is not installed (apt-get install ipset)');

const rules = (burst: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m limit --limit 5/min --limit-burst ${burst} -j ACCEPT\nCOMMIT\n`;
const warned = (text: string) => new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'invalid-value').map((d) => text.slice(d.span.start, d.span.end));

test('a burst of 0: legacy refuses it, nf_tables loads it and lists the rule without it; a burst of 1 loads in both and is listed', { skip }, () => {
  assert.deepEqual(warned(rules('0')), ['0']);
  const legacy = ns.restoreWith('legacy', rules('0'));
  assert.equal(legacy.ok, false, legacy.filter);
  const nft = ns.restoreWith('nft', rules('0'));
  assert.ok(nft.ok, nft.err);
  assert.match(nft.filter, /-m limit --limit 5\/min -j ACCEPT/);
  assert.doesNotMatch(nft.filter, /--limit-burst/);

  assert.deepEqual(warned(rules('1')), []);
  for (const backend of ['legacy', 'nft'] as const) {
    const r = ns.restoreWith(backend, rules('1'));
    assert.ok(r.ok, `${backend}: ${r.err}`);
    assert.match(r.filter, /--limit-burst 1 /, backend);
  }
});

test('a limit whose burst overflows the credits of iptables-legacy\'s kernel: legacy refuses it, nf_tables loads it (a limit of its own); a warning', { skip }, () => {
  const limited = (options: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m limit ${options} -j ACCEPT\nCOMMIT\n`;
  const warnedAt = (text: string) => new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'option-combination').map((d) => [d.severity, text.slice(d.span.start, d.span.end)]);
  // refused whatever the kernel's tick rate (see values/credits.ts): 1/day with the default burst, the default 3/hour with 358
  for (const [options, marked] of [['--limit 1/day', '1/day'], ['--limit-burst 358', '358'], ['--limit 1/hour --limit-burst 120', '120']]) {
    assert.deepEqual(warnedAt(limited(options)), [['warning', marked]], options);
    assert.equal(ns.restoreWith('legacy', limited(options)).ok, false, `legacy ${options}`);
    const nft = ns.restoreWith('nft', limited(options));
    assert.ok(nft.ok, `nft ${options}: ${nft.err}`);
  }
  for (const options of ['--limit 1/hour', '--limit-burst 357', '--limit 1/day --limit-burst 1']) {
    assert.deepEqual(warnedAt(limited(options)), [], options);
    for (const backend of ['legacy', 'nft'] as const) assert.ok(ns.restoreWith(backend, limited(options)).ok, `${backend} ${options}`);
  }
});

/** Options whose value iptables (or, for IDLETIMER, the kernel) refuses at 0 and takes at 1, each in a rule that needs nothing else. */
const ZERO_REFUSED: { table: string; rule: (v: string) => string; value: string }[] = [
  { table: 'filter', rule: (v) => `-A INPUT -m recent --rcheck --seconds ${v} --name ssh -j DROP`, value: '--seconds' },
  { table: 'filter', rule: (v) => `-A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-nodemask ${v} --cluster-hash-seed 1`, value: '--cluster-local-nodemask' },
  { table: 'mangle', rule: (v) => `-A PREROUTING -j IDLETIMER --timeout ${v} --label idle`, value: '--timeout' },
];

test('values of 0 iptables refuses are errors, and 1 loads: recent --seconds, cluster --cluster-local-nodemask, IDLETIMER --timeout', { skip }, () => {
  for (const c of ZERO_REFUSED) {
    for (const [v, loads] of [['0', false], ['1', true]] as const) {
      const text = `*${c.table}\n${c.rule(v)}\nCOMMIT\n`;
      const found = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'invalid-value');
      assert.deepEqual(found.map((d) => [d.severity, text.slice(d.span.start, d.span.end)]), loads ? [] : [['error', '0']], `${c.value} ${v}`);
      const r = ns.run(['iptables', '-t', c.table, ...c.rule(v).split(' ')]);
      assert.equal(r.ok, loads, `${c.value} ${v}: ${r.err}`);
    }
  }
});

/** Upper bounds found by trying each integer option's largest value in the knowledge base: the largest iptables takes loads, one more is an error. */
const UPPER: { tool: string; table: string; rule: (v: string) => string; largest: string; over: string }[] = [
  { tool: 'iptables', table: 'mangle', rule: (v) => `-A POSTROUTING -p tcp -j TCPMSS --set-mss ${v}`, largest: '65515', over: '65516' },
  { tool: 'ip6tables', table: 'mangle', rule: (v) => `-A POSTROUTING -p tcp -j TCPMSS --set-mss ${v}`, largest: '65495', over: '65496' },
  { tool: 'iptables', table: 'filter', rule: (v) => `-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name hl --hashlimit-rate-match --hashlimit-rate-interval ${v}`, largest: '2147483647', over: '2147483648' },
  { tool: 'iptables', table: 'filter', rule: (v) => `-A INPUT -j SET --add-set s src --timeout ${v}`, largest: '4294967294', over: '4294967295' },
  { tool: 'iptables', table: 'mangle', rule: (v) => `-A OUTPUT -j IDLETIMER --timeout ${v} --label t${v}`, largest: '2147482', over: '2147483' },
];

test('upper bounds: TCPMSS --set-mss (65515 for IPv4, 65495 for IPv6), hashlimit --hashlimit-rate-interval, SET --timeout, IDLETIMER --timeout', { skip: withIpset }, () => {
  assert.ok(ns.run(['ipset', 'create', 's', 'hash:ip', 'timeout', '60']).ok);
  for (const c of UPPER) {
    for (const [v, loads] of [[c.largest, true], [c.over, false]] as const) {
      const text = `*${c.table}\n${c.rule(v)}\nCOMMIT\n`;
      const family = c.tool === 'ip6tables' ? 'ipv6' : 'ipv4';
      const found = new FirewallDocument(text, { fileName: family === 'ipv6' ? 'rules.v6' : 'rules.v4', family }).diagnostics().filter((d) => d.code === 'invalid-value');
      assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), loads ? [] : [v], `${c.tool} ${c.rule(v)}`);
      const r = ns.run([c.tool, '-t', c.table, ...c.rule(v).split(' ')]);
      assert.equal(r.ok, loads, `${c.tool} ${c.rule(v)}: ${r.err}`);
    }
  }
});

/** Values past their field that iptables takes anyway (found by trying one past each bound of the knowledge base): how they are loaded. */
const PAST_FIELD: { tool: string; table?: string; rule: string; listed: RegExp }[] = [
  { tool: 'iptables', rule: '-A INPUT -p tcp -j SYNPROXY --mss 65536 --wscale 256', listed: /--wscale 0 --mss 0/ },
  { tool: 'ip6tables', rule: '-A INPUT -m rt --rt-type 256 -j DROP', listed: /--rt-type 256/ },
  // an IPv4 prefix past 32 is read as 32 (ip6tables refuses /129)
  { tool: 'iptables', table: 'nat', rule: '-A PREROUTING -d 192.0.2.0/24 -j NETMAP --to 10.0.0.1/33', listed: /--to 10\.0\.0\.1\/32$/m },
  { tool: 'iptables', table: 'nat', rule: '-A PREROUTING -d 192.0.2.0/24 -j NETMAP --to 10.0.0.1/4294967295', listed: /--to 10\.0\.0\.1\/32$/m },
];

test('values past their field that iptables takes: warnings, and iptables -S shows what was loaded (SYNPROXY cut to its low bits, rt kept, NETMAP /32)', { skip }, () => {
  for (const c of PAST_FIELD) {
    const table = c.table ?? 'filter';
    const chain = c.rule.split(' ')[1];
    const text = `*${table}\n${c.rule}\nCOMMIT\n`;
    const family = c.tool === 'ip6tables' ? 'ipv6' : 'ipv4';
    const found = new FirewallDocument(text, { fileName: family === 'ipv6' ? 'rules.v6' : 'rules.v4', family }).diagnostics().filter((d) => d.code === 'invalid-value');
    assert.ok(found.length > 0 && found.every((d) => d.severity === 'warning'), `${c.rule}: ${found.map((d) => d.severity).join()}`);
    for (const backend of ['legacy', 'nft'] as const) {
      assert.ok(ns.run([`${c.tool}-${backend}`, '-t', table, '-F', chain]).ok);
      const r = ns.run([`${c.tool}-${backend}`, '-t', table, ...c.rule.split(' ')]);
      assert.ok(r.ok, `${c.tool}-${backend} ${c.rule}: ${r.err}`);
      assert.match(ns.run([`${c.tool}-${backend}`, '-t', table, '-S', chain]).out, c.listed, `${c.tool}-${backend}`);
    }
  }
});

/** hashlimit rates iptables reads otherwise than they look (see readHashlimitRate), with what `iptables -S` lists for them. */
const HASHLIMIT_RATES: { rate: string; listed: RegExp; warned: boolean }[] = [
  { rate: '100KB/s', listed: /--hashlimit-upto 100\/sec /, warned: true },
  { rate: '1mb/m', listed: /--hashlimit-upto 1\/min /, warned: true },
  { rate: '5kb', listed: /--hashlimit-upto 5\/sec /, warned: true },
  { rate: '5Kb/s', listed: /--hashlimit-upto 0b\/s /, warned: true },
  { rate: '512kb/s', listed: /--hashlimit-upto 512kb\/s /, warned: false },
  { rate: '1mb/sec', listed: /--hashlimit-upto 1mb\/s /, warned: false },
];

test('hashlimit byte rates only with b/s in lower case: the rest are packets (or bytes without a multiplier), warned, as iptables -S lists them', { skip }, () => {
  for (const c of HASHLIMIT_RATES) {
    const rule = `-A INPUT -m hashlimit --hashlimit-upto ${c.rate} --hashlimit-name h -j ACCEPT`;
    const found = new FirewallDocument(`*filter\n${rule}\nCOMMIT\n`, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'invalid-value');
    assert.deepEqual(found.map((d) => d.severity), c.warned ? ['warning'] : [], c.rate);
    for (const backend of ['legacy', 'nft'] as const) {
      assert.ok(ns.run([`iptables-${backend}`, '-F', 'INPUT']).ok);
      const r = ns.run([`iptables-${backend}`, ...rule.split(' ')]);
      assert.ok(r.ok, `${backend} ${c.rate}: ${r.err}`);
      assert.match(ns.run([`iptables-${backend}`, '-S', 'INPUT']).out, c.listed, `${backend} ${c.rate}`);
    }
  }
});

/**
 * hashlimit byte rates past what iptables and the kernel keep (see byteRateKept), with how each
 * backend takes the rule: `iptables -S`'s listing, the kernel's refusal, iptables' death.
 */
const FAST_BYTE_RATES: { rate: string; fate: 'loads' | 'refused' | 'crashes'; listed?: RegExp; severity?: 'error' | 'warning' }[] = [
  { rate: '34359738351b/s', fate: 'loads', listed: /--hashlimit-upto 34359738336b\/s / },
  { rate: '32767mb/s', fate: 'loads', listed: /--hashlimit-upto 34359738336b\/s / },
  { rate: '34359738352b/s', fate: 'refused', severity: 'error' },
  { rate: '100000mb/s', fate: 'refused', severity: 'error' },
  { rate: '68719476720b/s', fate: 'crashes', severity: 'error' },
  { rate: '65536mb/s', fate: 'loads', listed: /--hashlimit-upto 0b\/s /, severity: 'warning' },
  { rate: '99999999999999b/s', fate: 'loads', listed: /--hashlimit-upto 13743895328b\/s /, severity: 'warning' },
];

test('hashlimit byte rates too fast to keep: the kernel refuses them, iptables dies of some, others wrap around to a slower rate; each reported', { skip }, () => {
  for (const c of FAST_BYTE_RATES) {
    const rule = `-A INPUT -m hashlimit --hashlimit-upto ${c.rate} --hashlimit-name h -j ACCEPT`;
    const text = `*filter\n${rule}\nCOMMIT\n`;
    const found = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'invalid-value');
    assert.deepEqual(found.map((d) => [text.slice(d.span.start, d.span.end), d.severity]), c.severity ? [[c.rate, c.severity]] : [], c.rate);
    for (const backend of ['legacy', 'nft'] as const) {
      assert.ok(ns.run([`iptables-${backend}`, '-F', 'INPUT']).ok);
      const r = ns.run([`iptables-${backend}`, ...rule.split(' ')]);
      assert.equal(r.ok, c.fate === 'loads', `${backend} ${c.rate}: ${r.err}`);
      if (c.fate === 'refused') assert.match(r.err, /Invalid argument/, `${backend} ${c.rate}`);
      if (c.fate === 'crashes') assert.equal(r.signal, 'SIGFPE', `${backend} ${c.rate}`);
      if (c.listed) assert.match(ns.run([`iptables-${backend}`, '-S', 'INPUT']).out, c.listed, `${backend} ${c.rate}`);
    }
    // the check at load time is the kernel's: --test passes the refused ones (and dies with iptables on the others)
    if (c.fate === 'refused') assert.ok(ns.run(['iptables-nft-restore', '--test'], text).ok, c.rate);
  }
});
