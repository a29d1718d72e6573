import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { logWithoutLimit } from './log-without-limit.ts';

const script = { dialect: 'script' as const };

ruleTable(logWithoutLimit, {
  valid: [
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m limit --limit 5/min -j LOG'), name: 'limited' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m hashlimit --hashlimit-upto 1/min --hashlimit-mode srcip --hashlimit-name log -j LOG'), name: 'limited per source' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m statistic --mode random --probability 0.01 -j LOG'), name: 'a sample' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -j LOG'), name: 'the policy accepts: an audit log, not of drops' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j LOG\n-A INPUT -p tcp --dport 22 -j ACCEPT'), name: 'logged, then accepted' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -j LOG\n-A INPUT -p tcp -j DROP'), name: 'the drop after it takes only some of what it logs' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -j LOG\n-A INPUT -p tcp --dport 80 -j ACCEPT'), name: 'a rule between it and the policy' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:logdrop - [0:0]\n-A INPUT -j logdrop\n-A logdrop -j LOG'), name: 'a user chain ending in a LOG returns to its caller' },
    { ...script, code: 'iptables -P INPUT DROP\niptables -A INPUT -j LOG\niptables -D INPUT -j LOG\n', name: 'deleted by a later command' },
  ],
  invalid: [
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -j «LOG» --log-prefix "dropped: "'), name: 'last rule before a DROP policy' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j «LOG»\n-A INPUT -p tcp --dport 23 -j DROP'), name: 'the same tests, then DROP' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j «LOG»\n-A INPUT -j NFLOG\n-A INPUT -j REJECT'), name: 'another log between, then a REJECT of everything' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A INPUT -s 192.0.2.0/24 -j LOGDROP\n-A LOGDROP -j «LOG»\n-A LOGDROP -j DROP'), name: 'a LOGDROP chain' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m hashlimit --hashlimit-above 10/s --hashlimit-name x -j «LOG»\n-A INPUT -j DROP'), name: 'hashlimit above logs the flood itself' },
    { ...script, code: 'iptables -P INPUT DROP\niptables -A INPUT -j «LOG» --log-prefix "in: "\n' },
  ],
});

test('the fix puts a limit before -j LOG, and the finding goes; a person applies it', () => {
  for (const [text, dialect] of [[table('filter', ':INPUT DROP [0:0]\n-A INPUT -j LOG --log-prefix "drop: "'), 'save'], ['iptables -P INPUT DROP\niptables -A INPUT -p tcp -j LOG\n', 'script']] as const) {
    const r = fixFirst(logWithoutLimit, text, { dialect });
    assert.ok(r.text.includes('-m limit --limit 5/min -j LOG'), r.text);
    assert.equal(r.left, 0);
    assert.equal(r.finding.fixes![0].safe, undefined);
  }
});

test('the related place is the rule or policy that drops what was logged', () => {
  const text = table('filter', ':INPUT DROP [0:0]\n-A INPUT -j LOG');
  const [d] = lintWith(logWithoutLimit, text);
  assert.equal(text.slice(d.related![0].span.start, d.related![0].span.end), 'DROP');
  const text2 = table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -j LOG\n-A INPUT -j DROP');
  const [d2] = lintWith(logWithoutLimit, text2);
  assert.equal(text2.slice(d2.related![0].span.start, d2.related![0].span.end), '-A INPUT -j DROP');
});
