import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { FirewallDocument } from '../../facade.ts';
import { recentListNeverSet } from './recent-list-never-set.ts';

const script = { dialect: 'script' as const };
const ssh = '-p tcp --dport 22 -m conntrack --ctstate NEW';

ruleTable(recentListNeverSet, {
  valid: [
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name SSH\n-A INPUT ${ssh} -m recent --update --seconds 60 --hitcount 4 --name SSH -j DROP`) },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set\n-A INPUT ${ssh} -m recent --rcheck --seconds 60 --hitcount 4 -j DROP`), name: 'both without --name: DEFAULT' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name DEFAULT\n-A INPUT ${ssh} -m recent --update --hitcount 4 -j DROP`), name: 'DEFAULT written out on one side' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m recent --update --seconds 60 --name blocklist -j DROP'), name: 'a list fed from outside (/proc/net/xt_recent): nothing resembles it' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -m recent --set --name ssh\niptables -A INPUT -m recent --rcheck --name SSH -j DROP\nfor ip in $BANNED; do echo "+$ip" > /proc/net/xt_recent/SSH; done\n', dialect: 'script', name: 'a list the script fills through its /proc file, near another' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name ratessh\n-A INPUT -m recent --update --seconds 60 --name DEFAULT -j DROP`), name: 'an explicit DEFAULT beside an unrelated list' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent ! --set --name SSH\n-A INPUT ${ssh} -m recent --update --name SSH -j DROP`), name: '! --set still fills the list' },
    { ...script, code: `L=$1\niptables -A INPUT ${ssh} -m recent --set --name "$L"\niptables -A INPUT ${ssh} -m recent --update --name ssh -j DROP\n`, name: 'a list named by an expansion' },
    { ...script, code: `guard() { iptables -A INPUT -p tcp --dport "$1" -m recent --set --name "$2"; iptables -A INPUT -p tcp --dport "$1" -m recent --update --hitcount 4 --name "$2" -j DROP; }\nguard 22 ssh\nguard 21 ftp\n`, name: 'a function called with the list names' },
    { family: 'ipv6', code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name SSH\n-A INPUT ${ssh} -m recent --update --name SSH -j DROP`) },
  ],
  invalid: [
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name SSH\n-A INPUT ${ssh} -m recent --update --seconds 60 --hitcount 4 «--name ssh» -j DROP`), name: 'letter case' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -m recent --set --name ssh\niptables -A INPUT -m recent --rcheck «--name SSH» -j DROP\necho / > /proc/net/xt_recent/ssh\n', dialect: 'script', name: 'the /proc file of another list' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name sshguard\n-A INPUT ${ssh} -m recent --rcheck --seconds 60 --hitcount 4 «--name shguard» -j DROP`), name: 'a typo' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name SSH\n-A INPUT ${ssh} -m «recent» --update --seconds 60 --hitcount 4 -j DROP`), name: 'the reading rule without --name' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set\n-A INPUT ${ssh} -m recent --update --seconds 60 --hitcount 4 «--name SSH» -j DROP`), name: 'the --set rule without --name' },
    { ...script, code: `iptables -A INPUT ${ssh} -m recent --set --name SSH\nip6tables -A INPUT ${ssh} -m recent --set --name ssh6\niptables -A INPUT ${ssh} -m recent --update --hitcount 4 «--name SSh» -j DROP\n`, name: 'per family: the IPv6 list does not count' },
  ],
});

test('recent-list-never-set fix: the name of the filled list, written or added', () => {
  for (const [before, after] of [
    ['-m recent --update --hitcount 4 --name ssh -j DROP', '-m recent --update --hitcount 4 --name SSH -j DROP'],
    ['-m recent --update --hitcount 4 -j DROP', '-m recent --name SSH --update --hitcount 4 -j DROP'],
  ]) {
    const text = `iptables -A INPUT ${ssh} -m recent --set --name SSH\niptables -A INPUT ${ssh} ${before}\n`;
    const [d] = lintWith(recentListNeverSet, text, script);
    const out = applyFix(text, d.fixes![0]);
    assert.equal(out, `iptables -A INPUT ${ssh} -m recent --set --name SSH\niptables -A INPUT ${ssh} ${after}\n`);
    assert.deepEqual(lintWith(recentListNeverSet, out, script), []);
  }
});

test('recent-list-never-set follows edits of a save file (the rules with a recent match are kept across them)', () => {
  let text = table('filter', `:INPUT ACCEPT [0:0]\n-A INPUT ${ssh} -m recent --set --name SSH\n-A INPUT -p tcp --dport 80 -j ACCEPT\n-A INPUT ${ssh} -m recent --update --hitcount 4 --name ssh -j DROP`);
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const found = () => doc.diagnostics().filter((d) => d.code === 'recent-list-never-set').length;
  assert.equal(found(), 1);
  const edit = (from: string, to: string) => {
    const at = text.lastIndexOf(from);
    text = text.slice(0, at) + to + text.slice(at + from.length);
    doc.update(text, [{ start: at, end: at + from.length, text: to }]);
  };
  edit('--name ssh', '--name SSH');
  assert.equal(found(), 0);
  edit('--dport 80 -j ACCEPT', '--dport 80 -m recent --rcheck --name SSh -j ACCEPT');
  assert.equal(found(), 1, 'a rule that gains a recent match');
  edit('-m recent --set --name SSH', '-m comment --comment x');
  assert.equal(found(), 0, 'no list filled any more: nothing to compare with');
});
