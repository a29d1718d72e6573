/**
 * Rules for the oracle: valid rules in the tables and chains where they belong, and
 * mutations of them that iptables should refuse (or, sometimes, accept): a misspelt option,
 * a bad value, the wrong table or chain, a missing match. Deterministic for a seed.
 */
export interface GeneratedCase {
  family: 'ipv4' | 'ipv6';
  table: string;
  chain: string;
  rule: string;
  kind: string;
}

interface Template {
  table: string;
  chain: string;
  rule: string;
  family?: 'ipv4' | 'ipv6';
}

const templates: Template[] = [
  { table: 'filter', chain: 'INPUT', rule: '-p tcp --dport 22 -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-s 10.0.0.0/8 -i eth0 -j DROP' },
  { table: 'filter', chain: 'INPUT', rule: '-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-m state --state NEW -p tcp --syn -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-p udp -m multiport --dports 53,67:68 -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-p icmp --icmp-type echo-request -m limit --limit 5/second --limit-burst 10 -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-p tcp --dport 25 -j REJECT --reject-with tcp-reset' },
  { table: 'filter', chain: 'INPUT', rule: '-p tcp -m conntrack --ctstate INVALID -j REJECT --reject-with tcp-reset' },
  { table: 'filter', chain: 'INPUT', rule: '-m iprange --src-range 192.168.1.10-192.168.1.50 -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-m mark --mark 0x1/0xff -j LOG --log-prefix "marked: " --log-level 4' },
  { table: 'filter', chain: 'INPUT', rule: '-m comment --comment "allow dns" -p udp --sport 53 -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-m addrtype --dst-type LOCAL -m pkttype --pkt-type unicast -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-p tcp -m tcp --tcp-flags SYN,RST,ACK,FIN SYN -m hashlimit --hashlimit-above 10/minute --hashlimit-mode srcip --hashlimit-name synflood -j DROP' },
  { table: 'filter', chain: 'INPUT', rule: '-p tcp --dport 22 -m recent --set --name ssh --rsource' },
  { table: 'filter', chain: 'INPUT', rule: '-m length --length 1000:1500 -m ttl --ttl-lt 5 -j DROP' },
  { table: 'filter', chain: 'INPUT', rule: '-m time --timestart 08:00 --timestop 18:00 --weekdays Mon,Tue,Wed -j ACCEPT' },
  { table: 'filter', chain: 'INPUT', rule: '-m mac --mac-source 00:11:22:33:44:55 -j ACCEPT' },
  { table: 'filter', chain: 'FORWARD', rule: '-i eth0 -o eth1 -p tcp -d 192.168.1.100 --dport 8080 -m conntrack --ctstate NEW -j ACCEPT' },
  { table: 'filter', chain: 'FORWARD', rule: '-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu' },
  { table: 'filter', chain: 'FORWARD', rule: '-m physdev --physdev-is-bridged -j ACCEPT' },
  { table: 'filter', chain: 'FORWARD', rule: '-p tcp -m string --algo bm --string "GET /" -j DROP' },
  { table: 'filter', chain: 'FORWARD', rule: '-m connlimit --connlimit-above 20 --connlimit-mask 24 -p tcp --syn -j REJECT' },
  { table: 'filter', chain: 'OUTPUT', rule: '-m owner --uid-owner 0 -j ACCEPT' },
  { table: 'filter', chain: 'OUTPUT', rule: '-o lo -j ACCEPT' },
  { table: 'filter', chain: 'OUTPUT', rule: '-p tcp -m multiport --sports 80,443 -m dscp --dscp-class AF41 -j ACCEPT' },
  { table: 'nat', chain: 'PREROUTING', rule: '-i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080' },
  { table: 'nat', chain: 'PREROUTING', rule: '-p tcp --dport 80 -j REDIRECT --to-ports 3128' },
  { table: 'nat', chain: 'OUTPUT', rule: '-d 10.1.2.3 -p udp --dport 53 -j DNAT --to-destination 127.0.0.1:5353' },
  { table: 'nat', chain: 'POSTROUTING', rule: '-o eth0 -j MASQUERADE' },
  { table: 'nat', chain: 'POSTROUTING', rule: '-s 192.168.0.0/16 -o eth0 -j SNAT --to-source 203.0.113.5' },
  { table: 'nat', chain: 'POSTROUTING', rule: '-m statistic --mode random --probability 0.5 -j MASQUERADE --random' },
  { table: 'mangle', chain: 'PREROUTING', rule: '-i eth1 -j MARK --set-mark 0x2' },
  { table: 'mangle', chain: 'PREROUTING', rule: '-j CONNMARK --restore-mark' },
  { table: 'mangle', chain: 'POSTROUTING', rule: '-p udp --dport 5060 -j DSCP --set-dscp-class EF' },
  { table: 'mangle', chain: 'POSTROUTING', rule: '-o eth0 -j TTL --ttl-set 64' },
  { table: 'mangle', chain: 'OUTPUT', rule: '-p tcp --dport 22 -j TOS --set-tos Minimize-Delay' },
  { table: 'mangle', chain: 'FORWARD', rule: '-o eth0 -j CLASSIFY --set-class 1:10' },
  { table: 'raw', chain: 'PREROUTING', rule: '-p udp --dport 53 -j CT --notrack' },
  { table: 'raw', chain: 'OUTPUT', rule: '-p tcp --dport 80 -j TRACE' },
  { table: 'filter', chain: 'INPUT', rule: '-s 2001:db8::/32 -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT', family: 'ipv6' },
  { table: 'filter', chain: 'INPUT', rule: '-m hl --hl-eq 255 -p ipv6-icmp -j ACCEPT', family: 'ipv6' },
  { table: 'filter', chain: 'INPUT', rule: '-p tcp --dport 443 -j REJECT --reject-with icmp6-adm-prohibited', family: 'ipv6' },
  { table: 'nat', chain: 'PREROUTING', rule: '-p tcp --dport 80 -j DNAT --to-destination [2001:db8::10]:8080', family: 'ipv6' },
  { table: 'filter', chain: 'INPUT', rule: '-m frag --fragmore -j DROP', family: 'ipv6' },
];

/** A small seeded generator (mulberry32): the same seed gives the same cases. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const typos: [RegExp, string][] = [
  [/--dport/, '--dprt'], [/--ctstate/, '--ctsate'], [/--to-destination/, '--to-destinaton'], [/--log-prefix/, '--log-prefx'],
  [/-m conntrack/, '-m conntrak'], [/-m multiport/, '-m multiports'], [/-j ACCEPT/, '-j ACCPET'], [/-j MASQUERADE/, '-j MASQERADE'],
  [/-j DROP/, '-j drop'], [/--set-mark/, '--set-mrk'], [/--limit /, '--limt '],
];
const badValues: [RegExp, string][] = [
  [/(-p tcp.*--dport )\d+/, '$170000'], [/--dport \d+/, '--dport 0x1g'], [/10\.0\.0\.0\/8/, '10.0.0.0/33'], [/192\.168\.1\.100/, '192.168.1.300'],
  [/ESTABLISHED,RELATED/, 'ESTABLISHED,RELATD'], [/--state NEW/, '--state NEWS'], [/5\/second/, '5/fortnight'], [/0x1\/0xff/, '0x1/0x1ffffffff'],
  [/echo-request/, 'echo-requets'], [/--log-level 4/, '--log-level 9'], [/53,67:68/, '53,67:68,1,2,3,4,5,6,7,8,9,10,11,12,13'], [/-i eth0/, '-i eth+0'],
  [/tcp-reset/, 'tcp-rst'], [/AF41/, 'AF45'], [/--ttl-set 64/, '--ttl-set 300'], [/08:00/, '25:00'], [/Mon,Tue,Wed/, 'Mon,Tue,Wed,Funday'],
  [/00:11:22:33:44:55/, '00:11:22:33:44'], [/8080/, '80800'], [/203\.0\.113\.5/, '203.0.113'], [/-p tcp/, '-p tpc'], [/-p udp/, '-p udpp'],
];
const wrongPlaces: { match: RegExp; table: string; chain: string }[] = [
  { match: /-j DNAT/, table: 'filter', chain: 'FORWARD' },
  { match: /-j DNAT/, table: 'nat', chain: 'POSTROUTING' },
  { match: /-j MASQUERADE/, table: 'nat', chain: 'PREROUTING' },
  { match: /-j SNAT/, table: 'nat', chain: 'PREROUTING' },
  { match: /-j REDIRECT/, table: 'nat', chain: 'POSTROUTING' },
  { match: /-j REJECT/, table: 'nat', chain: 'OUTPUT' },
  { match: /-j REJECT/, table: 'mangle', chain: 'INPUT' },
  { match: /-j (DSCP|TTL|TOS|CLASSIFY)/, table: 'filter', chain: 'OUTPUT' },
  { match: /-j CT/, table: 'filter', chain: 'INPUT' },
  { match: /-m owner/, table: 'filter', chain: 'INPUT' },
  { match: /-j MARK/, table: 'raw', chain: 'INPUT' },
  { match: / -o /, table: 'filter', chain: 'INPUT' },
  { match: / -i /, table: 'filter', chain: 'OUTPUT' },
];
/** Options of iptables itself written into a rule line: the listing ones are refused with -A, `-v` and `-c` are not. */
const toolOptions = ['-n', '-x', '--line-numbers', '-v', '-c 5 10', '-nv'];
const missingMatch: [RegExp, string][] = [
  [/-p tcp /, ''], [/-p udp /, ''], [/-m conntrack /, ''], [/-m multiport /, ''], [/-m mark /, ''], [/-m iprange /, ''], [/-m state /, ''], [/-m limit /, ''],
];

export function generateCases(count: number, seed = 20261124): GeneratedCase[] {
  const rand = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const out: GeneratedCase[] = [];
  const add = (t: Template, rule: string, kind: string, table = t.table, chain = t.chain) => out.push({ family: t.family ?? 'ipv4', table, chain, rule, kind });
  for (const t of templates) add(t, t.rule, 'valid');
  while (out.length < count) {
    const t = pick(templates);
    const r = rand();
    if (r < 0.25) {
      add(t, t.rule, 'valid');
    } else if (r < 0.45) {
      const [re, to] = pick(typos);
      if (re.test(t.rule)) add(t, t.rule.replace(re, to), 'typo');
    } else if (r < 0.7) {
      const [re, to] = pick(badValues);
      if (re.test(t.rule)) add(t, t.rule.replace(re, to), 'bad-value');
    } else if (r < 0.85) {
      const w = pick(wrongPlaces);
      if (w.match.test(t.rule)) add(t, t.rule, 'wrong-place', w.table, w.chain);
    } else if (r < 0.9) {
      add(t, `${pick(toolOptions)} ${t.rule}`, 'tool-option');
    } else {
      const [re, to] = pick(missingMatch);
      if (re.test(t.rule)) add(t, t.rule.replace(re, to), 'missing-match');
    }
  }
  return out;
}
