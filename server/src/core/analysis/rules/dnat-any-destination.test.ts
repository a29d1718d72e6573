import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { FirewallDocument } from '../../facade.ts';
import { dnatAnyDestination } from './dnat-any-destination.ts';

const script = { dialect: 'script' as const };
const masq = 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n';
const nat = (body: string) => table('nat', `:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${body}\n-A POSTROUTING -o eth0 -j MASQUERADE`);

ruleTable(dnatAnyDestination, {
  valid: [
    { code: `iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n${masq}`, ...script, name: 'the outside interface named' },
    { code: `iptables -t nat -A PREROUTING -d 203.0.113.5 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n${masq}`, ...script, name: 'the public address named' },
    { code: `iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n${masq}`, ...script, name: 'addrtype LOCAL' },
    { code: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n', ...script, name: 'no source NAT: a host that carries no one else\'s connections' },
    { code: `iptables -t nat -A PREROUTING ! -i eth1 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n${masq}`, ...script, name: 'all but the LAN interface: the evaluator cannot tell, left alone' },
    { code: `iptables -t nat -A PREROUTING -p tcp --dport 22 -j ACCEPT\niptables -t nat -A PREROUTING -j DNAT --to-destination 192.168.1.100\n${masq}`, ...script, name: 'all ports but one: a way through that does not end in the DNAT (not followed further)' },
    { code: `iptables -t nat -A PREROUTING -s 198.51.100.0/24 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n${masq}`, ...script, name: 'for some sources only' },
    { code: nat(':DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80'), name: 'Docker: the chain is reached for local addresses only' },
    { code: nat(':KUBE-SERVICES - [0:0]\n:KUBE-SVC-A - [0:0]\n:KUBE-SEP-A - [0:0]\n-A PREROUTING -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-A\n-A KUBE-SVC-A -j KUBE-SEP-A\n-A KUBE-SEP-A -p udp -m udp -j DNAT --to-destination 10.244.0.5:53'), name: 'kube-proxy: a ClusterIP service' },
    { code: `iptables -t nat -A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n${masq}`, ...script, name: 'the host\'s own connections' },
    { code: `iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 3128\n${masq}`, ...script, name: 'a transparent proxy: REDIRECT is meant for all destinations' },
  ],
  invalid: [
    { code: `«iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100»\n${masq}`, ...script, severity: 'warning' },
    { code: `«iptables -t nat -A PREROUTING -j DNAT --to-destination 192.168.1.100»\n${masq}`, ...script, name: 'everything, all ports' },
    { code: nat(':FWD - [0:0]\n-A PREROUTING -p tcp -j FWD\n«-A FWD -p tcp --dport 443 -j DNAT --to-destination 192.168.1.100»'), name: 'in a chain PREROUTING jumps to without a test of the destination' },
    { code: table('nat', ':PREROUTING ACCEPT [0:0]\n«-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [2001:db8::100]:80»\n-A POSTROUTING -o eth0 -j MASQUERADE'), family: 'ipv6', name: 'IPv6' },
  ],
});

test('dnat-any-destination fix: the DNAT translates connections to the host\'s own addresses only', () => {
  const text = `iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n${masq}`;
  const [d] = lintWith(dnatAnyDestination, text, script);
  assert.match(d.message, /port 80 /);
  const out = applyFix(text, d.fixes![0]);
  assert.equal(out, `iptables -t nat -A PREROUTING -p tcp --dport 80 -m addrtype --dst-type LOCAL -j DNAT --to-destination 192.168.1.100\n${masq}`);
  assert.deepEqual(lintWith(dnatAnyDestination, out, script), []);
});

test('dnat-any-destination and dnat-to-loopback follow edits of a save file (the DNATs they look at are kept across them)', () => {
  let text = table('nat', ':PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n-A PREROUTING -i eth0 -p tcp --dport 443 -j DNAT --to-destination 192.168.1.101\n-A POSTROUTING -o eth0 -j MASQUERADE');
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const found = () => doc.diagnostics().filter((d) => d.code === 'dnat-any-destination' || d.code === 'dnat-to-loopback').map((d) => `${d.code}:${text.slice(d.span.start, d.span.end).replace(/.*--dport (\d+).*/, '$1')}`);
  assert.deepEqual(found(), []);
  const edit = (from: string, to: string) => {
    const at = text.lastIndexOf(from);
    assert.ok(at >= 0, from);
    text = text.slice(0, at) + to + text.slice(at + from.length);
    doc.update(text, [{ start: at, end: at + from.length, text: to }]);
  };
  edit('-i eth0 -p tcp --dport 443', '-p tcp --dport 443');
  assert.deepEqual(found(), ['dnat-any-destination:443']);
  edit('-i eth0 -p tcp --dport 80', '-p tcp --dport 80');
  assert.deepEqual(found(), ['dnat-any-destination:80', 'dnat-any-destination:443']);
  edit('--dport 443', '--dport 8443');
  assert.deepEqual(found(), ['dnat-any-destination:80', 'dnat-any-destination:8443'], 'a new port, a new evaluation');
  edit('192.168.1.100', '127.0.0.1:8080');
  assert.deepEqual(found().sort(), ['dnat-any-destination:80', 'dnat-any-destination:8443', 'dnat-to-loopback:--to-destination 127.0.0.1:8080']);
  edit('127.0.0.1:8080', '192.168.1.100');
  edit('-p tcp --dport 80', '-m addrtype --dst-type LOCAL -p tcp --dport 80');
  assert.deepEqual(found(), ['dnat-any-destination:8443']);
  // a rule before it that the connection cannot match, edited to another address: the
  // evaluations are kept; edited to match everything: made again, and the DNAT is not reached
  edit('-A PREROUTING -p tcp --dport 8443 -j DNAT', '-A PREROUTING -d 203.0.113.9 -p tcp --dport 8443 -j ACCEPT\n-A PREROUTING -p tcp --dport 8443 -j DNAT');
  assert.deepEqual(found(), ['dnat-any-destination:8443']);
  edit('-d 203.0.113.9 -p tcp --dport 8443 -j ACCEPT', '-d 203.0.113.10 -p tcp --dport 8443 -j ACCEPT');
  assert.deepEqual(found(), ['dnat-any-destination:8443']);
  edit('-d 203.0.113.10 -p tcp --dport 8443 -j ACCEPT', '-p tcp --dport 8443 -j ACCEPT');
  assert.deepEqual(found(), [], 'an ACCEPT before it takes every such connection');
  edit('-A PREROUTING -p tcp --dport 8443 -j ACCEPT', '-A PREROUTING -d 203.0.113.10 -p tcp --dport 8443 -j ACCEPT');
  assert.deepEqual(found(), ['dnat-any-destination:8443']);
  edit('-j MASQUERADE', '-j SNAT --to-source 203.0.113.1');
  assert.deepEqual(found(), ['dnat-any-destination:8443'], 'SNAT translates sources too');
  edit('-j SNAT --to-source 203.0.113.1', '-j ACCEPT');
  assert.deepEqual(found(), [], 'no source NAT any more');
});
