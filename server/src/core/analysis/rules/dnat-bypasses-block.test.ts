import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import type { Dialect } from '../../model/types.ts';
import { dnatBypassesBlock } from './dnat-bypasses-block.ts';

const script = { dialect: 'script' as const };
/** Docker's shape: PREROUTING sends packets for the host's addresses to DOCKER, which DNATs a published port. */
const dockerNat = table('nat', ':PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80');
const forward = (nat: string, filter: string) => nat + table('filter', `:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n${filter}`);
const simpleNat = (rule: string) => table('nat', `:PREROUTING ACCEPT [0:0]\n${rule}`);

ruleTable(dnatBypassesBlock, {
  valid: [
    { code: forward(dockerNat, '-A INPUT -p tcp --dport 22 -j DROP'), name: 'another port than the one DNAT takes' },
    { code: forward(dockerNat, '-A INPUT -p udp --dport 8080 -j DROP'), name: 'another protocol' },
    { code: forward(dockerNat, '-A INPUT -p tcp --dport 8080 -j ACCEPT'), name: 'an accept: nothing meant to be closed' },
    { code: forward(dockerNat, '-A INPUT -i docker0 -p tcp --dport 8080 -j DROP'), name: 'from the bridge, which DNAT leaves alone' },
    { code: forward(simpleNat('-A PREROUTING -s 203.0.113.0/24 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2'), '-A INPUT -p tcp --dport 8080 -j DROP'), name: 'DNAT for some sources only: the others reach INPUT' },
    { code: forward(simpleNat('-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:8081'), '-A INPUT -p tcp --dport 8080 -j DROP'), name: 'DNAT to loopback goes to INPUT' },
    { code: forward(simpleNat('-A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 8081'), '-A INPUT -p tcp --dport 8080 -j DROP'), name: 'REDIRECT keeps the connection on the host' },
    { code: forward(simpleNat('-A PREROUTING -d 10.96.0.10/32 -p tcp --dport 53 -j DNAT --to-destination 10.244.0.3'), '-A INPUT -p tcp --dport 53 -j DROP'), name: 'a DNAT of one address the host may not have' },
    { code: forward(simpleNat('-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2'), '-A INPUT -p tcp -j DROP'), name: 'no one port: a rule about everything' },
    { code: forward(simpleNat('-A PREROUTING -p tcp -m addrtype --dst-type BROADCAST --dport 8080 -j DNAT --to-destination 10.0.0.2'), '-A INPUT -p tcp --dport 8080 -j DROP'), name: 'a DNAT of broadcasts' },
    { code: forward(simpleNat('-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2'), ':FWD - [0:0]\n-A INPUT -j FWD\n-A FORWARD -j FWD\n-A FWD -p tcp --dport 8080 -j DROP'), name: 'a chain FORWARD reaches too: it blocks the forwarded connections there' },
    { ...script, code: 'iptables -A INPUT -p tcp --dport 8080 -j DROP\n' },
    { code: forward(dockerNat, '-A INPUT -p tcp -m multiport --dports 9000:9100,22 -j DROP'), name: 'a list of ports without the one DNAT takes' },
    { code: forward(dockerNat, '-A INPUT -p tcp -m multiport ! --dports 8000:8100 -j DROP'), name: 'a negated list' },
    { code: forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 8080 -j DROP\n-A DOCKER-USER -j RETURN'), name: 'DOCKER-USER: the original port, as it should be' },
    { code: forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -p tcp --dport 80 -j DROP'), name: 'DOCKER-USER: the container port, which FORWARD sees' },
    { code: forward(simpleNat('-A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2'), '-A FORWARD -p tcp --dport 8080 -j DROP'), name: 'FORWARD: a DNAT that keeps the port' },
    { code: forward(simpleNat('-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080'), '-A FORWARD -i eth1 -p tcp --dport 80 -j DROP'), name: 'FORWARD: from the other side, which DNAT leaves alone' },
    { code: forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -p tcp -m multiport --dports 80,8080 -j DROP'), name: 'DOCKER-USER: a list with the container port too, which FORWARD sees' },
    { code: forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -p tcp --dport 9000:9100 -j DROP'), name: 'DOCKER-USER: a range without the published port' },
    { code: forward(simpleNat('-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080'), '-A FORWARD -p tcp --dport 80 -j DROP'), name: 'FORWARD: all routed traffic to port 80 (the LAN browsing), not aimed at the forward' },
  ],
  invalid: [
    { code: forward(dockerNat, '«-A INPUT -p tcp --dport 8080 -j DROP»'), name: 'Docker: a published port closed in INPUT' },
    { code: forward(dockerNat, ':ufw-user-input - [0:0]\n-A INPUT -j ufw-user-input\n«-A ufw-user-input -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset»'), name: 'ufw deny in a chain INPUT reaches' },
    { code: forward(simpleNat('-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080'), '«-A INPUT -p tcp --dport 80 -j DROP»\n«-A INPUT -i eth0 -p tcp --dport http -j DROP»'), name: 'a port forward on eth0: with or without -i' },
    { code: forward(simpleNat(':KUBE-NODEPORTS - [0:0]\n:KUBE-SVC-A - [0:0]\n:KUBE-SEP-1 - [0:0]\n:KUBE-SEP-2 - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n-A KUBE-NODEPORTS -p tcp --dport 30080 -j KUBE-SVC-A\n-A KUBE-SVC-A -m statistic --mode random --probability 0.5 -j KUBE-SEP-1\n-A KUBE-SVC-A -j KUBE-SEP-2\n-A KUBE-SEP-1 -p tcp -j DNAT --to-destination 10.244.1.5:8080\n-A KUBE-SEP-2 -p tcp -j DNAT --to-destination 10.244.2.7:8080'), '«-A INPUT -s 198.51.100.0/24 -p tcp --dport 30080 -j DROP»'), name: 'a NodePort: every endpoint is another host' },
    { family: 'ipv6', code: table('nat', ':PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 443 -j DNAT --to-destination [fd00::2]:8443') + table('filter', ':INPUT ACCEPT [0:0]\n«-A INPUT -p tcp --dport 443 -j DROP»'), name: 'ip6tables' },
    { ...script, code: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2\n«iptables -A INPUT -p tcp --dport 80 -j DROP»\n' },
    { code: forward(dockerNat, ':ufw-user-input - [0:0]\n-A INPUT -j ufw-user-input\n«-A ufw-user-input -p tcp -m multiport --dports 8000:8100 -j DROP»'), name: 'a range denied by ufw (multiport)' },
    { ...script, code: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080\n«iptables -A INPUT -i eth0 -p tcp --dport 1:1024 -j DROP»\n', name: 'a range of --dport' },
    { code: forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n«-A DOCKER-USER -p tcp -m multiport --dports 443,8080 -j DROP»\n«-A DOCKER-USER -p tcp --dport 8000:8100 -j REJECT»\n-A DOCKER-USER -j RETURN'), name: 'DOCKER-USER: a list or range with the published port, which FORWARD never sees' },
    { code: forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n«-A DOCKER-USER -s 198.51.100.0/24 -p tcp -m tcp --dport 8080 -j DROP»\n-A DOCKER-USER -j RETURN'), name: 'DOCKER-USER: the published port, which FORWARD never sees' },
    { code: forward(simpleNat('-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080'), '«-A FORWARD -d 192.168.1.100 -p tcp --dport 80 -j REJECT»\n«-A FORWARD -i eth0 -p tcp --dport 80 -j DROP»'), name: 'FORWARD: the public port of a port forward, to its server or from its interface' },
  ],
});

const fixed = (text: string, dialect: Dialect = 'save') => fixFirst(dnatBypassesBlock, text, { dialect });

test('dnat-bypasses-block: the related information points at the DNAT, the message at the interfaces', () => {
  const text = forward(dockerNat, '-A INPUT -p tcp --dport 8080 -j DROP');
  const [d] = lintWith(dnatBypassesBlock, text);
  assert.equal(text.slice(d.related![0].span.start, d.related![0].span.end), '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80');
  assert.match(d.message, /other than docker0/);
  assert.match(d.message, /172\.17\.0\.2:80/);
});

test('dnat-bypasses-block fix: Docker\'s DOCKER-USER gets the block before its RETURN', () => {
  const r = fixed(forward(dockerNat, ':DOCKER-USER - [0:0]\n-A INPUT -s 198.51.100.7 -p tcp --dport 8080 -j REJECT --reject-with tcp-reset\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -j RETURN'));
  assert.match(r.text, /\n-A DOCKER-USER -s 198\.51\.100\.7 -p tcp -m conntrack --ctstate DNAT --ctorigdstport 8080 -j REJECT --reject-with tcp-reset\n-A DOCKER-USER -j RETURN\n/);
  // the INPUT rule stays (it still closes the port on the bridge): the finding stays with it
  assert.equal(r.left, 1);
});

test('dnat-bypasses-block fix: a FORWARD rule matches the original port instead', () => {
  const r = fixed(forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -s 198.51.100.0/24 -p tcp -m tcp --dport 8080 -j DROP\n-A DOCKER-USER -j RETURN'));
  assert.match(r.text, /\n-A DOCKER-USER -s 198\.51\.100\.0\/24 -p tcp -m tcp -m conntrack --ctstate DNAT --ctorigdstport 8080 -j DROP\n/);
  assert.equal(r.left, 0);
});

test('dnat-bypasses-block fix: without DOCKER-USER, FORWARD; a script inserts after the command', () => {
  const save = fixed(forward(simpleNat('-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2'), '-A INPUT -d 203.0.113.1/32 -p tcp --dport 80 -j DROP'));
  assert.match(save.text, /\n-A FORWARD -p tcp -m conntrack --ctstate DNAT --ctorigdst 203\.0\.113\.1\/32 --ctorigdstport 80 -j DROP\n-A INPUT -d 203/);
  const sh = fixed('IPT=iptables\n$IPT -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2\nif true; then\n  $IPT -A INPUT -i eth0 -p tcp --dport 80 -j DROP\nfi\n', 'script');
  assert.match(sh.text, /\n {2}\$IPT -A INPUT -i eth0 -p tcp --dport 80 -j DROP\n {2}\$IPT -I FORWARD -i eth0 -p tcp -m conntrack --ctstate DNAT --ctorigdstport 80 -j DROP\nfi\n/);
});

test('dnat-bypasses-block: a range names the port DNAT takes, and the fix blocks that port', () => {
  const text = forward(dockerNat, ':DOCKER-USER - [0:0]\n-A INPUT -p tcp -m multiport --dports 8000:8100 -j DROP\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -j RETURN');
  const [d] = lintWith(dnatBypassesBlock, text);
  assert.match(d.message, /port 8080 /);
  assert.match(applyFix(text, d.fixes![0]), /\n-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 8080 -j DROP\n-A DOCKER-USER -j RETURN\n/);
});

test('dnat-bypasses-block fix: a FORWARD range becomes the same range of original ports; a list has no fix', () => {
  const range = forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -p tcp --dport 8000:8100 -j DROP\n-A DOCKER-USER -j RETURN');
  const [d] = lintWith(dnatBypassesBlock, range);
  assert.match(d.message, /port 8080 /);
  const out = applyFix(range, d.fixes![0]);
  assert.match(out, /\n-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 8000:8100 -j DROP\n/);
  assert.deepEqual(lintWith(dnatBypassesBlock, out), []);
  const [l] = lintWith(dnatBypassesBlock, forward(dockerNat, ':DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -p tcp -m multiport --dports 443,8080 -j DROP'));
  // (the fix that disables the check for the line stays)
  assert.ok(!(l.fixes ?? []).some((f) => f.edits.some((e) => e.text.includes('--ctorigdstport'))));
});
