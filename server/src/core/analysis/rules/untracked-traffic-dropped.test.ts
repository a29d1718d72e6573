import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { untrackedTrafficDropped } from './untracked-traffic-dropped.ts';

const script = { dialect: 'script' as const };
const CLOSED = 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';
const save = (raw: string[], input: string[]) => `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${raw.join('\n')}\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n${input.join('\n')}\nCOMMIT\n`;

ruleTable(untrackedTrafficDropped, {
  valid: [
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\niptables -t raw -A OUTPUT -p udp --sport 53 -j NOTRACK\n`, name: 'a DNS server that accepts its port whatever the state, and untracks its answers' },
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n`, name: 'an accept of NEW and UNTRACKED' },
    { ...script, code: `${CLOSED}iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK\niptables -t raw -A PREROUTING -p udp --sport 123 -j NOTRACK\niptables -A INPUT -p udp --sport 123 -m conntrack --ctstate UNTRACKED -j ACCEPT\n`, name: 'queries untracked, their answers untracked and accepted' },
    { ...script, code: `iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK\n`, name: 'INPUT accepts everything' },
    { ...script, code: `${CLOSED}iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'nothing accepts the port anyway: not this rule\'s doing' },
    { code: save(['-A PREROUTING -p tcp --dport 80 -j NOTRACK'], ['-A INPUT -p tcp --dport 80 -j ACCEPT']), name: 'a save file accepting the port without a state test' },
  ],
  invalid: [
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\n«iptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack»\n`, name: 'a service accepted only as NEW', severity: 'warning' },
    { ...script, code: `${CLOSED}«iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK»\n`, name: 'the host\'s own queries untracked: their answers come back NEW' },
    { ...script, code: `${CLOSED}«iptables -t raw -A OUTPUT -p tcp --dport 443 -j NOTRACK»\n`, name: 'TCP: the SYN-ACK comes back INVALID' },
    { ...script, code: `${CLOSED}iptables -A INPUT -m conntrack --ctstate INVALID -j DROP\n«iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK»\niptables -t raw -A PREROUTING -p udp --sport 123 -j NOTRACK\n`, name: 'answers untracked too, and nothing accepts UNTRACKED' },
    { code: save(['«-A PREROUTING -p tcp --dport 80 -j NOTRACK»'], ['-A INPUT -p tcp --dport 80 -m state --state NEW -j ACCEPT']), name: 'a save file, the state match' },
    { ...script, code: `ip6tables -P INPUT DROP\nip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«ip6tables -t raw -A OUTPUT -p udp --dport 53 -j CT --notrack»\n`, name: 'IPv6' },
    { ...script, code: `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\niptables -t raw -N EXEMPT\niptables -t raw -A PREROUTING -i eth0 -j EXEMPT\n«iptables -t raw -A EXEMPT -p udp --dport 53 -j CT --notrack»\n`, name: 'in a chain raw PREROUTING jumps to' },
  ],
});

test('untracked-traffic-dropped fix: UNTRACKED beside NEW in the accept\'s states', () => {
  const { text, left } = fixFirst(untrackedTrafficDropped, `${CLOSED}iptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n`, script);
  assert.equal(left, 0);
  assert.match(text, /--dport 53 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT/);
});
