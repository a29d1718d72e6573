import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { untrackedTrafficDropped } from './untracked-traffic-dropped.ts';

const script = { dialect: 'script' as const };
const CLOSED = 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';
const ROUTER = (tool: string) => `${tool} -P FORWARD DROP\n${tool} -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n${tool} -A FORWARD -i lan0 -o wan0 -j ACCEPT\n`;
const save = (raw: string[], input: string[]) => `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${raw.join('\n')}\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n${input.join('\n')}\nCOMMIT\n`;

ruleTable(untrackedTrafficDropped, {
  valid: [
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\niptables -t raw -A OUTPUT -p udp --sport 53 -j NOTRACK\n`, name: 'a DNS server that accepts its port whatever the state, and untracks its answers' },
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n`, name: 'an accept of NEW and UNTRACKED' },
    { ...script, code: `${CLOSED}iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK\niptables -t raw -A PREROUTING -p udp --sport 123 -j NOTRACK\niptables -A INPUT -p udp --sport 123 -m conntrack --ctstate UNTRACKED -j ACCEPT\n`, name: 'queries untracked, their answers untracked and accepted' },
    { ...script, code: `iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK\n`, name: 'INPUT accepts everything' },
    { ...script, code: `${CLOSED}iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'nothing accepts the port anyway: not this rule\'s doing' },
    { code: save(['-A PREROUTING -p tcp --dport 80 -j NOTRACK'], ['-A INPUT -p tcp --dport 80 -j ACCEPT']), name: 'a save file accepting the port without a state test' },
    { ...script, code: `${ROUTER('iptables')}iptables -t nat -A POSTROUTING -o wan0 -j MASQUERADE\niptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'forwarded queries a MASQUERADE translates: untracked-skips-nat\'s' },
    { ...script, code: `${ROUTER('ip6tables')}ip6tables -A FORWARD -i wan0 -o lan0 -m conntrack --ctstate UNTRACKED -j ACCEPT\nip6tables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\nip6tables -t raw -A PREROUTING -p udp --sport 53 -j NOTRACK\n`, name: 'forwarded queries and their answers untracked, the answers accepted so' },
    { ...script, code: `${ROUTER('ip6tables')}ip6tables -t raw -A PREROUTING -m addrtype --dst-type LOCAL -p udp --dport 53 -j NOTRACK\n`, name: 'only packets for this host untracked' },
    { ...script, code: `${ROUTER('iptables')}iptables -t raw -A PREROUTING -s 192.0.2.10 -i lan0 -j NOTRACK\n`, name: 'untracked by address alone: replies of connections tracked the other way too' },
    { ...script, code: `${ROUTER('iptables')}iptables -t raw -A PREROUTING -d 192.0.2.1 -p udp --dport 53 -j NOTRACK\niptables -t raw -A PREROUTING -i lo -p udp --dport 53 -j NOTRACK\n`, name: 'for one destination address (most often the router\'s own), for loopback' },
    { ...script, code: `ip6tables -P FORWARD DROP\nip6tables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED,UNTRACKED -j ACCEPT\nip6tables -A FORWARD -i lan0 -o wan0 -j ACCEPT\nip6tables -t raw -A PREROUTING -d 2001:db8::53 -p udp --dport 53 -j NOTRACK\nip6tables -t raw -A PREROUTING -s 2001:db8::53 -i lan0 -p udp --sport 53 -j NOTRACK\n`, name: 'a LAN server\'s queries and answers untracked both ways, UNTRACKED accepted: the way lan0 to wan0 is not the one its queries take' },
    { ...script, code: `${ROUTER('ip6tables')}ip6tables -A FORWARD -i wan0 -o lan0 -j ACCEPT\nip6tables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'FORWARD lets everything from wan0 through' },
    { ...script, code: `ip6tables -P FORWARD DROP\nip6tables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nip6tables -A FORWARD -i lan0 -o wan0 -m conntrack --ctstate NEW -j ACCEPT\nip6tables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'FORWARD does not let the untracked queries through (NEW only): nothing comes back to drop' },
  ],
  invalid: [
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\n«iptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack»\n`, name: 'a service accepted only as NEW', severity: 'warning' },
    { ...script, code: `${CLOSED}«iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK»\n`, name: 'the host\'s own queries untracked: their answers come back NEW' },
    { ...script, code: `${CLOSED}«iptables -t raw -A OUTPUT -p tcp --dport 443 -j NOTRACK»\n`, name: 'TCP: the SYN-ACK comes back INVALID' },
    { ...script, code: `${CLOSED}iptables -A INPUT -m conntrack --ctstate INVALID -j DROP\n«iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK»\niptables -t raw -A PREROUTING -p udp --sport 123 -j NOTRACK\n`, name: 'answers untracked too, and nothing accepts UNTRACKED' },
    { code: save(['«-A PREROUTING -p tcp --dport 80 -j NOTRACK»'], ['-A INPUT -p tcp --dport 80 -m state --state NEW -j ACCEPT']), name: 'a save file, the state match' },
    { ...script, code: `ip6tables -P INPUT DROP\nip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«ip6tables -t raw -A OUTPUT -p udp --dport 53 -j CT --notrack»\n`, name: 'IPv6' },
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\niptables -t raw -N EXEMPT\niptables -t raw -A PREROUTING -i eth0 -j EXEMPT\n«iptables -t raw -A EXEMPT -p udp --dport 53 -j CT --notrack»\n`, name: 'in a chain raw PREROUTING jumps to' },
    { ...script, code: `${ROUTER('ip6tables')}«ip6tables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK»\n`, name: 'an IPv6 router untracking DNS: forwarded queries pass, their answers arrive NEW', severity: 'warning' },
    { ...script, code: `${ROUTER('iptables')}«iptables -t raw -A PREROUTING -i lan0 -p tcp --dport 443 -j NOTRACK»\n`, name: 'routed IPv4 without NAT, TCP: the SYN-ACK arrives INVALID' },
    { ...script, code: `${ROUTER('ip6tables')}«ip6tables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK»\nip6tables -t raw -A PREROUTING -p udp --sport 53 -j NOTRACK\n`, name: 'answers untracked too, and FORWARD takes answers only as ESTABLISHED' },
  ],
});

test('untracked-traffic-dropped fix: UNTRACKED beside NEW in the accept\'s states', () => {
  const { text, left } = fixFirst(untrackedTrafficDropped, `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n`, script);
  assert.equal(left, 0);
  assert.match(text, /--dport 53 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT/);
});

test('untracked-traffic-dropped fix: forwarded packets left tracked, those for this host untracked', () => {
  const text = `${ROUTER('ip6tables')}ip6tables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`;
  const { text: fixed, left, finding } = fixFirst(untrackedTrafficDropped, text, script);
  assert.equal(left, 0);
  assert.match(fixed, /^ip6tables -t raw -A PREROUTING -m addrtype --dst-type LOCAL -p udp --dport 53 -j NOTRACK$/m);
  // the accept that lets the queries through, the one that takes answers, and the policy's drop (no line)
  assert.deepEqual(finding.related!.map((r) => text.slice(r.span.start, r.span.end)), ['ip6tables -A FORWARD -i lan0 -o wan0 -j ACCEPT', 'ip6tables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT']);
});
