import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptRuleSet } from '../../../server/src/core/model/scriptDocument.ts';

function commandsOf(text: string) {
  return scriptRuleSet(text).commands.map((c) => ({ kind: c.kind, family: c.family, table: c.table, chain: c.chain, text: text.slice(c.span.start, c.span.end) }));
}

test('finds iptables behind sudo, absolute paths, wrappers and variables', () => {
  const text = [
    'IPT=/sbin/iptables',
    'IPT6="$(command -v ip6tables)"',
    'sudo iptables -A INPUT -j ACCEPT',
    '/usr/sbin/iptables-legacy -t nat -A POSTROUTING -j MASQUERADE',
    '$IPT -A INPUT -p tcp --dport 22 -j ACCEPT',
    '${IPT} -N custom',
    '"$IPT6" -A INPUT -p ipv6-icmp -j ACCEPT',
    'sudo -u root env LANG=C ip6tables-nft -P FORWARD DROP',
    '$SUDO iptables -F',
    'xtables-nft-multi iptables -A OUTPUT -j ACCEPT',
    'echo iptables -A INPUT -j DROP',
    'iptables-save > /tmp/x',
    'MYTOOL=iptables; $MYTOOL -A FORWARD -j DROP',
  ].join('\n');
  assert.deepEqual(commandsOf(text).map((c) => [c.kind, c.family, c.table, c.chain ?? null]), [
    ['append', 'ipv4', 'filter', 'INPUT'],
    ['append', 'ipv4', 'nat', 'POSTROUTING'],
    ['append', 'ipv4', 'filter', 'INPUT'],
    ['new-chain', 'ipv4', 'filter', 'custom'],
    ['append', 'ipv6', 'filter', 'INPUT'],
    ['policy', 'ipv6', 'filter', 'FORWARD'],
    ['flush', 'ipv4', 'filter', null],
    ['append', 'ipv4', 'filter', 'OUTPUT'],
    ['append', 'ipv4', 'filter', 'FORWARD'],
  ]);
});

test('commands inside if/for/while/case/functions, lists and continuations', () => {
  const text = [
    'if [ -n "$X" ]; then iptables -A INPUT -j ACCEPT; fi',
    'for p in 22 80; do',
    '  iptables -A INPUT -p tcp \\',
    '    --dport "$p" -j ACCEPT',
    'done',
    'while read ip; do iptables -A INPUT -s "$ip" -j DROP; done < list',
    'case "$1" in start) iptables -P INPUT DROP ;; stop) iptables -P INPUT ACCEPT ;; esac',
    'setup() { iptables -N logdrop && iptables -A logdrop -j DROP || true; }',
    'iptables -C INPUT -j LOG 2>/dev/null || iptables -A INPUT -j LOG # idempotent',
  ].join('\n');
  assert.deepEqual(commandsOf(text).map((c) => c.kind), ['append', 'append', 'append', 'policy', 'policy', 'new-chain', 'append', 'check', 'append']);
  const rs = scriptRuleSet(text);
  const dport = rs.commands[1].rule!.matches[0].options[0];
  assert.equal(dport.values[0].dynamic, true, 'a shell expansion stays unknown');
  assert.equal(text.slice(dport.item.nameSpan.start, dport.item.nameSpan.end), '--dport');
  assert.deepEqual(rs.issues, []);
});

test('quotes and escapes are removed the way the shell does', () => {
  const text = `iptables -A INPUT -m comment --comment 'it'"'"'s "ok"' -j LOG --log-prefix "IN: \\$x " --log-level 4\n`;
  const items = scriptRuleSet(text).commands[0].args.items;
  assert.deepEqual(items.map((i) => [i.written, ...i.values.map((v) => v.value)]), [
    ['-A', 'INPUT'], ['-m', 'comment'], ['--comment', `it's "ok"`], ['-j', 'LOG'], ['--log-prefix', 'IN: $x '], ['--log-level', '4'],
  ]);
  assert.equal(items[4].values[0].dynamic, false, 'an escaped $ is literal');
});

test('iptables-restore heredocs are parsed as the save dialect at their true offsets', () => {
  const text = 'echo go\niptables-restore -n <<EOF\n*filter\n-A INPUT -s $ADMIN -j ACCEPT\nCOMMIT\nEOF\nip6tables-restore <<\'X\'\n*filter\n-A INPUT -j DROP\nCOMMIT\nX\n';
  const rs = scriptRuleSet(text);
  assert.equal(rs.commands.length, 2);
  const [v4, v6] = rs.commands;
  assert.equal(v4.family, 'ipv4');
  assert.equal(v6.family, 'ipv6');
  assert.equal(text.slice(v4.span.start, v4.span.end), '-A INPUT -s $ADMIN -j ACCEPT');
  assert.equal(v4.rule!.source!.word.dynamic, true, 'unquoted heredoc: the shell expands $ADMIN');
  assert.equal(text.slice(v6.span.start, v6.span.end), '-A INPUT -j DROP');
  assert.equal(rs.tables.get('ipv4:filter')!.chains.get('INPUT')!.rules.length, 1);
});

test('iptables-restore empties each table it restores, user chains too (other tables stay); with --noflush only the user chains its input declares', () => {
  // as iptables 1.8.9 (nft and legacy) does: a chain created before and not declared in the input is gone
  const body = '*filter\n:keep - [0:0]\n-A INPUT -j keep\nCOMMIT\nEOF\n';
  const before = 'iptables -N old\niptables -A old -j DROP\niptables -A INPUT -s 10.0.0.1 -j old\niptables -t nat -N natted\n';
  const chains = (text: string, table: string) => [...scriptRuleSet(text).tables.get(`ipv4:${table}`)!.chains.values()].map((c) => `${c.name}:${c.rules.length}`);
  assert.deepEqual(chains(`${before}iptables-restore <<EOF\n${body}`, 'filter'), ['INPUT:1', 'FORWARD:0', 'OUTPUT:0', 'keep:0']);
  assert.deepEqual(chains(`${before}iptables-restore <<EOF\n${body}`, 'nat'), ['PREROUTING:0', 'INPUT:0', 'OUTPUT:0', 'POSTROUTING:0', 'natted:0']);
  assert.deepEqual(chains(`${before}iptables-restore --noflush <<EOF\n${body}`, 'filter'), ['INPUT:2', 'FORWARD:0', 'OUTPUT:0', 'old:1', 'keep:0']);
  // with --noflush a user chain the input declares starts empty; the built-in chains keep their rules
  assert.deepEqual(chains(`${before}iptables-restore -n <<EOF\n*filter\n:old - [0:0]\n:INPUT DROP [0:0]\n-A old -j ACCEPT\nCOMMIT\nEOF\n`, 'filter'), ['INPUT:1', 'FORWARD:0', 'OUTPUT:0', 'old:1']);
  assert.equal(scriptRuleSet(`${before}iptables-restore -n <<EOF\n*filter\n:old - [0:0]\n-A old -j ACCEPT\nCOMMIT\nEOF\n`).tables.get('ipv4:filter')!.chains.get('old')!.rules[0].target!.name, 'ACCEPT');
  // under a condition the restore may not run: what was made outside it stays
  assert.deepEqual(chains(`${before}if [ -n "$RESET" ]; then\niptables-restore <<EOF\n${body}fi\n`, 'filter'), ['INPUT:2', 'FORWARD:0', 'OUTPUT:0', 'old:1', 'keep:0']);
});

test('forwarding facts: sysctl, /proc writes, tee and sysctl.conf', () => {
  const text = [
    'sysctl -w net.ipv4.ip_forward=1',
    'sysctl net.ipv6.conf.all.forwarding=1',
    'echo 1 > /proc/sys/net/ipv4/ip_forward',
    'echo 0 | tee /proc/sys/net/ipv6/conf/all/forwarding',
    'echo "net.ipv4.ip_forward=1" | tee -a /etc/sysctl.conf',
    'echo "net.ipv4.ip_forward = $ON" >> /etc/sysctl.d/99-router.conf',
    'sysctl -w net.ipv4.tcp_syncookies=1',
  ].join('\n');
  const facts = scriptRuleSet(text).forwarding.map((f) => [f.family, f.value ?? null, f.how]);
  assert.deepEqual(facts, [
    ['ipv4', '1', 'runtime'],
    ['ipv6', '1', 'runtime'],
    ['ipv4', '1', 'runtime'],
    ['ipv6', '0', 'runtime'],
    ['ipv4', '1', 'persist'],
    ['ipv4', null, 'persist'],
  ]);
});

test('forwarding facts through variables: a path set once above or in the configuration read with `.`; a 0 or 1 written where the shell decides may be forwarding', () => {
  const facts = (text: string, sourced?: Record<string, string>) =>
    scriptRuleSet(text, sourced ? { sourced: new Map(Object.entries(sourced).map(([p, t]) => [p, { file: p, text: t }])) } : {}).forwarding.map((f) => [f.family, f.value ?? null]);
  assert.deepEqual(facts('IPF=/proc/sys/net/ipv4/ip_forward\necho 1 > $IPF\n'), [['ipv4', '1']]);
  assert.deepEqual(facts('. /etc/fw.conf\necho 0 > "$IP_FORWARD"\n', { '/etc/fw.conf': 'IP_FORWARD=/proc/sys/net/ipv4/ip_forward\n' }), [['ipv4', '0']]);
  assert.deepEqual(facts('WAN=eth0\nsysctl -w net.ipv4.conf.$WAN.route_localnet=1\n'), []);
  assert.deepEqual(scriptRuleSet('WAN=eth0\nsysctl -w net.ipv4.conf.$WAN.route_localnet=1\n').routeLocalnet.map((f) => [f.iface, f.value]), [['eth0', '1']]);
  // a function that sets the kernel's knobs by path: forwarding unknown, not missing
  assert.deepEqual(facts('knob() { echo 1 > $1; }\nknob $IP_FORWARD\n'), [['ipv4', null], ['ipv6', null]]);
  // a log line written where the shell decides is not a setting
  assert.deepEqual(facts('echo "starting" >> $LOG\necho 10 > $X\n'), []);
});

test('route_localnet facts: per interface, dotted (VLAN dots as slashes) or as a /proc path', () => {
  const text = [
    'sysctl -w net.ipv4.conf.eth0.route_localnet=1',
    'sysctl net.ipv4.conf.eth0/100.route_localnet=1',
    'echo 0 > /proc/sys/net/ipv4/conf/all/route_localnet',
    'sysctl -w net/ipv4/conf/eth1/route_localnet=1',
    'sysctl -w net.ipv4.conf.$WAN.route_localnet=1',
    'echo "net.ipv4.conf.default.route_localnet = 1" >> /etc/sysctl.d/50-localnet.conf',
    'sysctl -p',
    'sysctl -w net.ipv4.conf.eth0.rp_filter=1',
  ].join('\n');
  const rs = scriptRuleSet(text);
  assert.deepEqual(rs.routeLocalnet.map((f) => [f.iface ?? null, f.value ?? null, f.how]), [
    ['eth0', '1', 'runtime'],
    ['eth0.100', '1', 'runtime'],
    ['all', '0', 'runtime'],
    ['eth1', '1', 'runtime'],
    [null, null, 'runtime'],
    ['default', '1', 'persist'],
    [null, null, 'runtime'],
  ]);
  // forwarding facts are not mixed in: only sysctl -p's unknown ones
  assert.deepEqual(rs.forwarding.map((f) => [f.family, f.value ?? null]), [['ipv4', null], ['ipv6', null]]);
});

test('execution order: -I, -D, -F, -X, -E, -P change the final tables as iptables would', () => {
  const text = [
    'iptables -A INPUT -s 1.1.1.1 -j ACCEPT',
    'iptables -A INPUT -s 2.2.2.2 -j ACCEPT',
    'iptables -I INPUT -s 3.3.3.3 -j DROP',
    'iptables -I INPUT 2 -s 4.4.4.4 -j DROP',
    'iptables -D INPUT -s 1.1.1.1 -j ACCEPT',
    'iptables -N old',
    'iptables -A old -j RETURN',
    'iptables -E old new',
    'iptables -N gone',
    'iptables -X gone',
    'iptables -P INPUT DROP',
    'iptables -t nat -A POSTROUTING -j MASQUERADE',
    'iptables -t nat -F',
  ].join('\n');
  const rs = scriptRuleSet(text);
  const filter = rs.tables.get('ipv4:filter')!;
  const input = filter.chains.get('INPUT')!;
  assert.deepEqual(input.rules.map((r) => r.source!.value), ['3.3.3.3', '4.4.4.4', '2.2.2.2']);
  assert.equal(input.policy, 'DROP');
  assert.deepEqual([...filter.chains.keys()], ['INPUT', 'FORWARD', 'OUTPUT', 'new']);
  assert.equal(rs.tables.get('ipv4:nat')!.chains.get('POSTROUTING')!.rules.length, 0);
});

test('a rule compared before a rename of the chain it jumps to is found by its new name after it (-D, -C || -A)', () => {
  const text = [
    'iptables -N old',
    'iptables -C INPUT -j old || iptables -A INPUT -j old',
    'iptables -A INPUT -p tcp --dport 80 -j ACCEPT',
    'iptables -C INPUT -p tcp --dport 80 -j ACCEPT || iptables -A INPUT -p tcp --dport 80 -j ACCEPT',
    'iptables -E old new',
    'iptables -C INPUT -j new || iptables -A INPUT -j new',
    'iptables -D INPUT -j new',
  ].join('\n');
  const input = scriptRuleSet(text).tables.get('ipv4:filter')!.chains.get('INPUT')!;
  assert.deepEqual(input.rules.map((r) => r.target!.name), ['ACCEPT']);
});

test('commands iptables refuses leave the tables as they were (measured with iptables 1.8.9, nft and legacy)', () => {
  const text = [
    'iptables -N full',
    'iptables -A full -j RETURN',
    'iptables -N used',
    'iptables -N idle',
    'iptables -A INPUT -j used',
    'iptables -X full', // has a rule
    'iptables -X used', // jumped to
    'iptables -X', // all or nothing: idle stays too
    'iptables -E INPUT FIRST', // a built-in chain keeps its name
    'iptables -E idle used', // the name is taken
    'iptables -I INPUT 0 -s 9.9.9.9 -j DROP', // rule numbers start at 1
  ].join('\n');
  const filter = scriptRuleSet(text).tables.get('ipv4:filter')!;
  assert.deepEqual([...filter.chains.keys()], ['INPUT', 'FORWARD', 'OUTPUT', 'full', 'used', 'idle']);
  assert.deepEqual(filter.chains.get('INPUT')!.rules.map((r) => r.target!.name), ['used']);
  const emptied = scriptRuleSet(`${text}\niptables -F\niptables -X`).tables.get('ipv4:filter')!;
  assert.deepEqual([...emptied.chains.keys()], ['INPUT', 'FORWARD', 'OUTPUT']);
});

test('shell files without iptables are silent', () => {
  const rs = scriptRuleSet('#!/bin/sh\nset -e\necho hello "world"\nls -la | grep x\n');
  assert.equal(rs.hasRules, false);
  assert.deepEqual(rs.commands, []);
  // ipset commands that change no set (a backup, a listing, a test) do not make it one of ours
  assert.equal(scriptRuleSet('#!/bin/sh\nipset save > /var/backups/ipsets\nipset list -n\nipset test blocklist 192.0.2.1\n').hasRules, false);
});

test('a script that only changes ipsets is judged: its ipset commands are what fail on a host', () => {
  const rs = scriptRuleSet('#!/bin/sh\nipset create blocklist hash:net\nipset add blocklist 198.51.100.0/24\n');
  assert.equal(rs.hasRules, true);
  assert.deepEqual(rs.commands, []);
  assert.deepEqual(rs.ipsets?.map((s) => s.kind), ['create', 'fill']);
});
