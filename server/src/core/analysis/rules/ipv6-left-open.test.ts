import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import type { Diagnostic } from '../types.ts';
import { ipv6LeftOpen } from './ipv6-left-open.ts';

const script = { dialect: 'script' as const };
/** Settings of a save file whose folder the front end searched, with what it found of the IPv6 half. */
const beside = (workspaceIpv6: object) => ({ settings: { sshPort: 22, workspaceSearched: true, workspaceIpv6 } });
const accepts = 'iptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n';

ruleTable(ipv6LeftOpen, {
  valid: [
    { code: `${accepts}iptables -P INPUT DROP\nip6tables -P INPUT DROP\n`, ...script, name: 'ip6tables closes IPv6 too' },
    { code: `${accepts}iptables -P INPUT DROP\nip6tables-restore < /etc/iptables/rules.v6\n`, ...script, name: 'IPv6 rules restored from a file' },
    { code: `IP6T=/sbin/ip6tables\n${accepts}iptables -P INPUT DROP\n$IP6T -P INPUT DROP\n`, ...script, name: 'ip6tables through a variable' },
    { code: `for t in iptables ip6tables; do\n  $t -P INPUT DROP\ndone\n${accepts}iptables -P INPUT DROP\n`, ...script, name: 'a loop over both tools' },
    { code: `sysctl -w net.ipv6.conf.all.disable_ipv6=1\n${accepts}iptables -P INPUT DROP\n`, ...script, name: 'IPv6 turned off' },
    { code: accepts, ...script, name: 'INPUT left open' },
    { code: 'iptables -P FORWARD DROP\niptables -A FORWARD -i eth1 -j ACCEPT\n', ...script, name: 'only FORWARD closed' },
    { code: 'iptables -A INPUT -s 203.0.113.0/24 -j DROP\n', ...script, name: 'a blocklist' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'a save file, nothing known of its folder' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), options: beside({ expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: true } }), name: 'rules.v6 beside it closes INPUT' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), options: beside({ expected: 'rules.v6', disabledBy: '/etc/sysctl.d/10-no-ipv6.conf' }), name: 'no rules.v6, IPv6 turned off in sysctl.d' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), options: beside({}), name: 'a dump whose name calls for no IPv6 half' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), options: beside({ expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: false } }), name: 'IPv4 INPUT open too' },
  ],
  invalid: [
    { code: `${accepts}iptables -N LOGDROP\niptables -A LOGDROP -j LOG\niptables -A LOGDROP -j DROP\n«iptables -A INPUT -j LOGDROP»\n`, ...script, name: 'a last rule that sends everything to a chain that logs and drops' },
    { code: `${accepts}iptables -P INPUT «DROP»\n`, ...script, severity: 'warning' },
    { code: `iptables -P INPUT «DROP»\n${accepts}`, ...script, name: 'closed first, accepts after' },
    { code: `${accepts}«iptables -A INPUT -j REJECT»\n`, ...script, name: 'a last rule that rejects everything' },
    { code: `${accepts}iptables -P INPUT DROP\niptables -P INPUT ACCEPT\n«iptables -A INPUT -j DROP»\n`, ...script, name: 'the policy opened again, a last DROP rule' },
    { code: `sudo iptables -P INPUT «DROP»\n`, ...script, name: 'through sudo' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), options: beside({ expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: false } }), name: 'rules.v6 as netfilter-persistent saves it untouched: INPUT open' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'), options: beside({ expected: 'rules.v6' }), name: 'rules.v4 without rules.v6' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n«-A INPUT -j DROP»'), options: beside({ found: { name: 'ip6tables-save', inputClosed: false } }), name: 'an iptables-save dump with an open ip6tables-save beside it' },
  ],
});

const ownFixes = (d: Diagnostic) => (d.fixes ?? []).filter((f) => !f.title.startsWith('Disable'));

test('ipv6-left-open fix: the same for ip6tables after the closing command, the family-neutral INPUT rules copied', () => {
  const text = `#!/bin/sh\niptables -F\n${accepts}iptables -A INPUT -s 192.0.2.0/24 -p tcp --dport 5432 -j ACCEPT\niptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT\niptables -A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT\niptables -A INPUT -p tcp --dport $ADMIN_PORT -j ACCEPT\niptables -A INPUT -p udp -m ttl --ttl-gt 5 -j ACCEPT\niptables -P INPUT DROP\necho done\n`;
  const [d] = lintWith(ipv6LeftOpen, text, script);
  const [fix] = ownFixes(d);
  assert.match(fix.title, /2 of 6 IPv4 INPUT rules copied/);
  const out = applyFix(text, fix);
  assert.ok(out.includes(`iptables -P INPUT DROP
ip6tables -F INPUT
ip6tables -A INPUT -i lo -j ACCEPT
ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip6tables -A INPUT -p ipv6-icmp -j ACCEPT
ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT
ip6tables -A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT
ip6tables -P INPUT DROP
echo done
`), out);
  assert.deepEqual(lintWith(ipv6LeftOpen, out, script), []);
});

test('ipv6-left-open fix: the words that run iptables and the indentation are kept', () => {
  const text = 'setup() {\n  sudo /sbin/iptables -I INPUT 1 -p tcp --dport 22 -j ACCEPT\n  sudo /sbin/iptables -P INPUT DROP\n}\n';
  const [d] = lintWith(ipv6LeftOpen, text, script);
  const out = applyFix(text, ownFixes(d)[0]);
  assert.ok(out.includes('  sudo /sbin/iptables -P INPUT DROP\n  sudo /sbin/ip6tables -F INPUT\n'), out);
  assert.ok(out.includes('  sudo /sbin/ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT\n  sudo /sbin/ip6tables -P INPUT DROP\n}\n'), out);
});
