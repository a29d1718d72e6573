import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { undefinedSet } from './undefined-set.ts';

const script = { dialect: 'script' as const };
/** What the front end reads from /etc/iptables/ipsets beside rules.v4 (see workspaceIpsets). */
const ipsets = {
  workspaceSets: {
    file: '/etc/iptables/ipsets',
    sets: [
      { name: 'blocklist', family: 'ipv4' as const, type: 'hash:net', span: { start: 7, end: 16 } },
      { name: 'v6', family: 'ipv6' as const, type: 'hash:net', span: { start: 40, end: 42 } },
      { name: 'trusted', type: 'list:set', span: { start: 80, end: 87 } },
    ],
  },
};
const drop = (name: string, tool = 'iptables') => `${tool} -A INPUT -m set --match-set ${name} src -j DROP`;

ruleTable(undefinedSet, {
  valid: [
    { ...script, code: `ipset create blocklist hash:net\n${drop('blocklist')}\n`, name: 'created first' },
    { ...script, code: `${drop('f2b-sshd')}\nipset create blocklist hash:net\n`, name: 'a set the script never makes, like none of its own: the host\'s' },
    { ...script, code: `${drop('blocklist')}\n`, name: 'a script without ipset commands' },
    { ...script, code: `ipset list blocklist >/dev/null 2>&1 || ipset create blocklist hash:net\n${drop('blocklist')}\n`, name: 'created unless it exists' },
    { ...script, code: `ipset -exist create blocklist hash:net\n${drop('blocklist')}\n`, name: '-exist' },
    { ...script, code: `ipset restore <<EOF\ncreate blocklist hash:net family inet hashsize 1024\nadd blocklist 198.51.100.0/24\nEOF\n${drop('blocklist')}\n`, name: 'created by an ipset restore here-document' },
    { ...script, code: `ipset create allow hash:net\nipset restore < /etc/ipset.conf\n${drop('alow')}\n`, name: 'an ipset restore from a file: any set may exist' },
    { ...script, code: `ipset create allow hash:net\nfor s in $SETS; do ipset create "$s" hash:net; done\n${drop('alow')}\n`, name: 'sets named by an expansion' },
    { ...script, code: `ipset create blocklist hash:net\ncase "$1" in\n  stop) iptables -F; ipset destroy blocklist ;;\nesac\n${drop('blocklist')}\n`, name: 'a destroy in a branch the rule is not in' },
    { ...script, code: `ipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\n${drop('blocklist')}\n`, name: 'destroyed, then created again' },
    { ...script, code: `ipset create trusted list:set\nipset create v6 hash:net family inet6\n${drop('trusted', 'ip6tables')}\n${drop('v6', 'ip6tables')}\n`, name: 'list:set for both families, an inet6 set for ip6tables' },
    { ...script, code: `IPSET=/usr/sbin/ipset\n$IPSET create blocklist hash:net\nsudo ipset add blocklist 198.51.100.7\n${drop('blocklist')}\n`, name: 'through a variable and sudo' },
    { ...script, code: `sets() {\n  ipset create blocklist hash:net\n}\nsets\n${drop('blocklist')}\n`, name: 'created by a function called above the rule' },
    { ...script, code: `rules() {\n  ${drop('blocklist')}\n}\nipset create blocklist hash:net\nrules\n`, name: 'a rule in a function called after the create' },
    { ...script, code: `iptables -D INPUT -m set --match-set blocklist src -j DROP 2>/dev/null\nipset create blocklist hash:net\n${drop('blocklist')}\n`, name: 'a clean-up whose failure is expected' },
    { ...script, code: `ipset create blocklist hash:net\n. ./sets.sh\n${drop('blocklst')}\n`, name: 'a sourced file may create it' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocklist src -j DROP'), name: 'a save file: the sets are the host\'s' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocklist src -j DROP\n-A INPUT -m set --match-set trusted src -j ACCEPT'), options: { settings: ipsets }, name: 'a save file whose sets the ipsets file beside it creates' },
    { family: 'ipv6', code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set v6 src -j DROP\n-A INPUT -m set --match-set trusted src -j ACCEPT'), options: { settings: ipsets }, name: 'rules.v6 with an inet6 set and a list:set' },
  ],
  invalid: [
    { ...script, code: `iptables -A INPUT -m set --match-set «blocklist» src -j DROP\nipset create blocklist hash:net\n`, name: 'created only further down' },
    { ...script, code: `ipset add «blocklist» 198.51.100.0/24\nipset create blocklist hash:net\n`, name: 'ipset add before the create' },
    { ...script, code: `ipset create blocklist hash:net\niptables -A INPUT -m set --match-set «blocklst» src -j DROP\n`, name: 'a typo' },
    { ...script, code: `ipset create BlockList hash:net\nipset add «Blocklist» 198.51.100.7\n`, name: 'letter case, in ipset add' },
    { ...script, severity: 'error', code: `ipset create v6 hash:net family inet6\niptables -A INPUT -m set --match-set «v6» src -j DROP\n`, name: 'an inet6 set named by iptables' },
    { ...script, severity: 'error', code: `ipset create v4 hash:ip,port\nip6tables -A INPUT -m set --match-set «v4» src,dst -j DROP\n`, name: 'an IPv4 set named by ip6tables' },
    { ...script, code: `ipset create blocklist hash:net\nipset destroy blocklist\niptables -A INPUT -m set --match-set «blocklist» src -j DROP\n`, name: 'destroyed above' },
    { ...script, code: `ipset create blocklist hash:net\niptables -F\nipset destroy\niptables -A INPUT -m set --match-set «blocklist» src -j DROP\n`, name: 'every set destroyed above' },
    { ...script, code: `ipset create new hash:net\nipset rename new blocklist\nipset add «new» 198.51.100.7\n`, name: 'renamed above' },
    { ...script, code: `iptables -A INPUT -p tcp --dport 23 -j SET --add-set «scanners» src\nipset create scanners hash:ip timeout 3600\n`, name: '-j SET --add-set' },
    { ...script, code: `iptables-restore <<EOF\n*filter\n-A INPUT -m set --match-set «blocklist» src -j DROP\nCOMMIT\nEOF\nipset create blocklist hash:net\n`, name: 'a rule of an iptables-restore here-document' },
    { ...script, code: `mk() {\n  ipset create blocklist hash:net\n}\niptables -A INPUT -m set --match-set «blocklist» src -j DROP\nmk\n`, name: 'created by a function called after the rule' },
    { ...script, code: `IPSET=/usr/sbin/ipset\niptables -I INPUT -m set ! --match-set «allow» src -j DROP\n$IPSET -exist create allow hash:net\n`, name: 'created further down through a variable' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set «f2b-sshd» src -j DROP\n-A INPUT -m set --match-set «blocklst» src -j DROP\n-A INPUT -j SET --add-set «scanners» src'), options: { settings: ipsets }, name: 'a save file: sets the ipsets file beside it does not create' },
    { severity: 'error', code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set «v6» src -j DROP'), options: { settings: ipsets }, name: 'rules.v4 naming the inet6 set of the ipsets file' },
  ],
});

test('undefined-set: the fix names the set the script creates', () => {
  const text = `ipset create blocklist hash:net\n${drop('blocklst')}\n`;
  const [d] = lintWith(undefinedSet, text, script);
  const out = applyFix(text, d.fixes![0]);
  assert.equal(out, `ipset create blocklist hash:net\n${drop('blocklist')}\n`);
  assert.deepEqual(lintWith(undefinedSet, out, script), []);
});

test('undefined-set: the create, destroy or rename it points to', () => {
  const text = `${drop('blocklist')}\nipset create blocklist hash:net\n`;
  const [d] = lintWith(undefinedSet, text, script);
  const at = text.indexOf('blocklist hash');
  assert.deepEqual(d.related?.map((r) => r.span), [{ start: at, end: at + 'blocklist'.length }]);
});

test('undefined-set in a save file: the fix names the set of the ipsets file', () => {
  const text = table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocklst src -j DROP');
  const [d] = lintWith(undefinedSet, text, { options: { settings: ipsets } });
  assert.equal(applyFix(text, d.fixes![0]), text.replace('blocklst', 'blocklist'));
});
