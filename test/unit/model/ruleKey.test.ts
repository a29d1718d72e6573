import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptRuleSet } from '../../../server/src/core/model/scriptDocument.ts';

/**
 * `-D CHAIN spec` finds the rule iptables would find. Each pair was run with iptables 1.8.9
 * (nf_tables) in a throwaway namespace: the rule appended, then the delete.
 */
const found: [string, string][] = [
  ['-p tcp --dport 22 -j ACCEPT', '-p tcp -m tcp --dport 22 -j ACCEPT'],
  ['-p tcp --dport 22 -j ACCEPT', '-p tcp --dport ssh -j ACCEPT'],
  ['-p TCP --dport 22 -j ACCEPT', '-p 6 --destination-port 22 -j ACCEPT'],
  ['-s 10.0.0.1 -j ACCEPT', '-s 10.0.0.1/32 -j ACCEPT'],
  ['-s 10.1.2.3/8 -j DROP', '-s 10.0.0.0/255.0.0.0 -j DROP'],
  ['-p tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT', '-s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT'],
  ['-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
  ['-i eth0 -j DROP', '--in-interface eth0 --jump DROP'],
];
const notFound: [string, string][] = [
  ['-m comment --comment a -j ACCEPT', '-m comment --comment b -j ACCEPT'],
  ['-s 10.0.0.0/8 -j DROP', '-s 10.0.0.0/16 -j DROP'],
  ['! -s 1.2.3.4 -j DROP', '-s 1.2.3.4 -j DROP'],
  ['-j LOG --log-prefix a', '-j LOG --log-prefix b'],
  ['-m comment --comment x -m conntrack --ctstate NEW -j ACCEPT', '-m conntrack --ctstate NEW -m comment --comment x -j ACCEPT'],
  ['-p tcp --dport 22 -j ACCEPT', '-p tcp --dport 22 -j DROP'],
  ['-p tcp --dport 22 -j ACCEPT', '-p tcp -m multiport --dports 22 -j ACCEPT'],
];

function deletes(added: string, deleted: string): boolean {
  const rs = scriptRuleSet(`iptables -A INPUT ${added}\niptables -D INPUT ${deleted}\n`);
  return rs.tables.get('ipv4:filter')!.chains.get('INPUT')!.rules.length === 0;
}

test('-D finds the rule however its specification is written, as iptables does', () => {
  for (const [added, deleted] of found) assert.ok(deletes(added, deleted), `-A INPUT ${added} | -D INPUT ${deleted}`);
});

test('-D does not find a rule that differs in what iptables compares (comment, prefix, negation, target, match order)', () => {
  for (const [added, deleted] of notFound) assert.ok(!deletes(added, deleted), `-A INPUT ${added} | -D INPUT ${deleted}`);
});

test('ip6tables -D finds an IPv6 network however it is written (ip6tables-nft 1.8.9, measured the same way)', () => {
  const deletes6 = (added: string, deleted: string) => {
    const rs = scriptRuleSet(`ip6tables -A INPUT ${added}\nip6tables -D INPUT ${deleted}\n`);
    return rs.tables.get('ipv6:filter')!.chains.get('INPUT')!.rules.length === 0;
  };
  for (const [added, deleted] of [
    ['-s 2001:db8::1/128 -j DROP', '-s 2001:DB8:0::1 -j DROP'],
    ['-s 2001:db8:1::5/48 -j DROP', '-s 2001:db8:1::/ffff:ffff:ffff:: -j DROP'],
    ['-d fd00::/8 -j ACCEPT', '-d FD00:0:0::/8 -j ACCEPT'],
  ]) assert.ok(deletes6(added, deleted), `-A INPUT ${added} | -D INPUT ${deleted}`);
  assert.ok(!deletes6('-s 2001:db8:1::/48 -j DROP', '-s 2001:db8:2::/48 -j DROP'));
});
