import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { limitThrottlesConnections } from './limit-throttles-connections.ts';

const script = { dialect: 'script' as const };
const ssh = '-A INPUT -p tcp --dport 22 -m limit --limit 3/min --limit-burst 5 -j ACCEPT';

ruleTable(limitThrottlesConnections, {
  valid: [
    { code: table('filter', `:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n${ssh}`), name: 'established connections accepted first' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m limit --limit 3/min -j ACCEPT'), name: 'the limit takes new connections only' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --syn -m limit --limit 1/s -j ACCEPT'), name: 'SYN packets only' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n${ssh}`), name: 'the excess is accepted (ineffective-limit says so)' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p icmp --icmp-type echo-request -m limit --limit 1/s -j ACCEPT'), name: 'a ping limit throttles every echo request on purpose' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p udp --dport 53 -m limit --limit 10/s -j ACCEPT'), name: 'UDP is left alone' },
    { code: table('filter', `:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\n${ssh}`), name: 'some packets accepted before it, others not: not every way reaches it' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m hashlimit --hashlimit-above 3/min --hashlimit-name ssh -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'the excess matched and dropped: established packets are counted too, but the rule is no accept' },
  ],
  invalid: [
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -m «limit» --limit 3/min --limit-burst 5 -j ACCEPT'), name: 'the policy drops the excess' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 80 -m «limit» --limit 25/minute --limit-burst 100 -j ACCEPT\n-A INPUT -p tcp --dport 80 -j REJECT'), name: 'a later rule rejects it' },
    { code: table('filter', ':INPUT DROP [0:0]\n:ssh - [0:0]\n-A INPUT -p tcp --dport 22 -j ssh\n-A ssh -p tcp -m «hashlimit» --hashlimit-upto 3/min --hashlimit-mode srcip --hashlimit-name ssh -j ACCEPT'), name: 'in a user chain, hashlimit per source' },
    { ...script, code: 'iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -m «limit» --limit 3/min -j ACCEPT\n' },
  ],
});

test('the fix accepts ESTABLISHED,RELATED at the head of the chain, and the finding goes; a person applies it', () => {
  for (const [text, dialect] of [
    [table('filter', `:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n${ssh}`), 'save'],
    [`iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables ${ssh}\n`, 'script'],
  ] as const) {
    const r = fixFirst(limitThrottlesConnections, text, { dialect });
    // a script inserts it (-I) after the command that adds the limit
    assert.ok(dialect === 'save' ? r.text.indexOf('ESTABLISHED,RELATED') < r.text.indexOf('-i lo') : r.text.includes('iptables -I INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'), r.text);
    assert.equal(r.left, 0);
    assert.equal(r.finding.fixes![0].safe, undefined);
  }
});

test('the related place drops what goes over the rate', () => {
  const text = table('filter', `:INPUT ACCEPT [0:0]\n${ssh}\n-A INPUT -p tcp --dport 22 -j DROP`);
  const [d] = lintWith(limitThrottlesConnections, text);
  assert.deepEqual(d.related?.map((r) => r.span.start), [text.indexOf('-A INPUT -p tcp --dport 22 -j DROP')]);
});
