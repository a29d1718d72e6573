import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import type { Dialect } from '../../model/types.ts';
import { ineffectiveLimit } from './ineffective-limit.ts';

const script = { dialect: 'script' as const };
const ping = '-p icmp --icmp-type echo-request';

ruleTable(ineffectiveLimit, {
  valid: [
    { code: table('filter', `:INPUT DROP [0:0]\n-A INPUT ${ping} -m limit --limit 1/s -j ACCEPT`), name: 'the DROP policy takes the excess' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ping} -m limit --limit 1/s -j ACCEPT\n-A INPUT ${ping} -j DROP`), name: 'a drop right after' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --syn -m limit --limit 10/s -j ACCEPT\n-A INPUT -p tcp --dport 80 -j ACCEPT'), name: 'the excess is accepted on one port only: some of it is dropped' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -m hashlimit --hashlimit-above 10/min --hashlimit-mode srcip --hashlimit-name ssh -j DROP'), name: 'hashlimit above: the excess itself' },
    // measured (1.8.9, both backends): listed as --hashlimit-above
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -m hashlimit ! --hashlimit-upto 10/min --hashlimit-mode srcip --hashlimit-name ssh -j DROP'), name: 'hashlimit ! upto: the excess too' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m limit --limit 5/min -j LOG'), name: 'a limited LOG' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:flood - [0:0]\n-A INPUT -p tcp --syn -j flood\n-A flood -m limit --limit 10/s -j RETURN\n-A flood -j DROP'), name: 'the RETURN pattern of a user chain' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n:icmp - [0:0]\n-A INPUT -p icmp -j icmp\n-A INPUT -p icmp -j DROP\n-A icmp ${ping} -m limit --limit 1/s -j ACCEPT`), name: 'in a user chain whose caller drops the excess after the jump' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n:icmp - [0:0]\n-A icmp ${ping} -m limit --limit 1/s -j ACCEPT`), name: 'in a user chain nothing jumps to' },
    { ...script, code: `iptables -P INPUT DROP\niptables -A INPUT ${ping} -m limit --limit 1/s -j ACCEPT\n` },
  ],
  invalid: [
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ping} -m «limit» --limit 1/s --limit-burst 5 -j ACCEPT`), name: 'an ACCEPT policy takes the excess' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m «hashlimit» --hashlimit-upto 3/min --hashlimit-mode srcip --hashlimit-name ssh -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'hashlimit upto, then the same port accepted again' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m «hashlimit» ! --hashlimit-above 3/min --hashlimit-mode srcip --hashlimit-name ssh -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'hashlimit ! above (listed as upto), then the same port accepted again' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --syn -m «limit» --limit 10/s -j DROP'), name: 'a limited DROP lets the flood through' },
    { code: table('filter', ':FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp --dport 53 -m «limit» --limit 100/s -j ACCEPT'), name: 'OUTPUT' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n:icmp - [0:0]\n-A INPUT -p icmp -j icmp\n-A icmp ${ping} -m «limit» --limit 1/s -j ACCEPT`), name: 'in a user chain: the excess returns to INPUT, whose policy accepts it' },
    { ...script, code: `iptables -A INPUT ${ping} -m «limit» --limit 1/s -j ACCEPT\n` },
  ],
});

const fixed = (text: string, dialect: Dialect = 'save') => fixFirst(ineffectiveLimit, text, { dialect });

test('ineffective-limit: related information points at what accepts the excess', () => {
  const text = table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ping} -m limit --limit 1/s -j ACCEPT\n-A INPUT -p icmp -j ACCEPT`);
  const [d] = lintWith(ineffectiveLimit, text);
  assert.equal(text.slice(d.related![0].span.start, d.related![0].span.end), '-A INPUT -p icmp -j ACCEPT');
  const policy = table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ping} -m limit --limit 1/s -j ACCEPT`);
  const [p] = lintWith(ineffectiveLimit, policy);
  assert.equal(policy.slice(p.related![0].span.start, p.related![0].span.end), 'ACCEPT');
  const chained = table('filter', `:INPUT ACCEPT [0:0]\n:icmp - [0:0]\n-A INPUT -p icmp -j icmp\n-A icmp ${ping} -m limit --limit 1/s -j ACCEPT`);
  const [c] = lintWith(ineffectiveLimit, chained);
  assert.equal(chained.slice(c.related![0].span.start, c.related![0].span.end), 'ACCEPT', 'the policy of INPUT, where the excess returns');
  const [drop] = lintWith(ineffectiveLimit, table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --syn -m limit --limit 10/s -j DROP'));
  assert.deepEqual(drop.fixes?.filter((f) => !f.title.startsWith('Disable')) ?? [], [], 'no fix for a limited DROP');
});

test('ineffective-limit fix: the same packets dropped right after, without the limit', () => {
  const save = fixed(table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ping} -m limit --limit 1/s --limit-burst 5 -m comment --comment "ping  flood" -j ACCEPT`));
  assert.match(save.text, /\n-A INPUT -p icmp --icmp-type echo-request -m limit --limit 1\/s --limit-burst 5 -m comment --comment "ping {2}flood" -j ACCEPT\n-A INPUT -p icmp --icmp-type echo-request -m comment --comment "ping {2}flood" -j DROP\n/);
  assert.equal(save.left, 0);
  const sh = fixed('if true; then\n  sudo iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m hashlimit --hashlimit-upto 3/min --hashlimit-name ssh -j ACCEPT\nfi\n', 'script');
  assert.equal(sh.text, 'if true; then\n  sudo iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m hashlimit --hashlimit-upto 3/min --hashlimit-name ssh -j ACCEPT\n  sudo iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j DROP\nfi\n');
  assert.equal(sh.left, 0);
});
