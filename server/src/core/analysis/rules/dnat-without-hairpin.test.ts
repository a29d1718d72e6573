import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { FirewallDocument } from '../../facade.ts';
import { dnatWithoutHairpin } from './dnat-without-hairpin.ts';

const script = { dialect: 'script' as const };
const dnat = 'iptables -t nat -A PREROUTING -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080';
const local = 'iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -p tcp --dport 443 -j DNAT --to-destination 10.0.0.5';

ruleTable(dnatWithoutHairpin, {
  valid: [
    { code: `${dnat}\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -d 192.168.1.100 -p tcp --dport 8080 -j MASQUERADE\n`, ...script, name: 'the hairpin MASQUERADE' },
    { code: `${dnat}\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -j MASQUERADE\n`, ...script, name: 'the LAN masqueraded whatever interface it leaves by' },
    { code: `${dnat}\niptables -A FORWARD -o eth1 -d 192.168.1.100 -p tcp --dport 8080 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth1 -j SNAT --to-source 192.168.1.1\n`, ...script, name: 'an SNAT out of the interface FORWARD sends the server\'s traffic to' },
    { code: `${dnat}\niptables -A FORWARD -o eth1 ! -d 10.0.0.0/8 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n`, ...script, name: 'FORWARD sends all but another network out of that interface' },
    { code: `${dnat}\niptables -t nat -N hairpin\niptables -t nat -A POSTROUTING -j hairpin\niptables -t nat -A hairpin -d 192.168.1.100 -m conntrack --ctstate DNAT -j MASQUERADE\n`, ...script, name: 'in a chain POSTROUTING jumps to' },
    { code: `${dnat}\niptables -t nat -A POSTROUTING -o $LAN -j MASQUERADE\n`, ...script, name: 'a source NAT with a shell expansion' },
    { code: 'iptables -t nat -A PREROUTING -i eth0 -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n', ...script, name: 'only connections arriving on one interface' },
    { code: 'iptables -t nat -A PREROUTING ! -s 192.168.1.0/24 -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n', ...script, name: 'a source test' },
    { code: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n', ...script, name: 'no destination tested: dnat-any-destination\'s finding' },
    { code: 'iptables -t nat -A PREROUTING -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 198.51.100.7:8080\n', ...script, name: 'a server on a public address' },
    { code: 'iptables -t nat -A PREROUTING -d 192.168.1.100 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n', ...script, name: 'another port of the address it tests' },
    { code: 'iptables -t nat -A OUTPUT -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n', ...script, name: 'the host\'s own connections' },
    { code: 'iptables -t nat -A PREROUTING -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination $SERVER\n', ...script, name: 'a server named by a variable' },
    { code: table('nat', ':PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A PREROUTING -p tcp -m addrtype --dst-type LOCAL -m tcp --dport 13001 -j DNAT --to-destination 10.42.165.214:8080'), name: 'a Docker host (br_netfilter on)' },
    { code: 'ip6tables -t nat -A PREROUTING -d 2001:db8::1 -p tcp --dport 80 -j DNAT --to-destination [fd00::5]:8080\n', ...script, name: 'IPv6' },
  ],
  invalid: [
    { code: `«${dnat}»\n`, ...script, severity: 'info', name: 'a port forward to the public address, no source NAT' },
    { code: `«${dnat}»\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\niptables -t nat -A POSTROUTING -s 10.8.0.0/24 -j MASQUERADE\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -d 192.168.1.100 -p udp -j MASQUERADE\niptables -t nat -A POSTROUTING -d 192.168.1.100 -p tcp --dport 80 -j MASQUERADE\n`, ...script, name: 'source NAT out of another interface, for another network, another protocol or port' },
    { code: `«${local}»\n`, ...script, name: 'addrtype LOCAL' },
    { code: `«${dnat}»\niptables -A FORWARD -o eth1 ! -d 192.168.1.0/24 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n`, ...script, name: 'source NAT out of an interface FORWARD sends all but the server\'s network to' },
    { code: table('nat', ':PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n«-A PREROUTING -d 203.0.113.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080»\n-A POSTROUTING -o eth0 -j MASQUERADE'), name: 'save file' },
  ],
});

test('dnat-without-hairpin: the quick fix masquerades connections from the server\'s /24 to its translated port, with the DNAT\'s tool', () => {
  const text = `set -e\n  sudo ${dnat}\necho done\n`;
  const [d] = lintWith(dnatWithoutHairpin, text, script);
  assert.match(d.fixes![0].title, /hairpin/);
  assert.equal(applyFix(text, d.fixes![0]), `set -e\n  sudo ${dnat}\n  sudo iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -d 192.168.1.100 -p tcp --dport 8080 -j MASQUERADE\necho done\n`);
  assert.deepEqual(lintWith(dnatWithoutHairpin, applyFix(text, d.fixes![0]), script), []);
  const [l] = lintWith(dnatWithoutHairpin, `${local}`, script);
  assert.match(applyFix(local, l.fixes![0]), /-s 10\.0\.0\.0\/24 -d 10\.0\.0\.5 -p tcp --dport 443 -j MASQUERADE\n$/);
});

test('dnat-without-hairpin follows edits of a save file (the DNATs it looks at are kept across them)', () => {
  let text = table('nat', ':PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -d 203.0.113.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n-A POSTROUTING -o eth9 -j MASQUERADE');
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const found = () => doc.diagnostics().filter((x) => x.code === 'dnat-without-hairpin').length;
  const edit = (from: string, to: string) => {
    const at = text.lastIndexOf(from);
    assert.ok(at >= 0, from);
    text = text.slice(0, at) + to + text.slice(at + from.length);
    doc.update(text, [{ start: at, end: at + from.length, text: to }]);
  };
  assert.equal(found(), 1);
  edit('-o eth9', '-d 192.168.1.100');
  assert.equal(found(), 0, 'the source NAT now names the server');
  edit('-d 192.168.1.100', '-o eth9');
  assert.equal(found(), 1);
  edit('-A PREROUTING -d', '-A PREROUTING -i eth0 -d');
  assert.equal(found(), 0, 'the DNAT now tests the interface');
});
