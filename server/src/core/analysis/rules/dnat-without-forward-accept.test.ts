import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table, type RuleCase } from '../../../../../test/support/ruleTester.ts';
import type { UfwPolicy } from '../../model/ufwLoad.ts';
import { dnatWithoutForwardAccept } from './dnat-without-forward-accept.ts';

const dnat = '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080';
const nat = (marked = false) => table('nat', marked ? `«${dnat}»` : dnat);
const est = '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT';

/**
 * A port forward in ufw's before.rules (its filter part as ufw ships it: replies accepted in
 * ufw-before-forward), judged with /etc/default/ufw's forward policy and a user.rules holding
 * `route` (the rules `ufw route allow` writes to ufw-user-forward).
 */
function inUfw(policy: UfwPolicy, routes = '', marked = false, beforeForward = ''): RuleCase {
  const before = nat(marked) + table('filter', `:ufw-before-forward - [0:0]\n-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n${beforeForward}`);
  const user = table('filter', `:ufw-user-forward - [0:0]\n${routes}`);
  return {
    code: before,
    fileName: '/etc/ufw/before.rules',
    options: { settings: { workspaceUfw: { role: 'before', defaults: { file: '/etc/default/ufw', forwardPolicy: policy }, files: [{ role: 'user', file: '/etc/ufw/user.rules', text: user }] } } },
    name: `ufw's before.rules, DEFAULT_FORWARD_POLICY ${policy}${routes ? `, user.rules ${routes.trim()}` : ''}${beforeForward ? `, before.rules ${beforeForward.trim()}` : ''}`,
  };
}

ruleTable(dnatWithoutForwardAccept, {
  valid: [
    { code: nat() + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -i eth0 -o eth1 -p tcp --dport 8080 -d 192.168.1.100 -j ACCEPT`), name: 'the correct port forward' },
    { code: nat() + table('filter', ':FORWARD ACCEPT [0:0]'), name: 'FORWARD policy ACCEPT, nothing dropping' },
    { code: nat() + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -s 203.0.113.0/24 -j ACCEPT`), name: 'an accept that may match is not a proven drop' },
    { code: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination "$WEB"\niptables -P FORWARD DROP\n', dialect: 'script', name: 'unknown destination' },
    { code: table('nat', '-A OUTPUT -d 203.0.113.5 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080') + table('filter', ':FORWARD DROP [0:0]'), name: 'the host\'s own connections (nat OUTPUT) do not pass FORWARD' },
    { code: table('nat', ':local - [0:0]\n-A OUTPUT -j local\n-A local -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080') + table('filter', ':FORWARD DROP [0:0]'), name: 'a user chain only nat OUTPUT reaches' },
    { code: table('nat', '-A PREROUTING -p tcp --dport 8443 -j DNAT --to-destination 127.0.0.1:443') + table('filter', ':FORWARD DROP [0:0]'), name: 'a loopback destination goes to INPUT' },
    inUfw('ACCEPT'),
    inUfw('DROP', '-A ufw-user-forward -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT\n'),
    inUfw('DROP', '', false, '-A ufw-before-forward -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT\n'),
    { code: inUfw('DROP').code, fileName: '/etc/ufw/before.rules', name: 'before.rules without its surroundings: FORWARD is in none of it' },
  ],
  invalid: [
    { code: nat(true) + table('filter', `:FORWARD DROP [0:0]\n${est}\n-A FORWARD -i eth0 -o eth1 -p tcp --dport 80 -d 192.168.1.100 -j ACCEPT`), name: 'accepting the public port instead of the translated one' },
    { code: nat(true) + table('filter', `:FORWARD ACCEPT [0:0]\n${est}\n-A FORWARD -j DROP`), name: 'a DROP rule catches it' },
    { code: nat(true) + table('filter', `:FORWARD DROP [0:0]\n-A FORWARD -i eth0 -p tcp --dport 8080 -d 192.168.1.100 -j ACCEPT`), name: 'replies not accepted' },
    { code: table('nat', ':svc - [0:0]\n-A PREROUTING -j svc\n-A OUTPUT -j svc\n«-A svc -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080»') + table('filter', ':FORWARD DROP [0:0]'), name: 'a user chain both PREROUTING and OUTPUT reach (kube-proxy\'s services)' },
    {
      code: 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080»\niptables -A FORWARD -i eth0 -p tcp --dport 80 -d 192.168.1.100 -j ACCEPT\n',
      dialect: 'script',
      name: 'the script form of the mistake',
    },
    {
      code: 'WAN=eth0\nWEB=192.168.1.100\nsysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -t nat -A PREROUTING -i $WAN -p tcp --dport 80 -j DNAT --to-destination $WEB:8080»\niptables -A FORWARD -i "$WAN" -p tcp --dport 80 -d "$WEB" -j ACCEPT\n',
      dialect: 'script',
      name: 'the same written with the script\'s variables',
    },
    inUfw('DROP', '', true),
    inUfw('REJECT', '', true),
    inUfw('DROP', '-A ufw-user-forward -p tcp --dport 80 -j ACCEPT\n', true),
    inUfw('ACCEPT', '-A ufw-user-forward -p tcp -d 192.168.1.100 -j DROP\n', true),
  ],
});

test('dnat-without-forward-accept in ufw\'s before.rules: the fix accepts the translated traffic in ufw-before-forward, after the file\'s own rules of it', () => {
  const c = inUfw('DROP');
  const { text, left, finding } = fixFirst(dnatWithoutForwardAccept, c.code, c);
  assert.equal(left, 0);
  assert.match(text, /--ctstate RELATED,ESTABLISHED -j ACCEPT\n-A ufw-before-forward -i eth0 -p tcp -d 192\.168\.1\.100 --dport 8080 -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n$/);
  // what decided is in neither file: the related information names the defaults file, on the finding
  assert.deepEqual(finding.related?.map((r) => [r.span, /DEFAULT_FORWARD_POLICY="DROP" in \/etc\/default\/ufw/.test(r.message)]), [[finding.span, true]]);
});

test('dnat-without-forward-accept in ufw\'s before.rules: a drop in user.rules is named by its file and line', () => {
  const c = inUfw('ACCEPT', '-A ufw-user-forward -p tcp -d 192.168.1.100 -j DROP\n');
  const [finding] = lintWith(dnatWithoutForwardAccept, c.code, c);
  assert.match(finding.related![0].message, /\/etc\/ufw\/user\.rules, line 3\)$/);
});
