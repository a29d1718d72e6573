import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { approximateSave, canonicalSave, parseSave } from '../../server/src/apply/saveTables.ts';
import { NamespaceIptables } from '../oracle/realIptables.ts';
import { requirement } from '../support/paths.ts';

/**
 * On a host that allows no throwaway namespace, the diff's new side is iptables-lint's own
 * approximation of iptables-save. Here the real iptables-save judges it: for rules written
 * the way people write them, both must print the same canonical text.
 */
const unavailable = NamespaceIptables.available();
const skip = requirement(!unavailable, unavailable ?? '');

const cases: { family: 'ipv4' | 'ipv6'; text: string }[] = [
  { family: 'ipv4', text: '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:zz - [0:0]\n:aa - [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -s 10.200.77.1 -j ACCEPT\n-A INPUT --protocol udp --destination-port 53 --jump ACCEPT\n-A INPUT -p icmp --icmp-type 8 -j ACCEPT\n-A INPUT ! -s 10.0.0.0/8 -i eth0 -j zz\n-A zz -j aa\n-A aa -d 192.0.2.1 -p tcp -m tcp --sport 1024:65535 -j RETURN\n-A INPUT -m comment --comment "two words" -j ACCEPT\nCOMMIT\n' },
  { family: 'ipv4', text: '*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080\nCOMMIT\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -d 192.168.1.10 -p tcp --dport 8080 -j ACCEPT\nCOMMIT\n' },
  { family: 'ipv6', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -s 2001:db8::1 -p tcp --dport 22 -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\nCOMMIT\n' },
];

test('our approximation of iptables-save agrees with the real one on common rules', { skip }, async () => {
  for (const c of cases) {
    const ns = new NamespaceIptables();
    ns.create();
    try {
      const loaded = await ns.load(c.text, c.family);
      assert.ok(loaded.ok, loaded.message);
      const saved = spawnSync('ip', ['netns', 'exec', ns.name, c.family === 'ipv4' ? 'iptables-save' : 'ip6tables-save'], { encoding: 'utf8' }).stdout;
      assert.equal(canonicalSave(approximateSave(c.text, c.family)), canonicalSave(parseSave(saved)), c.text);
    } finally {
      ns.destroy();
    }
  }
});
