import { FirewallDocument } from '../../server/src/core/facade.ts';
import { traceLenses } from '../../server/src/core/services/codeLens.ts';

/**
 * Rule sets for the router of the kernel lab (wan0 10.200.1.1 towards the client
 * 10.200.1.2, lan0 10.200.2.1 towards the server 10.200.2.2) and the packet sent in each.
 * `packet` is the trace SPEC of the first packet; `send` is what the lab really sends. The
 * client's source port is the scenario's own (the test adds `sport=` to `packet` and
 * `dport=` to `reply`).
 */
export interface Scenario {
  name: string;
  rules: string;
  packet: string;
  send: { from: 'client' | 'router'; proto: 'tcp' | 'udp'; dst: string; dport: number };
  /**
   * The trace SPEC of the answer (SYN-ACK, UDP reply) as the router sees it: ESTABLISHED,
   * from the address and port that answered, to the client's real address (conntrack undoes
   * source NAT in PREROUTING, destination NAT only in POSTROUTING). Its verdict and deciding
   * rules are checked against the kernel like the first packet's.
   */
  reply?: string;
  /** The server has no route back, so only source NAT makes the connection work. */
  noRouteBack?: boolean;
  /** The router's ipsets, as `ipset save` prints them: restored before the rules, and the trace reads their members. */
  ipsets?: string;
  /** Rules for ip6tables-restore and traffic over the lab's IPv6 addresses (IPv4 when absent). */
  family?: 'ipv6';
}

const fwd = 'in=wan0 out=lan0 src=10.200.1.2 local=10.200.1.1,10.200.2.1';
const nat = (body: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${body}COMMIT\n`;
const filter = (policy: { input?: string; forward?: string; output?: string }, body: string, chains = '') =>
  `*filter\n:INPUT ${policy.input ?? 'ACCEPT'} [0:0]\n:FORWARD ${policy.forward ?? 'ACCEPT'} [0:0]\n:OUTPUT ${policy.output ?? 'ACCEPT'} [0:0]\n${chains}${body}COMMIT\n`;
const est = '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';
const toServer = (dport: number, proto: 'tcp' | 'udp' = 'tcp') => ({ packet: `${fwd} proto=${proto} dst=10.200.2.2 dport=${dport}`, send: { from: 'client' as const, proto, dst: '10.200.2.2', dport } });
const toRouter = (dport: number) => ({ packet: `${fwd.replace('out=lan0 ', '')} proto=tcp dst=10.200.1.1 dport=${dport}`, send: { from: 'client' as const, proto: 'tcp' as const, dst: '10.200.1.1', dport } });
const forwarded = (dport: number, proto: 'tcp' | 'udp' = 'tcp') => ({ packet: `${fwd} proto=${proto} dst=10.200.1.1 dport=${dport}`, send: { from: 'client' as const, proto, dst: '10.200.1.1', dport } });
const fromServer = (sport: number, proto: 'tcp' | 'udp' = 'tcp') => `in=lan0 out=wan0 src=10.200.2.2 local=10.200.1.1,10.200.2.1 proto=${proto} sport=${sport} dst=10.200.1.2 state=ESTABLISHED`;
const newTo80 = '-A FORWARD -i wan0 -o lan0 -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT\n';
/** The packet the editor's "Trace from here" lens traces for the rule set's first DNAT or REDIRECT rule. */
const lensPacket = (rules: string) => traceLenses(new FirewallDocument(rules, { dialect: 'save' }).ruleSet)[0].spec;
const redirect80 = nat('-A PREROUTING -i wan0 -p tcp --dport 80 -j REDIRECT --to-ports 3128\n') + filter({ input: 'DROP', forward: 'DROP' }, '-A INPUT -p tcp --dport 3128 -j ACCEPT\n');
const dnat80 = nat('-A PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 10.200.2.2:8080\n');

// the same over IPv6: client fd00:200:1::2, router wan0 fd00:200:1::1 and lan0 fd00:200:2::1, server fd00:200:2::2
const fwd6 = 'in=wan0 out=lan0 src=fd00:200:1::2 local=fd00:200:1::1,fd00:200:2::1';
const toServer6 = (dport: number, proto: 'tcp' | 'udp' = 'tcp') => ({ family: 'ipv6' as const, packet: `${fwd6} proto=${proto} dst=fd00:200:2::2 dport=${dport}`, send: { from: 'client' as const, proto, dst: 'fd00:200:2::2', dport } });
const toRouter6 = (dport: number) => ({ family: 'ipv6' as const, packet: `${fwd6.replace('out=lan0 ', '')} proto=tcp dst=fd00:200:1::1 dport=${dport}`, send: { from: 'client' as const, proto: 'tcp' as const, dst: 'fd00:200:1::1', dport } });
const forwarded6 = (dport: number, proto: 'tcp' | 'udp' = 'tcp') => ({ family: 'ipv6' as const, packet: `${fwd6} proto=${proto} dst=fd00:200:1::1 dport=${dport}`, send: { from: 'client' as const, proto, dst: 'fd00:200:1::1', dport } });
const fromServer6 = (sport: number, proto: 'tcp' | 'udp' = 'tcp') => `in=lan0 out=wan0 src=fd00:200:2::2 local=fd00:200:1::1,fd00:200:2::1 proto=${proto} sport=${sport} dst=fd00:200:1::2 state=ESTABLISHED`;
const dnat6 = nat('-A PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination [fd00:200:2::2]:8080\n');

export const scenarios: Scenario[] = [
  { name: 'no rules: routed', rules: filter({}, ''), ...toServer(80) },
  { name: 'FORWARD policy DROP', rules: filter({ forward: 'DROP' }, ''), ...toServer(80) },
  { name: 'FORWARD accept for the port', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -i wan0 -o lan0 -p tcp --dport 80 -j ACCEPT\n`), ...toServer(80) },
  { name: 'working port forward', rules: dnat80 + filter({ forward: 'DROP' }, `${est}-A FORWARD -i wan0 -o lan0 -p tcp -d 10.200.2.2 --dport 8080 -j ACCEPT\n`), ...forwarded(80), reply: fromServer(8080) },
  { name: 'ESTABLISHED reply accepted by the conntrack rule', rules: filter({ forward: 'DROP' }, est + newTo80), ...toServer(80), reply: fromServer(80) },
  { name: 'no ESTABLISHED rule: the SYN passes, the reply meets the DROP policy', rules: filter({ forward: 'DROP' }, newTo80), ...toServer(80), reply: fromServer(80) },
  { name: 'ESTABLISHED rule after a broad DROP for the server: the reply is dropped', rules: filter({}, `${newTo80}-A FORWARD -s 10.200.2.2 -j DROP\n${est}`), ...toServer(80), reply: fromServer(80) },
  { name: "the router's own answers: OUTPUT policy DROP, ESTABLISHED accepted", rules: filter({ input: 'DROP', output: 'DROP' }, '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n'), ...toRouter(22), reply: 'origin=local out=wan0 src=10.200.1.1 local=10.200.1.1,10.200.2.1 proto=tcp sport=22 dst=10.200.1.2 state=ESTABLISHED' },
  { name: 'port forward, FORWARD accepts the public port (the mistake)', rules: dnat80 + filter({ forward: 'DROP' }, `${est}-A FORWARD -i wan0 -o lan0 -p tcp -d 10.200.2.2 --dport 80 -j ACCEPT\n`), ...forwarded(80) },
  { name: 'port forward, FORWARD policy ACCEPT', rules: dnat80 + filter({}, ''), ...forwarded(80) },
  { name: 'port forward, FORWARD drops it', rules: dnat80 + filter({}, `${est}-A FORWARD -i wan0 -j DROP\n`), ...forwarded(80) },
  { name: 'REJECT with tcp-reset', rules: filter({}, '-A FORWARD -p tcp --dport 80 -j REJECT --reject-with tcp-reset\n'), ...toServer(80) },
  { name: 'REJECT with the default ICMP error', rules: filter({}, '-A FORWARD -p tcp --dport 80 -j REJECT\n'), ...toServer(80) },
  { name: 'DROP rule', rules: filter({}, '-A FORWARD -p tcp --dport 80 -j DROP\n'), ...toServer(80) },
  { name: 'user chain returns, policy drops', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -j check\n-A check -s 10.200.1.0/24 -j RETURN\n-A check -j ACCEPT\n`, ':check - [0:0]\n'), ...toServer(80) },
  { name: 'user chain accepts', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -j check\n-A check -s 10.200.1.0/24 -p tcp --dport 80 -j ACCEPT\n-A check -j RETURN\n`, ':check - [0:0]\n'), ...toServer(80) },
  { name: 'goto: the end of the chain goes back past the caller to the policy', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -g web\n-A FORWARD -j ACCEPT\n-A web -p tcp --dport 81 -j ACCEPT\n`, ':web - [0:0]\n'), ...toServer(80) },
  { name: 'jump: the end of the chain returns to the caller', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -j web\n-A FORWARD -j ACCEPT\n-A web -p tcp --dport 81 -j ACCEPT\n`, ':web - [0:0]\n'), ...toServer(80) },
  { name: 'nested user chains', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -j a\n-A a -j b\n-A b -p tcp --dport 80 -j ACCEPT\n`, ':a - [0:0]\n:b - [0:0]\n'), ...toServer(80) },
  { name: 'SNAT makes the return route work', rules: nat('-A POSTROUTING -o lan0 -j SNAT --to-source 10.200.2.1\n') + filter({}, ''), ...toServer(80), noRouteBack: true },
  { name: 'MASQUERADE makes the return route work', rules: nat('-A POSTROUTING -o lan0 -j MASQUERADE\n') + filter({}, ''), ...toServer(80), noRouteBack: true },
  { name: 'INPUT policy DROP', rules: filter({ input: 'DROP' }, ''), ...toRouter(22) },
  { name: 'INPUT accept for ssh', rules: filter({ input: 'DROP' }, '-A INPUT -p tcp --dport 22 -j ACCEPT\n'), ...toRouter(22) },
  { name: 'interface wildcard', rules: filter({ input: 'DROP' }, '-A INPUT -i wan+ -p tcp --dport 22 -j ACCEPT\n'), ...toRouter(22) },
  { name: 'negated source (the lab\'s networks are let through both ways)', rules: filter({}, '-A FORWARD ! -s 10.200.0.0/16 -j DROP\n'), ...toServer(80) },
  { name: 'negated source that drops the client', rules: filter({}, '-A FORWARD ! -s 10.200.2.0/24 -p tcp --dport 80 -j DROP\n'), ...toServer(80) },
  { name: 'multiport', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -p tcp -m multiport --dports 22,80 -j ACCEPT\n`), ...toServer(80) },
  { name: 'iprange drop', rules: filter({}, '-A FORWARD -m iprange --src-range 10.200.1.2-10.200.1.9 -j DROP\n'), ...toServer(80) },
  { name: 'REDIRECT to a local port', rules: nat('-A PREROUTING -i wan0 -p tcp --dport 80 -j REDIRECT --to-ports 3128\n') + filter({}, ''), ...toRouter(80) },
  { name: 'REDIRECT traced as its lens does (no destination, no host addresses): INPUT, not FORWARD', rules: redirect80, packet: lensPacket(redirect80), send: { from: 'client', proto: 'tcp', dst: '10.200.1.1', dport: 80 } },
  { name: 'INPUT: filter drops before nat INPUT (source NAT) is reached', rules: nat('-A INPUT -p tcp --dport 22 -j SNAT --to-source 10.200.1.1\n') + filter({}, '-A INPUT -p tcp --dport 22 -j DROP\n'), ...toRouter(22) },
  { name: 'INPUT: filter accepts, then nat INPUT rewrites the source', rules: nat('-A INPUT -p tcp --dport 22 -j SNAT --to-source 10.200.1.1\n') + filter({ input: 'DROP' }, '-A INPUT -p tcp --dport 22 -j ACCEPT\n'), ...toRouter(22) },
  { name: 'LOG does not decide', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -j LOG --log-prefix "fwd: "\n-A FORWARD -p tcp --dport 80 -j ACCEPT\n`), ...toServer(80) },
  { name: 'mangle marks, filter decides', rules: '*mangle\n-A PREROUTING -i wan0 -j MARK --set-mark 0x1\nCOMMIT\n' + filter({ forward: 'DROP' }, `${est}-A FORWARD -p tcp --dport 80 -j ACCEPT\n`), ...toServer(80) },
  { name: 'OUTPUT from the router rejected', rules: filter({}, '-A OUTPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset\n'), packet: 'origin=local out=lan0 src=10.200.2.1 proto=tcp dst=10.200.2.2 dport=80 local=10.200.1.1,10.200.2.1', send: { from: 'router', proto: 'tcp', dst: '10.200.2.2', dport: 80 } },
  { name: 'UDP port forward', rules: nat('-A PREROUTING -i wan0 -p udp --dport 53 -j DNAT --to-destination 10.200.2.2:5353\n') + filter({ forward: 'DROP' }, `${est}-A FORWARD -p udp -d 10.200.2.2 --dport 5353 -j ACCEPT\n`), ...forwarded(53, 'udp'), reply: fromServer(5353, 'udp') },
  { name: 'UDP dropped in FORWARD', rules: filter({}, '-A FORWARD -p udp --dport 53 -j DROP\n'), ...toServer(53, 'udp') },
  // set matches decided by the members of the router's sets
  { name: 'ipset allowlist: the client\'s network is in the set', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -p tcp --dport 80 -m set --match-set allow src -j ACCEPT\n`), ipsets: 'create allow hash:net family inet\nadd allow 10.200.1.0/24\n', ...toServer(80), reply: fromServer(80) },
  { name: 'ipset allowlist: the client is not in the set', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -p tcp --dport 80 -m set --match-set allow src -j ACCEPT\n`), ipsets: 'create allow hash:net family inet\nadd allow 10.200.9.0/24\n', ...toServer(80) },
  { name: 'ipset blocklist negated: a client not in it is let through', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -m set ! --match-set block src -p tcp --dport 80 -j ACCEPT\n-A FORWARD -j DROP\n`), ipsets: 'create block hash:ip family inet\nadd block 10.200.1.99\n', ...toServer(80) },
  // raw's NOTRACK: the packet is UNTRACKED from there on, and nat does not see it
  { name: 'NOTRACK: FORWARD accepts only NEW connections, the untracked packet meets the policy', rules: '*raw\n-A PREROUTING -i wan0 -p tcp --dport 80 -j NOTRACK\nCOMMIT\n' + filter({ forward: 'DROP' }, '-A FORWARD -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT\n'), ...toServer(80) },
  { name: 'CT --notrack: FORWARD accepts UNTRACKED', rules: '*raw\n-A PREROUTING -i wan0 -p tcp --dport 80 -j CT --notrack\nCOMMIT\n' + filter({}, '-A FORWARD -p tcp --dport 80 -m conntrack --ctstate UNTRACKED -j ACCEPT\n-A FORWARD -p tcp --dport 80 -j DROP\n'), ...toServer(80) },
  { name: 'NOTRACK: the port forward\'s DNAT never sees the packet, the router answers it', rules: '*raw\n-A PREROUTING -i wan0 -p tcp --dport 80 -j NOTRACK\nCOMMIT\n' + dnat80 + filter({}, ''), ...forwarded(80) },
  { name: 'NOTRACK: the forwarded packet skips the MASQUERADE and reaches the server from the client\'s own address', rules: '*raw\n-A PREROUTING -i wan0 -p tcp --dport 80 -j NOTRACK\nCOMMIT\n' + nat('-A POSTROUTING -o lan0 -j MASQUERADE\n') + filter({}, ''), ...toServer(80) },
  { name: 'ipset of servers by destination, a range', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -m set --match-set servers dst -j ACCEPT\n`), ipsets: 'create servers bitmap:ip range 10.200.2.0/24\nadd servers 10.200.2.1-10.200.2.9\n', ...toServer(80) },
  // IPv6, loaded with ip6tables-restore
  { name: 'IPv6: no rules: routed', rules: filter({}, ''), ...toServer6(80) },
  { name: 'IPv6: FORWARD policy DROP', rules: filter({ forward: 'DROP' }, ''), ...toServer6(80) },
  { name: 'IPv6: ESTABLISHED reply accepted by the conntrack rule', rules: filter({ forward: 'DROP' }, est + newTo80), ...toServer6(80), reply: fromServer6(80) },
  { name: 'IPv6: no ESTABLISHED rule: the reply meets the DROP policy', rules: filter({ forward: 'DROP' }, newTo80), ...toServer6(80), reply: fromServer6(80) },
  { name: 'IPv6: REJECT with the default ICMPv6 error', rules: filter({}, '-A FORWARD -p tcp --dport 80 -j REJECT\n'), ...toServer6(80) },
  { name: 'IPv6: REJECT with tcp-reset', rules: filter({}, '-A FORWARD -p tcp --dport 80 -j REJECT --reject-with tcp-reset\n'), ...toServer6(80) },
  { name: 'IPv6: INPUT policy DROP', rules: filter({ input: 'DROP' }, ''), ...toRouter6(22) },
  { name: 'IPv6: INPUT accepts ssh', rules: filter({ input: 'DROP' }, '-A INPUT -p tcp --dport 22 -j ACCEPT\n'), ...toRouter6(22) },
  { name: 'IPv6: negated source that drops the client', rules: filter({}, '-A FORWARD ! -s fd00:200:2::/64 -p tcp --dport 80 -j DROP\n'), ...toServer6(80) },
  { name: 'IPv6: negated source, the lab\'s networks let through', rules: filter({}, '-A FORWARD ! -s fd00:200::/32 -j DROP\n'), ...toServer6(80) },
  { name: 'IPv6: port forward to the server', rules: dnat6 + filter({ forward: 'DROP' }, `${est}-A FORWARD -i wan0 -o lan0 -p tcp -d fd00:200:2::2 --dport 8080 -j ACCEPT\n`), ...forwarded6(80), reply: fromServer6(8080) },
  { name: 'IPv6: port forward, FORWARD accepts the public port (the mistake)', rules: dnat6 + filter({ forward: 'DROP' }, `${est}-A FORWARD -i wan0 -o lan0 -p tcp -d fd00:200:2::2 --dport 80 -j ACCEPT\n`), ...forwarded6(80) },
  { name: 'IPv6: MASQUERADE makes the return route work', rules: nat('-A POSTROUTING -o lan0 -j MASQUERADE\n') + filter({}, ''), ...toServer6(80), noRouteBack: true },
  { name: 'IPv6: UDP dropped in FORWARD', rules: filter({}, '-A FORWARD -p udp --dport 53 -j DROP\n'), ...toServer6(53, 'udp') },
  { name: 'IPv6: UDP accepted, reply by the conntrack rule', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -p udp --dport 53 -j ACCEPT\n`), ...toServer6(53, 'udp'), reply: fromServer6(53, 'udp') },
  { name: 'IPv6: ipset allowlist of the client\'s network', rules: filter({ forward: 'DROP' }, `${est}-A FORWARD -p tcp --dport 80 -m set --match-set allow6 src -j ACCEPT\n`), ipsets: 'create allow6 hash:net family inet6\nadd allow6 fd00:200:1::/64\n', ...toServer6(80) },
  { name: 'IPv6: NOTRACK, FORWARD accepts only NEW connections', rules: '*raw\n-A PREROUTING -i wan0 -p tcp --dport 80 -j NOTRACK\nCOMMIT\n' + filter({ forward: 'DROP' }, '-A FORWARD -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT\n'), ...toServer6(80) },
];
