import assert from 'node:assert/strict';
import { lintText } from '../../../server/src/core/facade.ts';
import { test } from 'node:test';
import { getMatch, getTable, getTarget, matches, tables, targets } from '../../../server/src/core/knowledge/index.ts';
import type { BuiltinChainName, ExtensionSpec, TableName } from '../../../server/src/core/knowledge/types.ts';
import { requirement } from '../../support/paths.ts';
import { realIptablesMissing, runInNamespace, shellWords } from './realIptables.ts';

/**
 * Facts about where extensions work, checked against the kernel: the rules are really added,
 * inside a throwaway network namespace, so table and hook restrictions are enforced.
 */
const missing = realIptablesMissing();
const skip = requirement(missing === undefined, `real iptables checks: ${missing}`);

/** The smallest rule that loads each extension (family, then the rule after `-A CHAIN`). */
const minimal: Record<string, [family: 'ipv4' | 'ipv6', rule: string]> = {
  DNAT: ['ipv4', '-j DNAT --to-destination 192.0.2.1'],
  SNAT: ['ipv4', '-j SNAT --to-source 192.0.2.1'],
  MASQUERADE: ['ipv4', '-j MASQUERADE'],
  REDIRECT: ['ipv4', '-j REDIRECT'],
  NETMAP: ['ipv4', '-j NETMAP --to 10.0.0.0/8'],
  REJECT: ['ipv4', '-j REJECT'],
  TPROXY: ['ipv4', '-p tcp -j TPROXY --on-port 1'],
  CT: ['ipv4', '-j CT --notrack'],
  NOTRACK: ['ipv4', '-j NOTRACK'],
  DSCP: ['ipv4', '-j DSCP --set-dscp 1'],
  TOS: ['ipv4', '-j TOS --set-tos 1'],
  TTL: ['ipv4', '-j TTL --ttl-set 64'],
  HL: ['ipv6', '-j HL --hl-set 64'],
  ECN: ['ipv4', '-p tcp -j ECN --ecn-tcp-remove'],
  CHECKSUM: ['ipv4', '-p udp -j CHECKSUM --checksum-fill'],
  TCPOPTSTRIP: ['ipv4', '-p tcp -j TCPOPTSTRIP --strip-options sack'],
  CLASSIFY: ['ipv4', '-j CLASSIFY --set-class 1:1'],
  SYNPROXY: ['ipv4', '-p tcp -j SYNPROXY'],
  CONNSECMARK: ['ipv4', '-j CONNSECMARK --save'],
  DNPT: ['ipv6', '-j DNPT --src-pfx 2001:db8::/64 --dst-pfx fd00::/64'],
  SNPT: ['ipv6', '-j SNPT --src-pfx fd00::/64 --dst-pfx 2001:db8::/64'],
  owner: ['ipv4', '-m owner --uid-owner 0'],
  rpfilter: ['ipv4', '-m rpfilter'],
  socket: ['ipv4', '-m socket'],
  realm: ['ipv4', '-m realm --realm 1'],
  eui64: ['ipv6', '-m eui64'],
  mac: ['ipv4', '-m mac --mac-source 00:11:22:33:44:55'],
};

test('tables and chains of targets and matches agree with the kernel', { skip }, () => {
  const combos = tables.flatMap((t) => t.chains.map((c) => [t.name, c] as const));
  const runs: { name: string; table: TableName; chain: BuiltinChainName; expect: boolean; tool: 'iptables' | 'ip6tables'; args: string[] }[] = [];
  for (const [name, [family, rule]] of Object.entries(minimal)) {
    const spec: ExtensionSpec = getTarget(name) ?? getMatch(name)!;
    assert.ok(spec, name);
    for (const [table, chain] of combos) {
      const tool = family === 'ipv6' ? 'ip6tables' : 'iptables';
      // what the product reports of the rule (any error), not only what the knowledge base lists
      const expect = !lintText(`${tool} -t ${table} -A ${chain} ${rule}\n`, { dialect: 'script' }).diagnostics.some((d) => d.severity === 'error');
      const listed = (!spec.tables || spec.tables.includes(table)) && (!spec.chains || spec.chains.includes(chain));
      assert.equal(expect, listed, `${name} in ${table} ${chain}: the knowledge base lists it ${listed ? 'allowed' : 'not allowed'}, the product reports ${expect ? 'nothing' : 'an error'}`);
      runs.push({ name, table, chain, expect, tool, args: ['-t', table, '-A', chain, ...shellWords(rule)] });
    }
  }
  const results = runInNamespace(runs);
  const wrong = runs.flatMap((r, i) => (results[i].ok === r.expect ? [] : [`${r.name} in ${r.table} ${r.chain}: the kernel ${results[i].ok ? 'accepts' : `refuses (${results[i].message})`}, the product ${r.expect ? 'reports nothing' : 'reports an error'}`]));
  assert.deepEqual(wrong, []);
});

test('options limited to some chains are refused by the kernel elsewhere', { skip }, () => {
  const rules: [ext: string, option: string, rule: string][] = [
    ['physdev', '--physdev-out', '-m physdev --physdev-out eth0'],
    ['physdev', '--physdev-is-out', '-m physdev --physdev-is-out'],
    // the kernel takes both in OUTPUT beside --physdev-is-bridged, not beside its negation
    ['physdev', '--physdev-out', '-m physdev --physdev-is-bridged --physdev-out eth0'],
    ['physdev', '--physdev-is-out', '-m physdev --physdev-is-out --physdev-is-bridged'],
    ['physdev', '--physdev-out', '-m physdev ! --physdev-is-bridged --physdev-out eth0'],
    ['devgroup', '--src-group', '-m devgroup --src-group 1'],
    ['devgroup', '--dst-group', '-m devgroup --dst-group 1'],
    ['addrtype', '--limit-iface-in', '-m addrtype --src-type LOCAL --limit-iface-in'],
    ['addrtype', '--limit-iface-out', '-m addrtype --src-type LOCAL --limit-iface-out'],
    ['TCPMSS', '--clamp-mss-to-pmtu', '-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu'],
  ];
  const hooks: BuiltinChainName[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
  const runs = rules.flatMap(([ext, option, rule]) => hooks.map((chain) => {
    assert.ok((getMatch(ext) ?? getTarget(ext))!.options.find((x) => x.name === option)?.chains, `${ext} ${option} is limited to some chains`);
    // what the product says of the rule, not what the knowledge base lists
    const reported = lintText(`iptables -t mangle -A ${chain} ${rule}\n`, { dialect: 'script' }).diagnostics.some((d) => d.code === 'target-not-allowed-here');
    return { rule, chain, expect: !reported, tool: 'iptables' as const, args: ['-t', 'mangle', '-A', chain, ...shellWords(rule)] };
  }));
  const results = runInNamespace(runs);
  const wrong = runs.flatMap((r, i) => (results[i].ok === r.expect ? [] : [`${r.rule} in ${r.chain}: the kernel ${results[i].ok ? 'accepts' : 'refuses'}, target-not-allowed-here ${r.expect ? 'says nothing' : 'reports it'}`]));
  assert.deepEqual(wrong, []);
});

test('targets and matches that need -p are refused by the kernel without it', { skip }, () => {
  const cases: [string, 'iptables' | 'ip6tables', string, string, string][] = [
    ['esp', 'iptables', 'filter', 'INPUT', '-m esp --espspi 5'],
    ['tcpmss', 'iptables', 'filter', 'INPUT', '-m tcpmss --mss 5'],
    ['icmp', 'iptables', 'filter', 'INPUT', '-m icmp --icmp-type 8'],
    ['sctp', 'iptables', 'filter', 'INPUT', '-m sctp --dport 5'],
    ['dccp', 'iptables', 'filter', 'INPUT', '-m dccp --dport 5'],
    ['mh', 'ip6tables', 'filter', 'INPUT', '-m mh --mh-type 5'],
    ['icmp6', 'ip6tables', 'filter', 'INPUT', '-m icmp6 --icmpv6-type 1'],
    ['ipcomp', 'iptables', 'filter', 'INPUT', '-m ipcomp --ipcompspi 5'],
    ['osf', 'iptables', 'filter', 'INPUT', '-m osf --genre Linux'],
    ['TCPMSS', 'iptables', 'mangle', 'FORWARD', '-j TCPMSS --set-mss 1000'],
    ['TCPOPTSTRIP', 'iptables', 'mangle', 'FORWARD', '-j TCPOPTSTRIP --strip-options sack'],
    ['ECN', 'iptables', 'mangle', 'FORWARD', '-j ECN --ecn-tcp-remove'],
    ['SYNPROXY', 'iptables', 'filter', 'INPUT', '-j SYNPROXY'],
    ['TPROXY', 'iptables', 'mangle', 'PREROUTING', '-j TPROXY --on-port 1'],
  ];
  const results = runInNamespace(cases.map(([, tool, table, chain, rule]) => ({ tool, args: ['-t', table, '-A', chain, ...shellWords(rule)] })));
  const wrong: string[] = [];
  cases.forEach(([name, tool, table, chain, rule], i) => {
    const spec = getMatch(name) ?? getTarget(name);
    if (!spec?.protocols?.length) wrong.push(`${name}: we do not say it needs -p`);
    if (!lintText(`${tool} -t ${table} -A ${chain} ${rule}\n`, { dialect: 'script' }).diagnostics.some((d) => d.severity === 'error')) wrong.push(`${name}: the product reports no error without -p`);
    if (results[i].ok) wrong.push(`${name}: the kernel took it without -p`);
  });
  // ah: iptables needs -p ah, ip6tables finds the header without it
  const ah = runInNamespace([{ tool: 'iptables', args: ['-A', 'INPUT', '-m', 'ah', '--ahspi', '5'] }, { tool: 'ip6tables', args: ['-A', 'INPUT', '-m', 'ah', '--ahspi', '5'] }]);
  assert.deepEqual([ah[0].ok, ah[1].ok], [false, true]);
  assert.deepEqual(getMatch('ah')!.protocolFamilies, ['ipv4']);
  assert.deepEqual(wrong, []);
});

test('the largest --hitcount the kernel takes is the one the data says', { skip }, () => {
  const max = getMatch('recent')!.options.find((o) => o.name === '--hitcount')!.args[0].max!;
  const results = runInNamespace([max, max + 1].map((n) => ({ tool: 'iptables' as const, args: ['-A', 'INPUT', '-m', 'recent', '--update', '--hitcount', String(n), '--name', `h${n}`] })));
  assert.deepEqual(results.map((r) => r.ok), [true, false]);
});

test('the examples in the data load into a real kernel', { skip }, () => {
  const exts = [...matches, ...targets].filter((e) => !e.hostDependent && !e.deprecatedBy);
  const builtin = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
  const commands: { tool: 'iptables' | 'ip6tables'; args: string[]; ext?: string }[] = [];
  for (const e of exts) {
    const words = shellWords(e.example);
    const tool = words[0] as 'iptables' | 'ip6tables';
    const args = words.slice(1);
    const t = args.indexOf('-t');
    const table = t === -1 ? 'filter' : args[t + 1];
    // declare the user chains the example mentions
    for (const [i, w] of args.entries()) {
      if ((w === '-A' || w === '-I' || w === '-j' || w === '-g') && /^[A-Za-z][\w-]*$/.test(args[i + 1] ?? '')) {
        const name = args[i + 1];
        if (!builtin.has(name) && !getTarget(name)) commands.push({ tool, args: ['-t', table, '-N', name] });
      }
    }
    commands.push({ tool, args, ext: e.name });
  }
  // TCPMSS needs the SYN match with iptables-legacy only; TRACE works anywhere with iptables-nft
  const results = runInNamespace(commands);
  const failed = commands.flatMap((c, i) => (c.ext && !results[i].ok ? [`${c.ext}: ${c.tool} ${c.args.join(' ')} → ${results[i].message}`] : []));
  assert.deepEqual(failed, []);
  assert.ok(getTable('raw'));
});
