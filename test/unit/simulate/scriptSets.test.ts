import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { tracePacket, definiteVerdict } from '../../../server/src/core/simulate/evaluate.ts';
import { scriptSetMembers } from '../../../server/src/core/simulate/ipsetMembers.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

const RULES = 'iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -m set --match-set admins src -j ACCEPT\n';

/** The verdict for an ssh SYN from `src` once the script has run, its own sets' members known. */
function verdict(script: string, src: string): string {
  const rs = new FirewallDocument(script, { dialect: 'script' }).ruleSet;
  const sets = scriptSetMembers(rs);
  const packet = parsePacketSpec(`proto=tcp src=${src} dst=10.0.0.1 dport=22 local=10.0.0.1`).packet!;
  return definiteVerdict(tracePacket(rs, sets ? { ...packet, sets } : packet)) ?? 'UNCERTAIN';
}

test('a script\'s own sets decide its set matches: created once, filled with plain entries at the top level', () => {
  const made = 'ipset create admins hash:net\nipset add admins 198.51.100.0/28\nipset add admins 198.51.100.8/29 nomatch\n';
  assert.equal(verdict(made + RULES, '198.51.100.1'), 'ACCEPT');
  assert.equal(verdict(made + RULES, '203.0.113.1'), 'DROP');
  // inside an exception: which wins is not worked out
  assert.equal(verdict(made + RULES, '198.51.100.9'), 'UNCERTAIN');
});

test('members the script does not make plain are not known: the set match stays undecided', () => {
  for (const [name, sets] of [
    ['an add under a condition', 'ipset create admins hash:ip\nif [ -n "$X" ]; then ipset add admins 198.51.100.1; fi\n'],
    ['an entry the shell expands', 'ipset create admins hash:ip\nfor ip in $ADMINS; do ipset add admins "$ip"; done\n'],
    ['a del', 'ipset create admins hash:ip\nipset add admins 198.51.100.1\nipset del admins 198.51.100.1\n'],
    ['a flush', 'ipset create admins hash:ip\nipset add admins 198.51.100.1\nipset flush admins\n'],
    ['a restore here-document', 'ipset restore <<EOF\ncreate admins hash:ip\nadd admins 198.51.100.2\nEOF\n'],
    ['a restore from a file', 'ipset create admins hash:ip\nipset restore -f /etc/ipsets.conf\n'],
    ['no set made at all', ''],
  ] as const) {
    assert.equal(verdict(sets + RULES, '198.51.100.1'), 'UNCERTAIN', name);
  }
});

test('an IPv6 set of networks decides ip6tables\' set matches', () => {
  const script = 'ipset create admins6 hash:net family inet6\nipset add admins6 2001:db8:1::/48\nip6tables -P INPUT DROP\nip6tables -A INPUT -p tcp --dport 22 -m set --match-set admins6 src -j ACCEPT\n';
  const rs = new FirewallDocument(script, { dialect: 'script' }).ruleSet;
  const sets = scriptSetMembers(rs)!;
  const of = (src: string) => definiteVerdict(tracePacket(rs, { ...parsePacketSpec(`proto=tcp src=${src} dst=2001:db8::1 dport=22 local=2001:db8::1`).packet!, sets })) ?? 'UNCERTAIN';
  assert.equal(of('2001:db8:1:ff::7'), 'ACCEPT');
  assert.equal(of('2001:db8:2::7'), 'DROP');
});
