import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { missingEstablishedRule } from './missing-established-rule.ts';

/** Docker's filter table, with `user` as the rules of DOCKER-USER. */
function docker(user: string): string {
  return table('filter', `:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -i docker0 ! -o docker0 -j ACCEPT\n-A FORWARD -i docker0 -o docker0 -j ACCEPT\n${user}\n-A DOCKER-USER -j RETURN`);
}

/** A router letting its LAN out through ppp0, its OUTPUT closed but for 443 and the replies accepted in `states`. */
const ROUTER_OUT = (states: string) => `iptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -i eth1 -o ppp0 -j ACCEPT\niptables -P OUTPUT DROP\niptables -A OUTPUT -m conntrack --ctstate ${states} -j ACCEPT\niptables -A OUTPUT -p tcp --dport 443 -j ACCEPT\n`;

ruleTable(missingEstablishedRule, {
  valid: [
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A LOGDROP -s 10.0.0.0/8 -j RETURN\n-A LOGDROP -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j LOGDROP'), name: 'the chain INPUT ends in sends some packets back (RETURN) to the ACCEPT policy' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A LOGDROP -m limit --limit 5/min -j LOG --log-prefix drop:\n-A LOGDROP -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p udp -j LOGDROP'), name: 'a jump of some packets only to the chain that drops' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT') },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j ACCEPT'), name: 'everything accepted (accepts-every-connection says so)' },
    { code: table('filter', ':INPUT DROP [0:0]\n:base - [0:0]\n-A INPUT -j base\n-A base -m state --state ESTABLISHED,RELATED -j ACCEPT'), name: 'in a chain it jumps to' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p icmp -j ACCEPT'), name: 'ESTABLISHED alone, but every ICMP accepted' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED -j ACCEPT'), name: 'RELATED accepted by a rule of its own' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p ipv6-icmp --icmpv6-type packet-too-big -j ACCEPT'), family: 'ipv6', name: 'IPv6: packet-too-big accepted' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j DROP') },
    { code: docker('-A DOCKER-USER -i eth0 -m conntrack --ctstate NEW -j DROP'), name: 'DOCKER-USER drops new connections from outside only' },
    { code: docker('-A DOCKER-USER -i eth0 -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN\n-A DOCKER-USER -i eth0 -j DROP'), name: 'DOCKER-USER hands replies back to FORWARD first' },
    { code: docker('-A DOCKER-USER -i eth0 ! -s 198.51.100.7 -j DROP'), name: 'DOCKER-USER drops all but one source: replies from it pass' },
    { code: docker('-A DOCKER-USER -i eth0 -o br-lab -j DROP'), name: 'a bridge nothing leaves from: no replies to drop' },
    { code: table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -i eth0 -j DROP\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A FORWARD -i eth1 -o eth2 -j ACCEPT'), name: 'nothing leaves through the interface dropped' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -i eth0 -s 10.0.0.0/8 -j DROP\n-A INPUT -i lo -j DROP\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'), name: 'spoofed sources dropped; lo left alone' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i eth0 -j DROP\n-A OUTPUT -o eth0 -j DROP'), name: 'an interface the host never talks on' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p icmp --icmp-type echo-request -j DROP\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'), name: 'ICMP echo requests and invalid packets dropped first: not the errors' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p icmp -j DROP'), name: 'ICMP dropped after RELATED is accepted' },
    { code: table('filter', ':INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'a server that forwards nothing: FORWARD DROP, no FORWARD rule' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n-A FORWARD -j REJECT --reject-with icmp-host-prohibited'), name: 'the RHEL layout: replies accepted first, FORWARD rejects everything' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -j DROP'), name: 'the last rule drops TCP only' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -i eth1 -m conntrack --ctstate INVALID -j DROP\n', dialect: 'script', name: 'FORWARD drops more and accepts nothing' },
    { code: 'ip6tables -P INPUT DROP\nip6tables -P FORWARD DROP\nip6tables -P OUTPUT DROP\n', dialect: 'script', name: 'IPv6 closed both ways on purpose: no connection, no reply to lose' },
    { code: ROUTER_OUT('ESTABLISHED,RELATED'), dialect: 'script', name: 'a router whose OUTPUT accepts RELATED: its own ICMP errors leave' },
    { code: ROUTER_OUT('ESTABLISHED') + 'iptables -A OUTPUT -p icmp -j ACCEPT\n', dialect: 'script', name: 'a router whose OUTPUT lets ICMP out' },
    { code: 'iptables -P FORWARD DROP\niptables -P OUTPUT DROP\niptables -A OUTPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\niptables -A OUTPUT -p tcp --dport 443 -j ACCEPT\n', dialect: 'script', name: 'OUTPUT of ESTABLISHED alone on a host that forwards nothing' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -p icmp -m conntrack --ctstate RELATED -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n', dialect: 'script', name: 'a router: the ICMP errors coming back to the LAN accepted by a rule of their own' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -s 192.168.1.0/24 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -d 192.168.1.0/24 -j ACCEPT\n', dialect: 'script', name: 'a router accepting both ways: the errors about the LAN\'s connections pass' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -i eth0 -o eth1 -m state --state ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -p tcp --dport 25 -m state --state NEW,ESTABLISHED -j ACCEPT\n', dialect: 'script', name: 'an accept of ESTABLISHED alone whose connection\'s replies and errors another rule accepts' },
  ],
  invalid: [
    { code: 'iptables -P INPUT «DROP»\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATEDD -j ACCEPT\n', dialect: 'script', name: 'the accept has a state iptables refuses: the rule is never added' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A LOGDROP -m limit --limit 5/min -j LOG --log-prefix drop:\n-A LOGDROP -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n«-A INPUT -j LOGDROP»'), name: 'INPUT ends in a jump to a chain that logs and drops everything' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT') },
    { code: ROUTER_OUT('«ESTABLISHED»'), dialect: 'script', name: 'a router whose OUTPUT accepts ESTABLISHED alone: its fragmentation-needed to the LAN is dropped' },
    { code: 'ip6tables -P INPUT «DROP»\nip6tables -P OUTPUT DROP\nip6tables -A OUTPUT -p tcp --dport 443 -j ACCEPT\n', dialect: 'script', name: 'OUTPUT lets the host\'s connections out, INPUT drops their replies' },
    { code: table('filter', ':INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n«-A INPUT -p icmp -j DROP»\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«-A FORWARD -p icmp -j REJECT»\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'), name: 'ICMP dropped before RELATED is accepted' },
    { code: 'ip6tables -P INPUT DROP\n«ip6tables -A INPUT -p ipv6-icmp -j DROP»\nip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n', dialect: 'script', name: 'ICMPv6 in a script' },
    { code: docker('«-A DOCKER-USER -i eth0 -j DROP»'), name: 'DOCKER-USER closes the containers to the outside and drops their replies too' },
    { code: docker('«-A DOCKER-USER -i eth0 -o docker0 -j DROP»'), name: 'the same for what goes on to the containers\' bridge' },
    { code: 'iptables -A INPUT -i lo -j ACCEPT\n«iptables -A INPUT -i eth0 -j REJECT»\niptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n', dialect: 'script', name: 'INPUT: the host\'s own replies rejected before the accept' },
    { code: 'iptables -P FORWARD «DROP»\niptables -A FORWARD -i eth1 -j ACCEPT\n', dialect: 'script' },
    { code: table('filter', ':INPUT DROP [0:0]\n:base - [0:0]\n-A INPUT -j base\n-A base -m state --state «ESTABLISHED» -j ACCEPT\n-A INPUT -p icmp --icmp-type echo-request -j ACCEPT'), name: 'ESTABLISHED without RELATED, in a chain it jumps to' },
    { code: 'ip6tables -P FORWARD DROP\nip6tables -A FORWARD -m conntrack --ctstate «\"ESTABLISHED\"» -j ACCEPT\n', dialect: 'script', name: 'IPv6 forwarding without RELATED: no packet-too-big' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate «ESTABLISHED» -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n', dialect: 'script', name: 'a router letting the LAN out: the errors about its connections come back on eth0, which nothing accepts' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -m conntrack --ctstate «ESTABLISHED» -j ACCEPT'), name: 'the accept that would take the errors with RELATED, not the TCP one before it' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp -m conntrack --ctstate «ESTABLISHED» -j ACCEPT\n-A INPUT -p udp -m conntrack --ctstate ESTABLISHED -j ACCEPT'), name: 'accepts of TCP and UDP only: the first' },
    { code: table('filter', ':FORWARD DROP [0:0]\n:lan_out - [0:0]\n-A FORWARD -m state --state «ESTABLISHED» -j ACCEPT\n-A FORWARD -i br0 -j lan_out\n-A lan_out -p tcp -j ACCEPT\n-A lan_out -p udp -j ACCEPT'), name: 'the LAN\'s connections accepted in a chain of their own' },
    { code: 'ip6tables -P FORWARD DROP\nip6tables -A FORWARD -m conntrack --ctstate «ESTABLISHED» -j ACCEPT\nip6tables -A FORWARD -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT\nip6tables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n', dialect: 'script', name: 'IPv6: only echo requests of ICMPv6 forwarded besides' },
    { code: '«iptables -A FORWARD -i eth0 -p icmp -j DROP»\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -j DROP\n', dialect: 'script', name: 'ICMP from outside dropped before RELATED is accepted' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n«-A INPUT -j DROP»'), name: 'INPUT closed by a last drop-everything rule' },
    { code: 'iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\n«iptables -A FORWARD -j REJECT»\n', dialect: 'script', name: 'FORWARD closed by a last reject-everything rule' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP'), name: 'a DROP policy and a last drop rule: the policy, as before' },
  ],
});

test('missing-established-rule names an accept of state NEW alone, whose connections lose every packet but the first', () => {
  const text = table('filter', ':INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT');
  const [d] = lintWith(missingEstablishedRule, text);
  assert.deepEqual(d.related?.map((r) => text.slice(r.span.start, r.span.end)), ['-A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT']);
  const plain = table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT');
  assert.equal(lintWith(missingEstablishedRule, plain)[0].related, undefined);
});

test('missing-established-rule: no fix adds RELATED to an accept of TCP, which would still take no ICMP error', () => {
  const text = table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p udp -m conntrack --ctstate ESTABLISHED -j ACCEPT');
  const [d] = lintWith(missingEstablishedRule, text);
  assert.deepEqual(d.fixes?.filter((f) => !f.suppression), []);
});

test('missing-established-rule fix: RELATED added to the accepted states, quotes kept', () => {
  for (const [before, after] of [['ESTABLISHED', 'ESTABLISHED,RELATED'], ['"ESTABLISHED"', '"ESTABLISHED,RELATED"']]) {
    const text = `iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ${before} -j ACCEPT\n`;
    const [d] = lintWith(missingEstablishedRule, text, { dialect: 'script' });
    const out = applyFix(text, d.fixes![0]);
    assert.equal(out, `iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ${after} -j ACCEPT\n`);
    assert.deepEqual(lintWith(missingEstablishedRule, out, { dialect: 'script' }), []);
  }
});

test('missing-established-rule fix: replies accepted just before the rule that drops them', () => {
  const save = docker('-A DOCKER-USER -i eth0 -j DROP');
  const [d] = lintWith(missingEstablishedRule, save);
  const out = applyFix(save, d.fixes![0]);
  assert.match(out, /\n-A DOCKER-USER -i eth0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A DOCKER-USER -i eth0 -j DROP\n/);
  assert.deepEqual(lintWith(missingEstablishedRule, out), []);
  const pair = docker('-A DOCKER-USER -i eth0 -o docker0 -j DROP');
  const [p] = lintWith(missingEstablishedRule, pair);
  const pairFixed = applyFix(pair, p.fixes![0]);
  assert.match(pairFixed, /\n-A DOCKER-USER -i eth0 -o docker0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A DOCKER-USER -i eth0 -o docker0 -j DROP\n/);
  assert.deepEqual(lintWith(missingEstablishedRule, pairFixed), []);
  const script = 'IPT=/sbin/iptables\nif true; then\n  $IPT -A INPUT -i eth0 -j DROP\nfi\n$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';
  const [s] = lintWith(missingEstablishedRule, script, { dialect: 'script' });
  const fixed = applyFix(script, s.fixes![0]);
  assert.equal(fixed, 'IPT=/sbin/iptables\nif true; then\n  $IPT -A INPUT -i eth0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n  $IPT -A INPUT -i eth0 -j DROP\nfi\n$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n');
  assert.deepEqual(lintWith(missingEstablishedRule, fixed, { dialect: 'script' }), []);
});

test('missing-established-rule fix: ICMP errors accepted before the rule that drops ICMP', () => {
  const text = table('filter', ':INPUT DROP [0:0]\n-A INPUT -p icmp -j DROP\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT');
  const [d] = lintWith(missingEstablishedRule, text);
  const out = applyFix(text, d.fixes![0]);
  assert.match(out, /\n-A INPUT -p icmp -m conntrack --ctstate RELATED -j ACCEPT\n-A INPUT -p icmp -j DROP\n/);
  assert.equal(lintWith(missingEstablishedRule, out).length, 0);
  const script = 'ip6tables -P INPUT DROP\n  ip6tables -A INPUT -p ipv6-icmp -j DROP\nip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';
  const [s] = lintWith(missingEstablishedRule, script, { dialect: 'script' });
  assert.match(applyFix(script, s.fixes![0]), /\n {2}ip6tables -A INPUT -p ipv6-icmp -m conntrack --ctstate RELATED -j ACCEPT\n {2}ip6tables -A INPUT -p ipv6-icmp -j DROP\n/);
});

// FORWARD without an accept of ESTABLISHED: reported where the replies of some connection it
// accepts are dropped, not where its rules accept both ways (old router scripts do so)
const lanOut = '-A FORWARD -i eth1 -o ppp0 -s 192.168.1.0/24 -j ACCEPT';
ruleTable(missingEstablishedRule, {
  valid: [
    { code: table('filter', `:FORWARD DROP [0:0]\n${lanOut}\n-A FORWARD -i ppp0 -o eth1 -d 192.168.1.0/24 -j ACCEPT`), name: 'both ways accepted, no state test' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -i eth1 -j ACCEPT\niptables -A FORWARD -o eth1 -j ACCEPT\n', dialect: 'script', name: 'everything from and to the LAN' },
    { code: table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.0.2 --dport 22 -j ACCEPT\n-A FORWARD -i eth1 -o eth0 -p tcp -s 10.0.0.2 --sport 22 -j ACCEPT'), name: 'a forwarded port and its answers by source port' },
  ],
  invalid: [
    { code: table('filter', `:FORWARD «DROP» [0:0]\n${lanOut}`), name: 'the LAN out, nothing back' },
    { code: table('filter', `:FORWARD «DROP» [0:0]\n${lanOut}\n-A FORWARD -i ppp0 -o eth1 -p tcp -d 192.168.1.0/24 --dport 22 -j ACCEPT`), name: 'back only to port 22: the replies come to the connections\' own ports' },
    { code: table('filter', `:FORWARD «DROP» [0:0]\n-A FORWARD -s 192.168.1.0/24 -j ACCEPT\n-A FORWARD -d 192.168.1.0/24 -p udp -j ACCEPT`), name: 'the network out, only UDP back: TCP replies dropped' },
    { code: table('filter', `:FORWARD «DROP» [0:0]\n:lan_out - [0:0]\n-A FORWARD -i eth1 -o ppp0 -j lan_out\n-A lan_out -j ACCEPT`), name: 'the accept in a chain the interfaces lead to' },
  ],
});

test('missing-established-rule in FORWARD names the rule whose connections lose their replies', () => {
  const text = table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -i ppp0 -o eth1 -p tcp -d 192.168.1.10 --dport 80 -j ACCEPT\n${lanOut}`);
  const [d, ...more] = lintWith(missingEstablishedRule, text, { dialect: 'save' });
  assert.equal(more.length, 0);
  // the forwarded port's replies go out by the LAN's own accept; the LAN's connections get nothing back
  assert.deepEqual(d.related!.map((r) => text.slice(r.span.start, r.span.end)), [lanOut]);
});
