import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import type { Dialect } from '../../model/types.ts';
import { missingNdpAccept } from './missing-ndp-accept.ts';

const v6 = { family: 'ipv6' as const };
const script = { dialect: 'script' as const };

ruleTable(missingNdpAccept, {
  valid: [
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p ipv6-icmp -j ACCEPT'), name: 'all of ICMPv6 accepted' },
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p icmpv6 -m icmp6 --icmpv6-type 135 -j ACCEPT\n-A INPUT -p icmpv6 -m icmp6 --icmpv6-type 136/0 -j ACCEPT'), name: 'both types by number' },
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p ipv6-icmp --icmpv6-type neighbor-sol -j ACCEPT\n-A INPUT -p ipv6-icmp --icmpv6-type Neighbour-Advertisement -j ACCEPT'), name: 'names: American spelling, a beginning, any case' },
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n:ICMP6 - [0:0]\n-A INPUT -j ICMP6\n-A ICMP6 -p ipv6-icmp -j ACCEPT'), name: 'accepted in a chain INPUT jumps to' },
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -s fe80::/10 -p ipv6-icmp -j ACCEPT'), name: 'accepted from link-local sources (may be enough)' },
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT') },
    { ...v6, code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j DROP') },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'an IPv4 file' },
    { ...script, code: 'iptables -P INPUT DROP\nip6tables -P INPUT DROP\nip6tables -A INPUT -p ipv6-icmp -j ACCEPT\n' },
    { ...script, code: 'ip6tables -P INPUT DROP\nip6tables -P OUTPUT DROP\nip6tables -A INPUT -i lo -j ACCEPT\nip6tables -A OUTPUT -o lo -j ACCEPT\nip6tables -A INPUT -j DROP\nip6tables -A OUTPUT -j REJECT\n', name: 'IPv6 blocked on purpose: nothing passes but loopback' },
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]'), name: 'nothing comes in at all' },
  ],
  invalid: [
    { ...v6, code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'a DROP policy: lo and ESTABLISHED,RELATED accepts do not cover NDP' },
    { ...v6, code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT\n-A INPUT -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT'), name: 'solicitations dropped, advertisements accepted' },
    { ...v6, code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n«-A INPUT -j REJECT --reject-with icmp6-adm-prohibited»'), name: 'a final REJECT rule' },
    { ...v6, code: table('filter', ':INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A INPUT -p ipv6-icmp -j LOGDROP\n-A LOGDROP -j LOG\n«-A LOGDROP -j DROP»'), name: 'dropped in a chain INPUT jumps to' },
    { ...v6, code: table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT «DROP» [0:0]\n-A OUTPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT'), name: 'OUTPUT: the host cannot send them' },
    { ...script, code: 'ip6tables -F\nip6tables -A INPUT -p tcp --dport 22 -j ACCEPT\nip6tables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\nip6tables -P INPUT «DROP»\n' },
  ],
});

/** The text with the rule's first fix applied, and what the rule says of it then. */
const fixed = (text: string, options: { dialect?: Dialect; family?: 'ipv6' }) => fixFirst(missingNdpAccept, text, options);

test('missing-ndp-accept fix: a save file gets the accepts at the head of the chain', () => {
  const r = fixed(table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'), v6);
  assert.equal(r.left, 0);
  assert.match(r.text, /:INPUT DROP \[0:0\]\n-A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT\n-A INPUT -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT\n-A INPUT -m conntrack/);
});

test('missing-ndp-accept fix: a script inserts them after the command that drops, with its tool word and indentation', () => {
  const r = fixed('IP6T=/sbin/ip6tables\nsetup() {\n  $IP6T -A INPUT -p tcp --dport 22 -j ACCEPT\n  $IP6T -A INPUT -j DROP\n}\nsetup\n', script);
  assert.equal(r.left, 0);
  assert.match(r.text, /\n {2}\$IP6T -A INPUT -j DROP\n {2}\$IP6T -I INPUT -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT\n {2}\$IP6T -I INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT\n\}/);
});
