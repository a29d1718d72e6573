import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { FirewallDocument } from '../../facade.ts';
import { hashlimitSettingsIgnored } from './hashlimit-settings-ignored.ts';

const script = { dialect: 'script' as const };
const hl = (settings: string, name = 'h') => `-m hashlimit ${settings} --hashlimit-name ${name}`;
const input = (lines: string[]) => table('filter', `:INPUT ACCEPT [0:0]\n${lines.map((l) => `-A INPUT ${l}`).join('\n')}`);

ruleTable(hashlimitSettingsIgnored, {
  valid: [
    { code: input([`-p icmp ${hl('--hashlimit-above 10/sec --hashlimit-mode srcip')} -j DROP`, `-p udp ${hl('--hashlimit-above 10/sec --hashlimit-mode srcip')} -j DROP`]), name: 'the same settings on one table' },
    { code: input([`${hl('--hashlimit-upto 300/minute')} -j ACCEPT`, `${hl('--hashlimit-upto 5/s --hashlimit-htable-expire 60000')} -j ACCEPT`]), name: '300/minute is 5/second, with the expiry of a minute (written out on the other rule)' },
    { code: input([`${hl('--hashlimit-upto 5/s --hashlimit-burst 5 --hashlimit-srcmask 32 --hashlimit-htable-gcinterval 1000')} -j ACCEPT`, `${hl('--hashlimit-upto 5/second')} -j ACCEPT`]), name: 'defaults written out on one rule' },
    { code: input([`${hl('--hashlimit-upto 5/s --hashlimit-mode srcip,dstport')} -j ACCEPT`, `${hl('--hashlimit-above 5/s --hashlimit-mode dstport,srcip')} -j DROP`]), name: 'upto and above of one rate, the mode in another order' },
    { code: input([`${hl('--hashlimit-upto 5/s', 'a')} -j ACCEPT`, `${hl('--hashlimit-upto 50/s', 'b')} -j ACCEPT`]), name: 'tables of their own' },
    { ...script, code: `iptables -A INPUT ${hl('--hashlimit-upto 5/s')} -j ACCEPT\nip6tables -A INPUT ${hl('--hashlimit-upto 50/s')} -j ACCEPT\n`, name: 'IPv4 and IPv6 tables are separate' },
    { ...script, code: `if [ "$STRICT" ]; then\n  iptables -A INPUT ${hl('--hashlimit-upto 5/s')} -j ACCEPT\nfi\niptables -A INPUT ${hl('--hashlimit-upto 50/s')} -j ACCEPT\n`, name: 'the first rule only under a condition: it may not be there' },
    { ...script, code: `iptables -A INPUT ${hl('--hashlimit-upto 5/s')} -j ACCEPT\niptables -F INPUT\niptables -A INPUT ${hl('--hashlimit-upto 50/s')} -j ACCEPT\n`, name: 'the first rule flushed before the second is added' },
    { ...script, code: `iptables -A INPUT ${hl('--hashlimit-upto 5/s')} -j ACCEPT\niptables -D INPUT ${hl('--hashlimit-upto 50/s')} -j ACCEPT\n`, name: 'a -D adds nothing' },
    { ...script, code: `iptables -A INPUT ${hl('--hashlimit-upto 5/s')} -j ACCEPT\niptables -A INPUT ${hl('--hashlimit-upto "$RATE"')} -j ACCEPT\n`, name: 'a rate the shell expands' },
  ],
  invalid: [
    { code: input([`-p icmp ${hl('--hashlimit-above 1000/sec --hashlimit-burst 5 --hashlimit-mode srcip')} -j DROP`, `-p icmp -m hashlimit --hashlimit-above 125/sec --hashlimit-burst 5 --hashlimit-mode srcip «--hashlimit-name h» -j DROP`]), name: 'another rate (a home router\'s dump)', severity: 'warning' },
    { code: input([`${hl('--hashlimit-upto 1/min --hashlimit-burst 1')} -j ACCEPT`, `-m hashlimit --hashlimit-upto 1/min «--hashlimit-name h» -j ACCEPT`]), name: 'the default burst against a written one' },
    { code: input([`${hl('--hashlimit-upto 5/s --hashlimit-mode srcip')} -j ACCEPT`, `-m hashlimit --hashlimit-upto 5/s --hashlimit-mode dstip «--hashlimit-name h» -j ACCEPT`, `-m hashlimit --hashlimit-upto 5/s --hashlimit-mode srcip --hashlimit-srcmask 24 «--hashlimit-name h» -j ACCEPT`]), name: 'another mode, another mask' },
    { code: input([`${hl('--hashlimit-upto 5/s')} -j ACCEPT`, `-m hashlimit --hashlimit-upto 5kb/s «--hashlimit-name h» -j ACCEPT`]), name: 'bytes against packets' },
    { code: input([`${hl('--hashlimit-upto 300/minute')} -j ACCEPT`, `-m hashlimit --hashlimit-upto 5/s «--hashlimit-name h» -j ACCEPT`]), name: 'one rate in other units: the expiry differs (a minute against a second)' },
    { code: input([`${hl('--hashlimit-upto 5/s --hashlimit-htable-size 1024')} -j ACCEPT`, `-m hashlimit --hashlimit-upto 5/s «--hashlimit-name h» -j ACCEPT`]), name: 'a table size on the first rule only' },
    { code: `*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING ${hl('--hashlimit-upto 1/s')}\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m hashlimit --hashlimit-upto 100/s «--hashlimit-name h» -j ACCEPT\nCOMMIT\n`, name: 'tables of the mangle and filter tables are one' },
    { code: input([`${hl('--hashlimit-above 5/s --hashlimit-rate-match')} -j DROP`, `-m hashlimit --hashlimit-above 5/s «--hashlimit-name h» -j DROP`]), name: 'rate-match beside a plain limit: refused', severity: 'error' },
    { ...script, code: `iptables -A INPUT ${hl('--hashlimit-upto 5/s')} -j ACCEPT\nif [ -n "$X" ]; then\n  iptables -A FORWARD -m hashlimit --hashlimit-upto 50/s «--hashlimit-name h» -j ACCEPT\nfi\n`, name: 'a script: the first rule at the top, the second under a condition' },
  ],
});

test('hashlimit-settings-ignored fix: a table of its own, a name no rule of the family uses', () => {
  const text = input([`${hl('--hashlimit-upto 5/s')} -j ACCEPT`, `${hl('--hashlimit-upto 5/s', 'h-2')} -j ACCEPT`, `${hl('--hashlimit-upto 50/s')} -j ACCEPT`]);
  const { text: fixed, left } = fixFirst(hashlimitSettingsIgnored, text);
  assert.equal(left, 0);
  assert.match(fixed, /--hashlimit-upto 50\/s --hashlimit-name h-3 -j ACCEPT/);
});

test('hashlimit-settings-ignored names what is ignored and what the table keeps, and points at the rule that made it', () => {
  const text = input([`${hl('--hashlimit-upto 1/min --hashlimit-burst 1')} -j ACCEPT`, `${hl('--hashlimit-upto 1000/s --hashlimit-burst 1000')} -j ACCEPT`]);
  const [d] = lintWith(hashlimitSettingsIgnored, text);
  assert.equal(d.related?.[0].span.start, text.indexOf('-A INPUT'));
  for (const part of ['--hashlimit-upto 1000/s', '--hashlimit-burst 1000', '--hashlimit-upto 1/min', '--hashlimit-burst 1']) assert.ok(d.message.includes(part), part);
});

test('hashlimit-settings-ignored follows edits of a save file', () => {
  let text = input([`${hl('--hashlimit-upto 5/s')} -j ACCEPT`, '-p tcp --dport 80 -j ACCEPT', `${hl('--hashlimit-upto 5/s')} -j DROP`]);
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const found = () => doc.diagnostics().filter((d) => d.code === 'hashlimit-settings-ignored').length;
  assert.equal(found(), 0);
  const edit = (from: string, to: string) => {
    const at = text.lastIndexOf(from);
    text = text.slice(0, at) + to + text.slice(at + from.length);
    doc.update(text, [{ start: at, end: at + from.length, text: to }]);
  };
  edit('--hashlimit-upto 5/s --hashlimit-name h -j DROP', '--hashlimit-upto 6/s --hashlimit-name h -j DROP');
  assert.equal(found(), 1);
  edit('--dport 80 -j ACCEPT', `--dport 80 ${hl('--hashlimit-upto 7/s')} -j ACCEPT`);
  assert.equal(found(), 2, 'a rule that gains a hashlimit match');
});
