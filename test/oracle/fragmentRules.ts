/**
 * Rules put together at random from fragments: a protocol, addresses and interfaces, ports,
 * matches and a target, each fragment valid or not, in any table and built-in chain, for
 * iptables or ip6tables. Unlike ruleGenerator's templates, nothing keeps the pieces apart:
 * a protocol and a match of the other family, a parameter given twice, a target in a hook it
 * does not work in. Deterministic for a seed.
 */
export interface FragmentRule {
  tool: 'iptables' | 'ip6tables';
  table: string;
  /** The whole command: `iptables -t nat -A PREROUTING …`. */
  line: string;
}

const CHAINS: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

const PROTOCOLS = ['', '', '-p tcp', '-p tcp', '-p udp', '-p icmp', '-p all', '! -p tcp', '-p sctp', '-p 6', '-p ipv6-icmp', '-p icmpv6', '-p udplite', '-p esp', '-p tcp -p udp'];

const PARAMETERS = [
  '-s 10.0.0.0/8', '-d 192.168.1.300', '-s 10.0.0.1/33', '! -s 10.1.2.3', '-d ::1', '-s 2001:db8::/32', '-d 10.200.0.0/16', '-s 0/0', '-d ::/0', '-s 0.0.0.0/0',
  '-i eth0', '-o eth0', '-i eth+', '-i averyverylongname0', '-o lo', '! -i lo', '-i eth0.100', '-s 10.0.0.1,10.0.0.2', '-f',
];

const PORTS = ['--dport 22', '--sport 1024:65535', '--dport 0:70000', '--dport ssh', '--dport 80,443', '--dport 22:', '! --dport 22', '--sport 65536', '--dport 5:3', '--dport 0x10'];

const MATCHES = [
  '-m multiport --dports 1,2,3', '-m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16', '-m multiport --ports 80:90,100', '-m multiport --dports 1:2:3',
  '-m conntrack --ctstate NEW,ESTABLISHED', '-m conntrack --ctstate BOGUS', '-m conntrack --ctstate DNAT', '-m conntrack --ctorigdst 10.0.0.1', '-m conntrack --ctproto tcp --ctorigdstport 80', '-m conntrack --ctorigdstport 70000',
  '-m state --state INVALID', '-m state --state UNTRACKED', '-m state',
  '-m limit --limit 5/min --limit-burst 10', '-m limit --limit 0/sec', '-m limit --limit 10000/sec', '-m limit --limit 5/week', '-m limit --limit-burst 20000',
  '-m comment --comment "x"', `-m comment --comment "${'c'.repeat(300)}"`, '-m comment',
  '-m mac --mac-source 00:11:22:33:44:55', '-m mac --mac-source 00:11:22:33:44', '-m owner --uid-owner 0', '-m owner --gid-owner 0 --suppl-groups', '-m owner --socket-exists',
  '-m iprange --src-range 10.0.0.1-10.0.0.9', '-m iprange --dst-range 10.0.0.9-10.0.0.1', '-m addrtype --dst-type LOCAL', '-m addrtype --src-type BOGUS', '-m addrtype --dst-type LOCAL --limit-iface-in',
  '-m tcp --syn', '--tcp-flags SYN,ACK SYN', '--syn', '-m tcp --tcp-flags BOGUS SYN', '-m tcp --tcp-option 2', '-m udp --dport 53', '-m icmp --icmp-type echo-request', '--icmp-type 3/4', '--icmp-type bogus', '-m icmp6 --icmpv6-type echo-request',
  '-m length --length 0:1500', '-m length --length 70000', '-m ttl --ttl-gt 5', '-m ttl --ttl-eq 300', '-m hl --hl-eq 5',
  '-m recent --name x --rcheck --seconds 60', '-m recent --set', '-m recent --update --hitcount 100', '-m recent --rcheck --reap', '-m recent --rcheck --mask 24', '-m recent --rcheck --mask ffff::',
  '-m hashlimit --hashlimit-upto 5/sec --hashlimit-name h1', '-m hashlimit --hashlimit-upto 5/sec', '-m hashlimit --hashlimit-name h2 --hashlimit-above 1/min --hashlimit-mode srcip,dstport',
  '-m connlimit --connlimit-above 10', '-m connlimit --connlimit-above 10 --connlimit-mask 33', '-m connlimit --connlimit-above 1 --connlimit-mask 255.255.255.0',
  '-m string --string foo --algo bm', '-m string --string foo', '-m string --algo kmp --hex-string "|00|"',
  '-m pkttype --pkt-type broadcast', '-m pkttype --pkt-type bogus', '-m rpfilter', '-m rpfilter --invert', '-m socket', '-m socket --transparent', '-m realm --realm 1',
  '-m statistic --mode random --probability 0.5', '-m statistic --mode nth --every 2', '-m statistic --mode random --probability 1.5', '-m statistic --mode nth --packet 3',
  '-m time --timestart 09:00 --timestop 17:00', '-m time --weekdays Mo,Tu', '-m time --timestart 25:00', '-m dscp --dscp 10', '-m dscp --dscp 64', '-m dscp --dscp-class EF', '-m tos --tos 0x10',
  '-m mark --mark 1', '-m mark --mark 0x1/0xff', '-m connmark --mark 2', '-m helper --helper ftp', '-m bogus', '-m physdev --physdev-in eth0', '-m physdev --physdev-is-bridged', '-m physdev --physdev-out eth0',
  '-m devgroup --src-group 1', '-m cpu --cpu 0', '-m quota --quota 1000', '-m ecn --ecn-tcp-cwr', '-m dccp --dport 1', '-m sctp --dport 1', '-m ah --ahspi 1', '-m esp --espspi 1', '-m frag --fragid 1',
  '-m cluster --cluster-total-nodes 2 --cluster-local-node 1', '-m connbytes --connbytes 10 --connbytes-dir both --connbytes-mode bytes',
  '-m tcpmss --mss 1000:1500', '-m policy --dir in --pol none', '-m policy --dir out --pol none', '-m policy --pol ipsec', '-m u32 --u32 "0>>22&0x3C@0>>16=0x1"', '! -f',
];

const TARGETS = [
  '-j ACCEPT', '-j DROP', '-j RETURN', '', '-j ACCEPT -j DROP', '-j REJECT', '-j REJECT --reject-with tcp-reset', '-j REJECT --reject-with icmp-host-prohibited', '-j REJECT --reject-with icmp6-adm-prohibited', '-j REJECT --reject-with bogus',
  '-j LOG --log-prefix "x: " --log-level 4', '-j LOG --log-level bogus', `-j LOG --log-prefix "${'p'.repeat(40)}"`, '-j LOG --log-tcp-options --log-uid', '-j NFLOG --nflog-group 1', '-j NFLOG --nflog-prefix x --nflog-range 10',
  '-j DNAT --to-destination 10.200.0.2:80', '-j DNAT --to-destination 10.200.0.2', '-j DNAT', '-j DNAT --to-destination 10.200.0.2:80-90', '-j DNAT --to-destination [2001:db8::1]:80', '-j DNAT --to-destination 10.200.0.2-10.200.0.9',
  '-j SNAT --to-source 10.200.0.1', '-j SNAT', '-j SNAT --to-source 10.200.0.1:1024-2000', '-j MASQUERADE', '-j MASQUERADE --to-ports 1024-2000', '-j MASQUERADE --random', '-j REDIRECT --to-ports 8080', '-j REDIRECT', '-j NETMAP --to 10.1.0.0/16',
  '-j MARK --set-mark 1', '-j MARK', '-j MARK --set-xmark 0x1/0xff', '-j CONNMARK --save-mark', '-j CONNMARK --set-mark 1', '-j CONNMARK --restore-mark', '-j TCPMSS --clamp-mss-to-pmtu', '-j TCPMSS --set-mss 1400', '-j TCPMSS',
  '-j CT --notrack', '-j CT --zone 1', '-j NOTRACK', '-j TTL --ttl-set 64', '-j TTL --ttl-inc 1', '-j HL --hl-set 64', '-j DSCP --set-dscp 10', '-j DSCP --set-dscp-class EF', '-j TOS --set-tos 0x10',
  '-j CLASSIFY --set-class 1:1', '-j NFQUEUE --queue-num 1', '-j NFQUEUE --queue-balance 1:3', '-j TPROXY --on-port 1 --tproxy-mark 1', '-j TPROXY --on-port 1', '-j TPROXY --on-port 0x10 --tproxy-mark 1', '-j TRACE', '-j CHECKSUM --checksum-fill',
  '-j CONNSECMARK --save', '-j AUDIT --type accept', '-j IDLETIMER --timeout 10 --label x', '-j SYNPROXY --mss 1460 --wscale 7', '-j TEE --gateway 10.200.0.9', '-j ECN --ecn-tcp-remove', '-j HMARK --hmark-tuple src --hmark-mod 2',
  // each rule is flushed before the next: one estimator name serves them all
  '-j RATEEST --rateest-name q --rateest-interval 250ms --rateest-ewmalog 1s', '-j RATEEST --rateest-name q --rateest-interval 1s --rateest-ewmalog 1s', '-j RATEEST --rateest-name q --rateest-interval 9s --rateest-ewmalog 20s',
];

export function fragmentRules(seed: number, count: number): FragmentRule[] {
  let state = seed;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
  const pick = <T>(list: readonly T[]): T => list[rand(list.length)];
  const out: FragmentRule[] = [];
  for (let k = 0; k < count; k++) {
    const tool = rand(6) === 0 ? 'ip6tables' : 'iptables';
    const table = pick(Object.keys(CHAINS));
    const parts = [pick(PROTOCOLS)];
    for (let i = rand(3); i > 0; i--) parts.push(pick(PARAMETERS));
    if (rand(3) === 0) parts.push(pick(PORTS));
    for (let i = rand(3); i > 0; i--) parts.push(pick(MATCHES));
    parts.push(pick(TARGETS));
    out.push({ tool, table, line: [tool, '-t', table, '-A', pick(CHAINS[table]), ...parts.filter(Boolean)].join(' ') });
  }
  return out;
}
