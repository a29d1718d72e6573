import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Restore files that delete, insert and replace rules by number or by rule (`-D`, `-I n`,
 * `-R n`) after the rules they add: loaded for real into a namespace of this test's own
 * (iptables-restore --test takes them all), each is refused exactly where command-fails
 * reports an error. A `-R` of a rule the file added crashes iptables-nft-restore 1.8.9; the
 * quick fix writes the rule in place, and the fixed file loads to the tables the legacy
 * backend makes of the original.
 */
const { ns, skip } = NamespaceIptables.forTests('restore files in a namespace', { bothBackends: true });

const block = (rules: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A LOGDROP -j DROP\n${rules}\nCOMMIT\n`;

const FILES: { name: string; text: string }[] = [
  { name: 'the rules in order', text: block('-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-I FORWARD 1 -i lo -j ACCEPT\n-D FORWARD 1\n-I FORWARD 2 -p icmp -j ACCEPT\n-D FORWARD -p icmp -j ACCEPT') },
  { name: '-D of a rule the file never added', text: block('-A FORWARD -j ACCEPT\n-D FORWARD -p icmp -j ACCEPT') },
  { name: '-I past the end of a built-in chain', text: block('-A FORWARD -j ACCEPT\n-I FORWARD 3 -j DROP') },
  { name: '-D by number past the end', text: block('-A INPUT -j ACCEPT\n-D INPUT 2') },
  { name: '-R of a rule the file added', text: block('-A FORWARD -p tcp -j ACCEPT\n-A FORWARD -p udp -j ACCEPT\n-R FORWARD 1 -p icmp -j DROP') },
  { name: '-R of a user chain\'s rule', text: block('-A INPUT -j LOGDROP\n-R LOGDROP 1 -j REJECT') },
];

function errorLines(text: string): number[] {
  return lintText(text, { dialect: 'save', fileName: 'rules.v4' }).diagnostics.filter((d) => d.severity === 'error').map((d) => text.slice(0, d.span.start).split('\n').length);
}

test('restore files with -D, -I and -R: refused for real exactly where command-fails reports an error', { skip }, () => {
  for (const f of FILES) {
    const reported = errorLines(f.text);
    const nft = ns.restoreWith('nft', f.text);
    // iptables-restore --test finds nothing wrong with any of them
    assert.ok(ns.run(['iptables-nft-restore', '--test'], f.text).ok, `${f.name}: --test`);
    assert.equal(reported.length > 0, !nft.ok, `${f.name}: iptables-nft-restore ${nft.ok ? 'loads it' : `refuses it (${nft.err.trim().split('\n')[0] || 'no message: it crashed'})`}, errors on lines ${reported.join(', ') || 'none'}`);
    const line = /line (\d+) failed/.exec(nft.err)?.[1];
    // where iptables-restore names the line it failed on, that is the first line reported
    if (line) assert.equal(reported[0], Number(line), f.name);
  }
});

test('a -R of a rule the file added: the fix writes the rule in place, and the file loads to the tables legacy makes of the original', { skip }, () => {
  for (const f of FILES.filter((x) => x.name.startsWith('-R'))) {
    const d = lintText(f.text, { dialect: 'save', fileName: 'rules.v4' }).diagnostics.find((x) => x.code === 'command-fails');
    assert.ok(d, f.name);
    const crashed = ns.restoreWith('nft', f.text);
    assert.equal(crashed.ok, false, `${f.name}: iptables-nft-restore 1.8.9 crashes on it`);
    const legacy = ns.restoreWith('legacy', f.text);
    assert.ok(legacy.ok, `${f.name}: iptables-legacy-restore loads it: ${legacy.err}`);
    const fix = d.fixes?.find((x) => x.safe);
    assert.ok(fix, `${f.name}: a safe fix`);
    const fixed = applyFix(f.text, fix);
    assert.deepEqual(errorLines(fixed), [], `${f.name}: nothing left to report`);
    const loaded = ns.restoreWith('nft', fixed);
    assert.ok(loaded.ok, `${f.name}: the fixed file loads: ${loaded.err}`);
    assert.equal(loaded.filter.replace(/^# .*\n/gm, ''), legacy.filter.replace(/^# .*\n/gm, ''), `${f.name}: the same tables`);
  }
});

test('rules.v6: a -D of the same network address with another mask is taken, another address is refused, where command-fails says', { skip }, () => {
  const v6 = (d: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8:1::/48 -p tcp -j ACCEPT\n${d}\nCOMMIT\n`;
  const cases: [string, boolean][] = [
    ['-D INPUT -s 2001:db8:1::/48 -p tcp -j ACCEPT', true],
    ['-D INPUT -s 2001:DB8:1:0::/56 -p tcp -j ACCEPT', true],
    ['-D INPUT -s 2001:db8:1::/128 -p tcp -j ACCEPT', true],
    ['-D INPUT -s 2001:db8:1:5::/64 -p tcp -j ACCEPT', false],
    ['-D INPUT -s 2001:db8:1::/40 -p tcp -j ACCEPT', false],
    ['-D INPUT -s 2001:db8:2::/48 -p tcp -j ACCEPT', false],
  ];
  for (const [d, loads] of cases) {
    const text = v6(d);
    const reported = lintText(text, { dialect: 'save', fileName: 'rules.v6' }).diagnostics.filter((x) => x.severity === 'error').length > 0;
    ns.run(['sh', '-c', 'ip6tables-nft -F && ip6tables-nft -X']);
    const real = ns.run(['ip6tables-nft-restore'], text);
    assert.equal(real.ok, loads, `${d}: ip6tables-nft-restore ${real.ok ? 'loads it' : `refuses it: ${real.err.trim()}`}`);
    assert.equal(reported, !loads, `${d}: command-fails ${reported ? 'reports' : 'does not report'} it`);
  }
});
