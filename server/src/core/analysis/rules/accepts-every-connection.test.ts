import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { acceptsEveryConnection } from './accepts-every-connection.ts';

const closed = (rules: string) => table('filter', `:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}`);

ruleTable(acceptsEveryConnection, {
  valid: [
    // replies only; one interface; one source; one port
    { code: closed('-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT') },
    { code: closed('-A INPUT -i lo -j ACCEPT\n-A INPUT -i lan0 -j ACCEPT\n-A FORWARD -i lan0 -o wan0 -j ACCEPT') },
    { code: closed('-A INPUT -s 192.168.1.0/24 -m conntrack --ctstate NEW -j ACCEPT') },
    { code: closed('-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT') },
    // NEW excluded, or negated states
    { code: closed('-A INPUT -m conntrack --ctstate INVALID -j ACCEPT\n-A INPUT -m conntrack ! --ctstate NEW -j ACCEPT') },
    // the chain is open anyway (policy ACCEPT, nothing drops after): the admin's choice
    { code: table('filter', '-A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT\n-A INPUT -j ACCEPT') },
    // OUTPUT is the host's own traffic
    { code: table('filter', ':OUTPUT DROP [0:0]\n-A OUTPUT -j ACCEPT') },
    // a condition of the shell: maybe not run
    { code: 'iptables -P INPUT DROP\nif [ "$OPEN" ]; then\n  iptables -A INPUT -j ACCEPT\nfi\n', dialect: 'script' },
    // a user chain INPUT sends everything to: its accepts of one port, a RETURN of everything before an accept of all
    { code: closed(':ufw-before-input - [0:0]\n-A INPUT -j ufw-before-input\n-A ufw-before-input -p tcp --dport 22 -j ACCEPT\n-A ufw-before-input -j RETURN\n-A ufw-before-input -j ACCEPT') },
    // a chain reached by a goto, a jump of some packets only, a jump after a drop of every new connection, a chain INPUT never reaches
    { code: closed(':open - [0:0]\n-A INPUT -g open\n-A INPUT -i lan0 -j open\n-A open -j ACCEPT') },
    { code: closed(':open - [0:0]\n-A INPUT -m conntrack --ctstate NEW -j DROP\n-A INPUT -j open\n-A open -j ACCEPT') },
    { code: closed(':open - [0:0]\n-A OUTPUT -j open\n-A open -j ACCEPT') },
    // the nested chain drops everything: nothing after its jump is reached
    { code: closed(':gate - [0:0]\n:open - [0:0]\n-A INPUT -j gate\n-A INPUT -j open\n-A gate -j DROP\n-A open -j ACCEPT') },
    // a RETURN of everything in INPUT itself: the policy decides
    { code: closed('-A INPUT -j RETURN\n-A INPUT -j ACCEPT') },
    // two state tests: NEW in one only
    { code: closed('-A INPUT -m conntrack --ctstate NEW,ESTABLISHED -m state --state ESTABLISHED -j ACCEPT') },
  ],
  invalid: [
    { code: closed('-A INPUT -i lo -j ACCEPT\n«-A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT»\n-A INPUT -p tcp --dport 22 -j ACCEPT') },
    { code: closed('-A INPUT -p tcp --dport 22 -j ACCEPT\n«-A INPUT -j ACCEPT»'), name: 'a debugging leftover at the end' },
    { code: closed('«-A FORWARD -m state --state NEW,RELATED,ESTABLISHED -m comment --comment "all" -j ACCEPT»') },
    { code: table('filter', '«-A INPUT -m conntrack --ctstate NEW -j ACCEPT»\n-A INPUT -j REJECT'), name: 'closed by a REJECT of everything at the end, not by the policy' },
    { code: 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\n«iptables -A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT»\n', dialect: 'script' },
    // ufw: INPUT hands everything to its chains, one of them accepts everything
    {
      code: closed(':ufw-before-input - [0:0]\n:ufw-user-input - [0:0]\n-A INPUT -j ufw-before-input\n-A ufw-before-input -i lo -j ACCEPT\n-A ufw-before-input -j ufw-user-input\n«-A ufw-user-input -j ACCEPT»\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT'),
      name: 'two jumps down, from INPUT',
    },
    { code: 'iptables -P FORWARD DROP\niptables -N fw-in\niptables -A FORWARD -m conntrack --ctstate NEW -j fw-in\n«iptables -A fw-in -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT»\n', dialect: 'script' },
  ],
});

test('the fix narrows NEW,ESTABLISHED to the replies it meant, and removes an accept of everything', () => {
  const narrowed = fixFirst(acceptsEveryConnection, closed('-A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT'));
  assert.equal(narrowed.text, closed('-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'));
  assert.equal(narrowed.left, 0);
  const quoted = fixFirst(acceptsEveryConnection, 'iptables -P INPUT DROP\niptables -A INPUT -m state --state "NEW,ESTABLISHED" -j ACCEPT\n', { dialect: 'script' });
  assert.equal(quoted.text, 'iptables -P INPUT DROP\niptables -A INPUT -m state --state "ESTABLISHED,RELATED" -j ACCEPT\n');
  const removed = fixFirst(acceptsEveryConnection, closed('-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j ACCEPT'));
  assert.equal(removed.text, closed('-A INPUT -p tcp --dport 22 -j ACCEPT'));
  // NEW alone has no reply list to become: no fix but the suppression
  const [d] = lintWith(acceptsEveryConnection, closed('-A INPUT -m conntrack --ctstate NEW -j ACCEPT'));
  assert.deepEqual(d.fixes?.filter((f) => !f.title.startsWith('Disable')) ?? [], []);
  assert.ok(d.related?.length === 1);
});

test('an accept after a drop of every new connection takes none: not reported', () => {
  assert.deepEqual(lintWith(acceptsEveryConnection, closed('-A FORWARD -m conntrack --ctstate NEW,INVALID -j DROP\n-A FORWARD -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT')), []);
  assert.equal(lintWith(acceptsEveryConnection, closed('-A FORWARD -m conntrack --ctstate INVALID -j DROP\n-A FORWARD -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT')).length, 1);
});

test('an accept of everything in a chain INPUT sends everything to names the jumps that lead there and what closes INPUT, and is reported once when FORWARD leads there too', () => {
  const text = closed(':shared - [0:0]\n:inner - [0:0]\n-A INPUT -j shared\n-A FORWARD -j shared\n-A shared -j inner\n-A inner -j ACCEPT\n-A inner -j inner');
  const found = lintWith(acceptsEveryConnection, text);
  assert.equal(found.length, 1);
  const [d] = found;
  const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  assert.equal(slice(d.span), '-A inner -j ACCEPT');
  assert.deepEqual(d.related?.map((r) => slice(r.span)), ['-A INPUT -j shared', '-A shared -j inner', 'DROP']);
  // the fix removes the accept where it is
  assert.equal(fixFirst(acceptsEveryConnection, text).text, text.replace('-A inner -j ACCEPT\n', ''));
});

test('chains jumped to from many places are walked once: 28 levels of two jumps each are not 2^27 walks', () => {
  const levels = 28;
  let text = '';
  for (let i = 0; i < levels; i++) text += `:c${i} - [0:0]\n`;
  text += '-A INPUT -j c0\n';
  for (let i = 0; i + 1 < levels; i++) text += `-A c${i} -j c${i + 1}\n-A c${i} -j c${i + 1}\n`;
  text += `-A c${levels - 1} -j ACCEPT\n`;
  const t0 = performance.now();
  const found = lintWith(acceptsEveryConnection, closed(text));
  // a milliseconds' walk with the memo; without it, seconds past this bound
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(found.length, 1);
  assert.equal(found[0].related?.length, levels + 1);
});
