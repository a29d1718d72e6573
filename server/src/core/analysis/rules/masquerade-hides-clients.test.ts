import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { masqueradeHidesClients } from './masquerade-hides-clients.ts';

const script = { dialect: 'script' as const };
const FORWARD = 'iptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -d 192.168.1.10 -p tcp --dport 80 -j ACCEPT\n';
const DNAT = 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10\n';
const nat = (rules: string[]) => `*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080\n${rules.join('\n')}\nCOMMIT\n`;

ruleTable(masqueradeHidesClients, {
  valid: [
    { ...script, code: `${FORWARD}${DNAT}iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n`, name: 'the MASQUERADE names the way out to the internet' },
    { ...script, code: `${FORWARD}${DNAT}iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -j MASQUERADE\n`, name: 'only the LAN\'s own connections' },
    { ...script, code: `${FORWARD}${DNAT}iptables -t nat -A POSTROUTING ! -d 192.168.1.0/24 -j MASQUERADE\n`, name: 'not those going to the LAN' },
    { ...script, code: `${FORWARD}${DNAT}iptables -t nat -A POSTROUTING -d 192.168.1.0/24 -j ACCEPT\niptables -t nat -A POSTROUTING -j MASQUERADE\n`, name: 'an accept before it lets connections to the LAN pass untranslated' },
    { ...script, code: `${FORWARD}${DNAT}iptables -t nat -A POSTROUTING -m mark --mark 0x1 -j MASQUERADE\n`, name: 'a test the analysis cannot decide' },
    { ...script, code: `${FORWARD}iptables -t nat -A PREROUTING -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10\niptables -t nat -A POSTROUTING -j MASQUERADE\n`, name: 'a port forward without an incoming interface (hairpin NAT wants the translation)' },
    { ...script, code: `${FORWARD}iptables -t nat -A PREROUTING -i eth0 -s 192.168.2.0/24 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10\niptables -t nat -A POSTROUTING -j MASQUERADE\n`, name: 'a port forward from a private network' },
    { ...script, code: `${FORWARD}iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 203.0.113.20\niptables -t nat -A POSTROUTING -j MASQUERADE\n`, name: 'a port forward to a public address' },
    { code: nat(['-A POSTROUTING -o eth0 -j MASQUERADE']), name: 'a save file with -o' },
  ],
  invalid: [
    { ...script, code: `${FORWARD}${DNAT}«iptables -t nat -A POSTROUTING -j MASQUERADE»\n`, name: 'a MASQUERADE without -o', severity: 'info' },
    { ...script, code: `${FORWARD}${DNAT}«iptables -t nat -A POSTROUTING -o eth1 -j SNAT --to-source 192.168.1.1»\n`, name: 'an SNAT out of the LAN side' },
    { code: nat(['«-A POSTROUTING -j MASQUERADE»']), name: 'a save file' },
    { ...script, code: `${FORWARD}iptables -t nat -A PREROUTING -i eth0 -s 203.0.113.0/24 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10\n«iptables -t nat -A POSTROUTING -j MASQUERADE»\n`, name: 'a port forward for a partner\'s public network' },
    { ...script, code: `${FORWARD}${DNAT}iptables -t nat -N SNATS\niptables -t nat -A POSTROUTING -j SNATS\n«iptables -t nat -A SNATS -j MASQUERADE»\n`, name: 'in a chain POSTROUTING jumps to' },
  ],
});

test('masquerade-hides-clients: one finding per MASQUERADE, at it, with the port forward beside it', () => {
  const text = `${FORWARD}${DNAT}iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 443 -j DNAT --to-destination 192.168.1.10\niptables -t nat -A POSTROUTING -j MASQUERADE\n`;
  const { text: fixed, left } = fixFirst(masqueradeHidesClients, text, script);
  assert.equal(left, 0);
  assert.match(fixed, /^iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE$/m);
  const save = fixFirst(masqueradeHidesClients, nat(['-A POSTROUTING -j MASQUERADE']));
  assert.match(save.text, /^-A POSTROUTING -o eth0 -j MASQUERADE$/m);
});
