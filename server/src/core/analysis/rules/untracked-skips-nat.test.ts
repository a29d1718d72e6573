import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { untrackedSkipsNat } from './untracked-skips-nat.ts';

const script = { dialect: 'script' as const };
const DNAT = 'iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\n';
const MASQ = 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n';
const save = (raw: string, nat: string) => `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${raw}\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${nat}\nCOMMIT\n`;

ruleTable(untrackedSkipsNat, {
  valid: [
    { ...script, code: `${DNAT}iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'another port untracked' },
    { ...script, code: `${DNAT}iptables -t raw -A PREROUTING -i eth1 -p udp --dport 27015 -j NOTRACK\n`, name: 'another interface untracked' },
    { ...script, code: `iptables -t raw -A PREROUTING -p udp --dport 27015 -j NOTRACK\n`, name: 'no nat rules' },
    { ...script, code: `iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\niptables -t raw -A PREROUTING -p udp --dport 27015 -m mark --mark 1 -j NOTRACK\n`, name: 'a NOTRACK whose other test the analysis cannot decide' },
    { ...script, code: `${DNAT}iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j MARK --set-mark 1\n`, name: 'a raw rule that does not untrack' },
    { ...script, code: `${MASQ}iptables -t raw -A PREROUTING -i lo -j NOTRACK\niptables -t raw -A OUTPUT -o lo -j NOTRACK\n`, name: 'loopback untracked beside a MASQUERADE' },
    { ...script, code: `${MASQ}iptables -t raw -A PREROUTING -s 127.0.0.0/8 -j NOTRACK\n`, name: 'loopback sources untracked' },
    { ...script, code: `${MASQ}iptables -t raw -A PREROUTING -m addrtype --dst-type LOCAL -p udp --dport 53 -j NOTRACK\n`, name: 'only packets for this host untracked' },
    { ...script, code: `${MASQ}iptables -t raw -A PREROUTING -i eth0 -p udp --dport 53 -j NOTRACK\n`, name: 'packets arriving on the interface the MASQUERADE sends out of' },
    { ...script, code: `${MASQ}iptables -t raw -A PREROUTING -d 192.168.1.1 -p udp --dport 53 -j NOTRACK\n`, name: 'one destination address (most often the host\'s own)' },
    { ...script, code: `iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\niptables -t raw -A PREROUTING -s 10.0.0.0/8 -p udp -j NOTRACK\n`, name: 'other sources untracked than the MASQUERADE translates' },
    { ...script, code: `iptables -t nat -A POSTROUTING -o eth0 -p tcp -j MASQUERADE\niptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`, name: 'another protocol untracked than the MASQUERADE translates' },
    { ...script, code: `${MASQ}iptables -t raw -A OUTPUT -p udp --dport 53 -j NOTRACK\n`, name: 'the host\'s own packets untracked (its own address already)' },
    { ...script, code: `${MASQ}iptables -t raw -A PREROUTING -p udp --dport 53 -m mark --mark 1 -j NOTRACK\n`, name: 'a NOTRACK with a test the analysis cannot decide' },
  ],
  invalid: [
    { ...script, code: `${DNAT}«iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j NOTRACK»\n`, name: 'the forwarded port untracked', severity: 'warning' },
    { ...script, code: `${DNAT}«iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j CT --notrack»\n`, name: 'CT --notrack' },
    { ...script, code: `${DNAT}«iptables -t raw -A PREROUTING -p udp -j NOTRACK»\n`, name: 'a NOTRACK broader than the DNAT (every UDP packet)' },
    { ...script, code: `iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -m mark --mark 1 -j DNAT --to-destination 192.168.1.20\n«iptables -t raw -A PREROUTING -i eth0 -p udp --dport 27015 -j NOTRACK»\n`, name: 'a DNAT with another test: its packets are untracked all the same' },
    { ...script, code: `${DNAT}iptables -t raw -N EXEMPT\niptables -t raw -A PREROUTING -j EXEMPT\n«iptables -t raw -A EXEMPT -p udp --dport 27015 -j NOTRACK»\n`, name: 'the NOTRACK in a chain raw PREROUTING jumps to' },
    { ...script, code: `iptables -t nat -N FWD\niptables -t nat -A PREROUTING -i eth0 -j FWD\niptables -t nat -A FWD -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\n«iptables -t raw -A PREROUTING -p udp --dport 27015 -j NOTRACK»\n`, name: 'a DNAT in a chain PREROUTING jumps to' },
    { code: save('«-A OUTPUT -p tcp --dport 80 -j NOTRACK»', '-A OUTPUT -p tcp --dport 80 -j REDIRECT --to-ports 3128'), name: 'the host\'s own connections, a REDIRECT of nat OUTPUT' },
    { ...script, code: `ip6tables -t nat -A PREROUTING -i eth0 -p tcp --dport 443 -j DNAT --to-destination [fd00::20]:443\n«ip6tables -t raw -A PREROUTING -i eth0 -p tcp --dport 443 -j NOTRACK»\n`, name: 'IPv6' },
    { ...script, code: `${MASQ}«iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK»\n`, name: 'forwarded DNS queries untracked beside a MASQUERADE', severity: 'warning' },
    { ...script, code: `${MASQ}«iptables -t raw -A PREROUTING -i eth1 -p udp --dport 53 -j NOTRACK»\n`, name: 'untracked as they arrive from the LAN side' },
    { ...script, code: `iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.4\n«iptables -t raw -A PREROUTING -s 192.168.0.0/16 -p udp -j NOTRACK»\n`, name: 'an SNAT of a network inside the untracked one' },
    { ...script, code: `iptables -t nat -N OUT\niptables -t nat -A POSTROUTING -o eth0 -j OUT\niptables -t nat -A OUT -j MASQUERADE\n«iptables -t raw -A PREROUTING -p tcp -j CT --notrack»\n`, name: 'a MASQUERADE in a chain POSTROUTING jumps to, CT --notrack' },
    { ...script, code: `${MASQ}iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\n«iptables -t raw -A PREROUTING -p udp -j NOTRACK»\n`, name: 'a NOTRACK taking a port forward and forwarded traffic: reported once' },
    { ...script, code: `ip6tables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n«ip6tables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK»\n`, name: 'IPv6 MASQUERADE' },
  ],
});

test('untracked-skips-nat fix: a NOTRACK taking forwarded connections untracks only packets for this host', () => {
  const text = `${MASQ}iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK\n`;
  const { text: fixed, left, finding } = fixFirst(untrackedSkipsNat, text, script);
  assert.equal(fixed, `${MASQ}iptables -t raw -A PREROUTING -m addrtype --dst-type LOCAL -p udp --dport 53 -j NOTRACK\n`);
  assert.equal(left, 0);
  assert.equal(text.slice(finding.related![0].span.start, finding.related![0].span.end), MASQ.trim());
});

test('untracked-skips-nat fix: a save file\'s NOTRACK in a chain of its own', () => {
  const text = save(':EXEMPT - [0:0]\n-A PREROUTING -j EXEMPT\n-A EXEMPT -p udp --dport 53 -j NOTRACK', '-A POSTROUTING -o eth0 -j MASQUERADE');
  const { text: fixed, left } = fixFirst(untrackedSkipsNat, text);
  assert.match(fixed, /^-A EXEMPT -m addrtype --dst-type LOCAL -p udp --dport 53 -j NOTRACK$/m);
  assert.equal(left, 0);
});
