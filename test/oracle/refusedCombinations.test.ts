import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Rules that name a combination iptables or the kernel refuses, found by trying the knowledge
 * base's example of each extension with one of its options added or taken away, and each option
 * alone, against iptables 1.8.9 in a namespace. Each case is loaded here with both backends'
 * iptables-restore (not --test: several are refused by the kernel only, which --test does not
 * reach) and linted: a rule refused in both is reported at the marked word with the code given,
 * a rule loaded in both is not reported by it.
 */
const { ns, skip } = NamespaceIptables.forTests('refused combinations in both backends', { bothBackends: true });

interface Case {
  tool?: 'iptables' | 'ip6tables';
  table: string;
  /** The rule, the word reported marked «so» when it is refused. */
  rule: string;
  code: string;
  /** The kernel refuses it when the rule is loaded and `iptables-restore --test` passes it (nf_tables backend). */
  testMisses?: boolean;
  severity?: 'error' | 'warning';
}

/** The tick rate this host's kernel was built with (CONFIG_HZ), where its configuration says. */
function kernelHz(): number | undefined {
  const config = spawnSync('sh', ['-c', 'cat /boot/config-$(uname -r) 2>/dev/null || zcat /proc/config.gz 2>/dev/null'], { encoding: 'utf8' }).stdout;
  const m = /^CONFIG_HZ=(\d+)$/m.exec(config ?? '');
  return m ? Number(m[1]) : undefined;
}

const CASES: Case[] = [
  // recent: age and count only test a list; --rttl only with a test
  { table: 'filter', rule: '-A INPUT -m recent --set «--seconds» 3 -j ACCEPT', code: 'option-combination', testMisses: true },
  { table: 'filter', rule: '-A INPUT -m recent --remove «--hitcount» 3 -j ACCEPT', code: 'option-combination', testMisses: true },
  { table: 'filter', rule: '-A INPUT -m recent --remove «--rttl» -j ACCEPT', code: 'option-combination' },
  { table: 'filter', rule: '-A INPUT -m recent --rcheck --rttl --seconds 3 --hitcount 3 -j ACCEPT', code: 'option-combination' },
  // cluster: nodes within the total
  { table: 'mangle', rule: '-A PREROUTING -m cluster --cluster-total-nodes 2 --cluster-local-node «3» --cluster-hash-seed 1 -j MARK --set-mark 1', code: 'option-combination' },
  { table: 'mangle', rule: '-A PREROUTING -m cluster --cluster-total-nodes 2 --cluster-local-node «+5» --cluster-hash-seed 1 -j MARK --set-mark 1', code: 'option-combination' },
  { table: 'mangle', rule: '-A PREROUTING -m cluster --cluster-total-nodes 2 --cluster-local-nodemask «4» --cluster-hash-seed 1 -j MARK --set-mark 1', code: 'option-combination' },
  { table: 'mangle', rule: '-A PREROUTING -m cluster --cluster-local-nodemask 0x00000003 --cluster-total-nodes 2 --cluster-hash-seed 1 -j MARK --set-mark 1', code: 'option-combination' },
  // rt: type 0 options after --rt-type 0
  { tool: 'ip6tables', table: 'filter', rule: '-A INPUT -m rt --rt-type 1 «--rt-0-res» -j DROP', code: 'option-combination' },
  { tool: 'ip6tables', table: 'filter', rule: '-A INPUT -m rt --rt-type 0 --rt-0-addrs ::1 --rt-0-not-strict -j DROP', code: 'option-combination' },
  // time: --contiguous for a span past midnight
  { table: 'filter', rule: '-A INPUT -m time --timestart 06:00 --timestop 22:00 «--contiguous» -j DROP', code: 'option-combination' },
  { table: 'filter', rule: '-A INPUT -m time --timestart 22:00 --timestop 06:00 --contiguous -j DROP', code: 'option-combination' },
  // what a statistic mode, HMARK and cgroup need
  { table: 'filter', rule: '-A INPUT -m statistic --mode «random» -j DROP', code: 'option-combination' },
  { table: 'mangle', rule: '-A PREROUTING -j «HMARK» --hmark-mod 10 --hmark-rnd 1 --hmark-offset 5', code: 'option-combination' },
  { table: 'mangle', rule: '-A PREROUTING -j HMARK --hmark-mod 10 --hmark-rnd 1 --hmark-src-prefix 24', code: 'option-combination' },
  { table: 'filter', rule: '-A OUTPUT -m «cgroup» -j ACCEPT', code: 'option-combination', testMisses: true },
  { table: 'filter', rule: '-A OUTPUT -m cgroup --cgroup 1 -j ACCEPT', code: 'option-combination' },
  // a conntrack helper for the rule's protocol and family
  { table: 'raw', rule: '-A PREROUTING -p udp --dport 21 -j CT --helper «ftp»', code: 'option-requires-match', testMisses: true },
  { table: 'raw', rule: '-A PREROUTING -j CT --helper «tftp»', code: 'option-requires-match', testMisses: true },
  { table: 'raw', rule: '-A PREROUTING -p 6 --dport 21 -j CT --helper ftp', code: 'option-requires-match' },
  { table: 'raw', rule: '-A PREROUTING -p udp --dport 1719 -j CT --helper RAS', code: 'option-requires-match' },
  { tool: 'ip6tables', table: 'raw', rule: '-A PREROUTING -p tcp --dport 6667 -j CT --helper «irc»', code: 'address-family-mismatch', testMisses: true },
  { tool: 'ip6tables', table: 'raw', rule: '-A PREROUTING -p tcp --dport 21 -j CT --helper ftp', code: 'address-family-mismatch' },
  { table: 'raw', rule: '-A PREROUTING -p tcp --dport 21 -j CT --helper «FTP»', code: 'invalid-value', severity: 'warning', testMisses: true },
  { table: 'raw', rule: '-A PREROUTING -p tcp --dport 1720 -j CT --helper «h323»', code: 'invalid-value', severity: 'warning', testMisses: true },
  // the match a protocol loads in the other family's tool only
  { table: 'filter', rule: '-A INPUT -p ipv6-icmp «--icmpv6-type» neighbour-solicitation -j ACCEPT', code: 'option-requires-match' },
  { tool: 'ip6tables', table: 'filter', rule: '-A INPUT -p icmp «--icmp-type» echo-request -j ACCEPT', code: 'option-requires-match' },
  { table: 'filter', rule: '-A INPUT -p mh «--mh-type» binding-update -j ACCEPT', code: 'option-requires-match' },
  // negations iptables takes: `! --hashlimit-above` is --hashlimit-upto, and the other way round
  { table: 'filter', rule: '-A INPUT -m hashlimit ! --hashlimit-above 5/s --hashlimit-name b -j ACCEPT', code: 'syntax-error' },
  { table: 'filter', rule: '-A INPUT -m hashlimit ! --hashlimit-upto 5/s --hashlimit-name c -j DROP', code: 'syntax-error' },
  // addresses of the other family in options found by their value type
  { table: 'filter', rule: '-A INPUT -m policy --dir in --pol ipsec --mode tunnel --tunnel-src «fd00::1» --tunnel-dst 10.0.0.2 -j ACCEPT', code: 'address-family-mismatch' },
  { tool: 'ip6tables', table: 'mangle', rule: '-A PREROUTING -p tcp -j TPROXY --on-port 1 --on-ip «10.0.0.1»', code: 'address-family-mismatch' },
  // token buckets whose credits overflow the kernel's counter (every tick rate: see values/credits.ts)
  { table: 'filter', rule: '-A INPUT -m hashlimit --hashlimit-upto 1/day --hashlimit-burst «2» --hashlimit-name a -j ACCEPT', code: 'option-combination', testMisses: true },
  { table: 'filter', rule: '-A INPUT -m hashlimit --hashlimit-upto 1/day --hashlimit-burst 1 --hashlimit-name b -j ACCEPT', code: 'option-combination' },
  // refused by kernels built with HZ=250 or 1000 only (a warning): this host's is one of them
  ...([250, 1000].includes(kernelHz() ?? 0) ? [{ table: 'filter', rule: '-A INPUT -m hashlimit --hashlimit-upto 2/day --hashlimit-burst «10» --hashlimit-name c -j ACCEPT', code: 'option-combination', severity: 'warning' as const, testMisses: true }] : []),
  // names the kernel makes a file of: /proc/net/xt_recent, /proc/net/ipt_hashlimit, IDLETIMER's timers in sysfs
  { table: 'filter', rule: '-A INPUT -m recent --name «""» --set -j ACCEPT', code: 'invalid-value', testMisses: true },
  { table: 'filter', rule: '-A INPUT -m recent --name «a/b» --set -j ACCEPT', code: 'invalid-value', testMisses: true },
  { table: 'filter', rule: '-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name «..» -j ACCEPT', code: 'invalid-value', testMisses: true },
  { table: 'filter', rule: '-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name "a b" -j ACCEPT', code: 'invalid-value' },
  { table: 'filter', rule: '-A OUTPUT -j IDLETIMER --timeout 10 --label «.»', code: 'invalid-value', testMisses: true },
  { table: 'filter', rule: '-A OUTPUT -j IDLETIMER --timeout 10 --label «""»', code: 'invalid-value', testMisses: true },
  { table: 'filter', rule: '-A OUTPUT -j IDLETIMER --timeout 10 --label a.b', code: 'invalid-value' },
];

function loads(tool: string, backend: 'legacy' | 'nft', text: string, testOnly = false): { ok: boolean; err: string } {
  const r = ns.run([`${tool}-${backend}-restore`, ...(testOnly ? ['--test'] : [])], text);
  return { ok: r.ok, err: r.err.trim().split('\n')[0] ?? '' };
}

test('combinations iptables or the kernel refuses are reported where they are refused, and nowhere else', { skip }, () => {
  for (const c of CASES) {
    const tool = c.tool ?? 'iptables';
    const marked = c.rule.match(/«([^»]*)»/)?.[1];
    const rule = c.rule.replace(/[«»]/g, '');
    const text = `*${c.table}\n${rule}\nCOMMIT\n`;
    const family = tool === 'ip6tables' ? 'ipv6' : 'ipv4';
    const found = new FirewallDocument(text, { fileName: family === 'ipv6' ? 'rules.v6' : 'rules.v4', family })
      .diagnostics()
      .filter((d) => d.code === c.code)
      .map((d) => [d.severity, text.slice(d.span.start, d.span.end)]);
    assert.deepEqual(found, marked === undefined ? [] : [[c.severity ?? 'error', marked]], `${tool} ${rule}`);
    for (const backend of ['legacy', 'nft'] as const) {
      const r = loads(tool, backend, text);
      assert.equal(r.ok, marked === undefined, `${tool}-${backend}-restore ${rule}: ${r.err}`);
    }
    if (c.testMisses) assert.ok(loads(tool, 'nft', text, true).ok, `${tool}-nft-restore --test passes ${rule}`);
  }
});
