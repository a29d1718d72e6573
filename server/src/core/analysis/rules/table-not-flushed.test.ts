import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { tableNotFlushed } from './table-not-flushed.ts';

const script = { dialect: 'script' as const };

ruleTable(tableNotFlushed, {
  valid: [
    // every table it adds to is flushed
    { ...script, code: 'iptables -F\niptables -t nat -F\niptables -A INPUT -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    // no flush of a whole table: a script of additions, run once (an installer's)
    { ...script, code: 'iptables -F INPUT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    { ...script, code: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    // deleted before added, or checked first
    { ...script, code: 'iptables -F\niptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE 2>/dev/null\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    { ...script, code: 'iptables -F\niptables -t nat -C POSTROUTING -o eth0 -j MASQUERADE || iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    // a table named by the shell may be any
    { ...script, code: 'for t in filter nat; do iptables -t $t -F; done\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    // loaded by iptables-restore, which empties it
    { ...script, code: 'iptables -F\niptables-restore --noflush <<EOF\n*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\nEOF\n' },
    // a sourced file may flush it
    { ...script, code: '. /etc/firewall.conf\niptables -F\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    // a loop over both tools flushes both families' tables
    { ...script, code: 'for ipt in iptables ip6tables; do\n  $ipt -F\n  $ipt -A INPUT -i lo -j ACCEPT\ndone\nip6tables -A INPUT -p ipv6-icmp -j ACCEPT\n' },
  ],
  invalid: [
    { ...script, code: 'iptables -F\niptables -A INPUT -i lo -j ACCEPT\n«iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\niptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10\n', severity: 'info' },
    { ...script, code: 'IPT=/sbin/iptables\n$IPT -F\n$IPT -X\n«$IPT -t mangle -N marks»\n$IPT -t mangle -A PREROUTING -j marks\n', severity: 'warning', name: 'a chain made there: the second run fails at -N' },
    { ...script, code: 'iptables -F\n«ip6tables -A INPUT -i lo -j ACCEPT»\n', name: 'ip6tables tables are not iptables\' tables' },
    { ...script, code: 'iptables -F\n«iptables -t nat -N wan 2>/dev/null»\n', severity: 'info', name: 'a -N whose failure is expected' },
    { ...script, code: 'for ipt in iptables ip6tables; do\n  $ipt -F\n  ««$ipt -t mangle -A PREROUTING -m conntrack --ctstate INVALID -j DROP»»\ndone\n', name: 'a loop over both tools: once per family' },
    { ...script, code: 'fwd() {\n  for p in "$@"; do\n    «iptables -t nat -A PREROUTING -p tcp --dport "$p" -j DNAT --to-destination 192.168.1.10»\n  done\n}\niptables -F\nfwd 80 443\nfwd 25\n', name: 'a function called several times: at its command, in the body' },
  ],
});

test('the fix flushes the table right after the script\'s flush, the way the script runs iptables', () => {
  const r = fixFirst(tableNotFlushed, '#!/bin/sh\nstart() {\n  $IPT -F\n  $IPT -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n}\n', script);
  assert.equal(r.text, '#!/bin/sh\nstart() {\n  $IPT -F\n  $IPT -t nat -F\n  $IPT -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n}\n');
  assert.equal(r.left, 0);
  const chains = fixFirst(tableNotFlushed, 'iptables -F\niptables -t mangle -N marks\n', script);
  assert.equal(chains.text, 'iptables -F\niptables -t mangle -F\niptables -t mangle -X\niptables -t mangle -N marks\n');
  // another family: its own command
  assert.equal(fixFirst(tableNotFlushed, 'iptables -F\nip6tables -A INPUT -i lo -j ACCEPT', script).text, 'iptables -F\nip6tables -t filter -F\nip6tables -A INPUT -i lo -j ACCEPT');
  assert.equal(lintWith(tableNotFlushed, 'iptables -F\niptables -t nat -A POSTROUTING -j MASQUERADE\n', script)[0].related?.length, 1);
});
