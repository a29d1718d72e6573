import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { mssClampAfterAccept } from './mss-clamp-after-accept.ts';

const script = { dialect: 'script' as const };
const clamp = '-A FORWARD -o ppp0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu';

ruleTable(mssClampAfterAccept, {
  valid: [
    { code: table('filter', `:FORWARD DROP [0:0]\n${clamp}\n-A FORWARD -i eth1 -o ppp0 -j ACCEPT`), name: 'the clamp first' },
    { code: table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n${clamp}\n-A FORWARD -i eth1 -o ppp0 -j ACCEPT`), name: 'only established packets accepted before it: a SYN opens a new connection' },
    { code: table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o eth2 -j ACCEPT\n${clamp}`), name: 'an accept of other interfaces' },
    { code: table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -o ppp0 -p udp -j ACCEPT\n${clamp}`), name: 'an accept of another protocol' },
    { code: table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -o ppp0 -p tcp --tcp-flags ALL NONE -j ACCEPT\n${clamp}`), name: 'an accept of packets with no flag: never a SYN' },
    { code: table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -o ppp0 -p tcp ! --syn -j ACCEPT\n${clamp}`), name: 'an accept of what is not a SYN' },
    { code: table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -i eth+ -o ppp0 -j ACCEPT\n${clamp}`), name: 'a wildcard interface is not judged' },
    { code: table('mangle', `:FORWARD ACCEPT [0:0]\n${clamp}`) + table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o ppp0 -j ACCEPT'), name: 'the clamp in mangle: its FORWARD comes before filter\'s' },
    { ...script, code: 'iptables -A FORWARD -i $LAN -o ppp0 -j ACCEPT\niptables -A FORWARD -o ppp0 -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu\n', name: 'an interface the script does not know' },
  ],
  invalid: [
    { code: table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o ppp0 -j ACCEPT\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A FORWARD -o ppp0 -p tcp --tcp-flags SYN,RST SYN -j «TCPMSS» --clamp-mss-to-pmtu`), name: 'the LAN\'s traffic accepted first' },
    { code: table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -s 192.168.1.0/24 -j ACCEPT\n-A FORWARD -p tcp --syn -j «TCPMSS» --set-mss 1400'), name: 'a network accepted first, --syn' },
    { code: table('mangle', ':POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o wg0 -p tcp -j ACCEPT\n-A POSTROUTING -o wg0 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j «TCPMSS» --clamp-mss-to-pmtu'), name: 'in mangle, after an accept there' },
    { ...script, code: 'LAN=br-lan\nWAN=ppp0\niptables -A FORWARD -i $LAN -o $WAN -j ACCEPT\niptables -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j «TCPMSS» --clamp-mss-to-pmtu\n' },
  ],
});

test('the fix moves the clamp before the accept, and the finding goes; a person applies it', () => {
  for (const [text, dialect] of [
    [table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o ppp0 -j ACCEPT\n${clamp}`), 'save'],
    [`iptables -A FORWARD -i eth1 -o ppp0 -j ACCEPT\niptables ${clamp}\n`, 'script'],
  ] as const) {
    const r = fixFirst(mssClampAfterAccept, text, { dialect });
    assert.ok(r.text.indexOf('TCPMSS') < r.text.indexOf('-i eth1'), r.text);
    assert.equal(r.left, 0);
    assert.equal(r.finding.fixes![0].safe, undefined);
  }
});

test('the related place is the accept that takes the SYN first', () => {
  const text = table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -p icmp -j ACCEPT\n-A FORWARD -i eth1 -j ACCEPT\n${clamp}`);
  const [d] = lintWith(mssClampAfterAccept, text);
  const at = text.indexOf('-A FORWARD -i eth1');
  assert.deepEqual(d.related?.map((r) => r.span.start), [at]);
});
