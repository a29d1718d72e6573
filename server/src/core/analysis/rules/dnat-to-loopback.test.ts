import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import type { Family } from '../../knowledge/types.ts';
import type { Dialect } from '../../model/types.ts';
import type { Diagnostic } from '../types.ts';
import { dnatToLoopback } from './dnat-to-loopback.ts';

const script = { dialect: 'script' as const };
const searched = (routeLocalnet: { iface: string; value?: string }[] = []) => ({ settings: { sshPort: 22, workspaceSearched: true, workspaceRouteLocalnet: routeLocalnet.map((r) => ({ ...r, file: 'sysctl.conf' })) } });
const dnat = '-t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT';

ruleTable(dnatToLoopback, {
  valid: [
    { code: `sysctl -w net.ipv4.conf.eth0.route_localnet=1\niptables ${dnat} --to-destination 127.0.0.1:8080\n`, ...script },
    { code: `iptables ${dnat} --to-destination 127.0.0.1:8080\nsysctl net.ipv4.conf.all.route_localnet=1\n`, ...script, name: 'set for all, after the rule' },
    { code: `echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet\niptables ${dnat} --to-destination 127.0.0.1:8080\n`, ...script, name: 'a /proc write' },
    { code: `sysctl -p\niptables ${dnat} --to-destination 127.0.0.1:8080\n`, ...script, name: 'sysctl -p may set it' },
    { code: `sysctl -w net.ipv4.conf.$WAN.route_localnet=1\niptables ${dnat} --to-destination 127.0.0.1:8080\n`, ...script, name: 'an interface the script names by a variable' },
    { code: `iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080\n`, ...script, name: 'another host' },
    { code: `iptables -t nat -A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080\n`, ...script, name: 'the host\'s own connections' },
    { code: `iptables -t nat -A PREROUTING -i lo -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080\n`, ...script, name: 'from lo' },
    { code: `iptables ${dnat.replace('DNAT', 'REDIRECT')} --to-ports 8080\n`, ...script, name: 'REDIRECT' },
    { code: table('nat', ':OUT - [0:0]\n-A OUTPUT -j OUT\n-A OUT -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080'), options: searched(), name: 'a chain only OUTPUT reaches' },
    { code: table('nat', '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080'), options: searched([{ iface: 'eth0', value: '1' }]), name: 'save file, the workspace sets it' },
    { code: table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080'), options: searched([{ iface: 'eth1', value: '1' }]), name: 'save file, no interface in the rule, set for one' },
    { code: `iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $TARGET\n`, ...script, name: 'an unknown destination' },
    { code: 'ip6tables -t nat -A OUTPUT -p tcp --dport 80 -j DNAT --to-destination [::1]:8080\n', ...script, name: 'IPv6, the host\'s own' },
  ],
  invalid: [
    { code: `iptables ${dnat} «--to-destination 127.0.0.1:8080»\n`, ...script, severity: 'warning' },
    { code: `sysctl -w net.ipv4.conf.eth1.route_localnet=1\niptables ${dnat} «--to-destination 127.0.0.1:8080»\n`, ...script, name: 'set for another interface' },
    { code: `sysctl -w net.ipv4.conf.lo.route_localnet=1\niptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT «--to-destination 127.0.0.1:8080»\n`, ...script, name: 'set for lo only (measured: not enough)' },
    { code: `sysctl -w net.ipv4.conf.all.route_localnet=1\nsysctl -w net.ipv4.conf.all.route_localnet=0\niptables ${dnat} «--to-destination 127.0.0.2»\n`, ...script, name: 'turned off again' },
    { code: table('nat', ':FWD - [0:0]\n-A PREROUTING -j FWD\n-A FWD -p tcp --dport 80 -j DNAT «--to-destination 127.0.0.1:8080»'), options: searched(), name: 'a chain PREROUTING reaches' },
    { code: table('nat', `-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT «--to-destination 127.0.0.1:8080»`), severity: 'info', name: 'save file, workspace not searched' },
    { code: table('nat', `-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT «--to-destination 127.0.0.1:8080»`), options: searched([{ iface: 'eth0', value: '0' }]), severity: 'warning', name: 'save file, the workspace turns it off' },
    { code: 'ip6tables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT «--to-destination [::1]:8080»\n', ...script, severity: 'error', name: 'IPv6 to ::1' },
    { code: 'sysctl -w net.ipv4.conf.all.route_localnet=1\nip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT «--to-destination ::1»\n', ...script, severity: 'error', name: 'IPv6 without a port, route_localnet set (IPv4 only)' },
    { code: table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT «--to-destination [0:0:0:0:0:0:0:1]:8080»'), family: 'ipv6', options: searched(), severity: 'error', name: 'IPv6 written in full' },
  ],
});

/** The rule's own fixes (not the engine's "disable for this line"). */
const ownFixes = (d: Diagnostic) => (d.fixes ?? []).filter((f) => !f.title.startsWith('Disable'));

function fixed(text: string, which: number, c: { dialect?: Dialect; family?: Family } = script): { text: string; after: number; titles: string[] } {
  const [d] = lintWith(dnatToLoopback, text, c);
  assert.ok(d && ownFixes(d).length, 'a finding with a fix');
  const out = applyFix(text, ownFixes(d)[which]);
  return { text: out, after: lintWith(dnatToLoopback, out, c).length, titles: ownFixes(d).map((f) => f.title) };
}

test('dnat-to-loopback fix: REDIRECT to the port', () => {
  const r = fixed(`iptables ${dnat} --to-destination 127.0.0.1:8080\n`, 0);
  assert.equal(r.text, `iptables ${dnat.replace('DNAT', 'REDIRECT')} --to-ports 8080\n`);
  assert.equal(r.after, 0);
  assert.equal(r.titles.length, 2);
});

test('dnat-to-loopback fix: REDIRECT without a port keeps the port', () => {
  const r = fixed(table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [::1]'), 0, { family: 'ipv6' });
  assert.match(r.text, /\n-A PREROUTING -p tcp --dport 80 -j REDIRECT\n/);
});

test('dnat-to-loopback fix: route_localnet for the interface with the guard, with the words that run iptables and the indentation', () => {
  const r = fixed(`if true; then\n  sudo /sbin/iptables ${dnat} --to-destination 127.0.0.1:8080\nfi\n`, 1);
  assert.equal(r.text, `if true; then\n  sudo sysctl -w net.ipv4.conf.eth0.route_localnet=1\n  sudo /sbin/iptables -I INPUT ! -i lo -d 127.0.0.0/8 -m conntrack ! --ctstate DNAT -j DROP\n  sudo /sbin/iptables ${dnat} --to-destination 127.0.0.1:8080\nfi\n`);
  assert.equal(r.after, 0);
});

test('dnat-to-loopback: no REDIRECT fix where DNAT has other options; no route_localnet fix for save files or IPv6', () => {
  const [d] = lintWith(dnatToLoopback, `iptables ${dnat} --to-destination 127.0.0.1:8080 --random\n`, script);
  assert.deepEqual(ownFixes(d).map((f) => /REDIRECT/.test(f.title)), [false]);
  const [s] = lintWith(dnatToLoopback, table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080'), { options: searched() });
  assert.equal(ownFixes(s).length, 1);
  const [v6] = lintWith(dnatToLoopback, 'ip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [::1]:8080\n', script);
  assert.equal(ownFixes(v6).length, 1);
});

test('dnat-to-loopback: where route_localnet was turned off is related', () => {
  const text = `sysctl -w net.ipv4.conf.eth0.route_localnet=0\niptables ${dnat} --to-destination 127.0.0.1:8080\n`;
  const [d] = lintWith(dnatToLoopback, text, script);
  assert.equal(text.slice(d.related![0].span.start, d.related![0].span.end), 'net.ipv4.conf.eth0.route_localnet=0');
});
