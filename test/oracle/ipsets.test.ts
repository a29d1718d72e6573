import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { workspaceSettings } from '../../server/src/node/workspaceSettings.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Scripts that name ipsets, run one command at a time in a namespace of this test's own (ipsets
 * belong to a network namespace, as the tables do), from empty tables and no sets: the
 * commands that fail are the ones undefined-set reports, on the same lines, and a script it
 * finds nothing in runs whole.
 */
const { ns, skip } = NamespaceIptables.forTests('ipset scripts in a namespace', {
  also: () => requirement(spawnSync('sh', ['-c', 'command -v ipset']).status === 0, 'ipset is not installed (apt-get install ipset)'),
});

/** Empty tables and no sets (ipset destroys none while a rule of either family uses one). */
function reset(): void {
  const r = ns.run(['sh', '-c', 'iptables -F && ip6tables -F && ipset destroy']);
  assert.ok(r.ok, r.err);
}

const CASES: { name: string; script: string }[] = [
  { name: 'the rule before the create', script: 'iptables -A INPUT -m set --match-set blocklist src -j DROP\nipset create blocklist hash:net\n' },
  { name: 'only ipset commands, the add before the create', script: 'ipset add blocklist 198.51.100.0/24\nipset create blocklist hash:net\nipset add blocklist 198.51.100.0/24\n' },
  { name: 'ipset add before the create', script: 'ipset add blocklist 198.51.100.0/24\nipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n' },
  { name: 'a typo', script: 'ipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklst src -j DROP\n' },
  { name: 'an inet6 set named by iptables', script: 'ipset create v6 hash:net family inet6\niptables -A INPUT -m set --match-set v6 src -j DROP\nip6tables -A INPUT -m set --match-set v6 src -j DROP\n' },
  { name: 'an IPv4 set named by ip6tables', script: 'ipset create v4 hash:ip,port\nip6tables -A INPUT -m set --match-set v4 src,dst -j DROP\niptables -A INPUT -m set --match-set v4 src,dst -j DROP\n' },
  { name: 'destroyed above', script: 'ipset create blocklist hash:net\nipset destroy blocklist\niptables -A INPUT -m set --match-set blocklist src -j DROP\n' },
  { name: 'renamed above', script: 'ipset create new hash:net\nipset rename new blocklist\nipset add new 198.51.100.7\nipset add blocklist 198.51.100.7\niptables -A INPUT -m set --match-set blocklist src -j DROP\n' },
  { name: '-j SET before the create', script: 'iptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src\nipset create scanners hash:ip timeout 3600\niptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src\n' },
  { name: 'in order, and sets for both families', script: 'ipset create blocklist hash:net\nipset add blocklist 198.51.100.0/24\niptables -A INPUT -m set --match-set blocklist src -j DROP\nipset create trusted list:set\nip6tables -A INPUT -m set --match-set trusted src -j ACCEPT\nipset create v6 hash:net family inet6\nip6tables -A INPUT -m set --match-set v6 src -j DROP\n' },
];

test('the commands of a script that fail for a missing set, or one of the other family, are those undefined-set reports', { skip }, () => {
  for (const c of CASES) {
    const lines = c.script.trimEnd().split('\n');
    const reported = new Set(lintText(c.script, { dialect: 'script' }).diagnostics.filter((d) => d.code === 'undefined-set').map((d) => c.script.slice(0, d.span.start).split('\n').length));
    reset();
    const failed = new Set<number>();
    lines.forEach((line, i) => {
      const r = ns.run(['sh', '-c', line]);
      if (!r.ok) {
        failed.add(i + 1);
        assert.match(r.err, /doesn't exist|does not exist|not applicable/, `${c.name}: line ${i + 1} failed for another reason: ${r.err}`);
      }
    });
    assert.deepEqual([...reported].sort(), [...failed].sort(), `${c.name}: lines reported / lines that failed`);
  }
  // the last case ran whole: its rules are in the tables
  assert.match(ns.run(['ip6tables', '-S', 'INPUT']).out, /--match-set v6 src -j DROP/);
});

const RERUN: string[] = [
  'ipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\nipset add blocklist 198.51.100.0/24\niptables -F INPUT\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'ipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'ipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\niptables-restore <<EOF\n*filter\n-A INPUT -m set --match-set blocklist src -j DROP\nCOMMIT\nEOF\n',
  'rules() {\n  iptables -A INPUT -m set --match-set blocklist src -j DROP\n}\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\niptables -F\nrules\n',
  'iptables -F INPUT\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'ipset -exist create blocklist hash:net\nipset flush blocklist\niptables -F\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'iptables -D INPUT -m set --match-set blocklist src -j DROP 2>/dev/null\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'ipset list blocklist >/dev/null 2>&1 || ipset create blocklist hash:net\niptables -F\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'ipset -exist create blocklist hash:net\nipset add blocklist 198.51.100.0/24\niptables -F\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  'ipset -exist create blocklist hash:net\nipset flush blocklist\nipset add blocklist 198.51.100.0/24\niptables -F\niptables -A INPUT -m set --match-set blocklist src -j DROP\n',
  // scripts that only keep the set up to date (a cron job; the rules naming it are elsewhere)
  'ipset create blocklist hash:net\nipset add blocklist 198.51.100.0/24\n',
  'ipset -exist create blocklist hash:net\nipset add blocklist 198.51.100.0/24\n',
  'ipset -exist create blocklist hash:net\nipset flush blocklist\nipset add blocklist 198.51.100.0/24\n',
];

test('run twice, a script\'s ipset create fails where set-exists-on-rerun reports it, and only there; its fix runs again cleanly', { skip }, () => {
  let fixedRuns = 0;
  for (const script of RERUN) {
    const reported = lintText(script, { dialect: 'script' }).diagnostics.filter((d) => d.code === 'set-exists-on-rerun').map((d) => script.slice(0, d.span.start).split('\n').length);
    reset();
    const firstRun = ns.run(['sh', '-s'], script);
    assert.doesNotMatch(firstRun.err, /already (exists|added)/, `the first run of:\n${script}`);
    const second = ns.run(['sh', '-s'], script);
    // the first command that fails: the first ipset create of the script, or else its first add
    const first = (re: RegExp) => script.split('\n').findIndex((l) => re.test(l)) + 1;
    const failed = /already exists/.test(second.err) ? [first(/^ipset (-exist )?create/)] : /already added/.test(second.err) ? [first(/^ipset add/)] : [];
    assert.deepEqual(reported, failed, `lines reported / the create that failed on the second run of:\n${script}${second.err}`);
    // the quick fix (where the create is an ipset command line): the fixed script runs twice without an ipset error
    const fix = lintText(script, { dialect: 'script' }).diagnostics.find((d) => d.code === 'set-exists-on-rerun')?.fixes?.find((f) => !f.suppression);
    if (!fix) continue;
    const fixed = applyFix(script, fix);
    reset();
    ns.run(['sh', '-s'], fixed);
    assert.doesNotMatch(ns.run(['sh', '-s'], fixed).err, /ipset v/, `the second run of the fixed script:\n${fixed}`);
    fixedRuns++;
  }
  assert.ok(fixedRuns >= 4, `${fixedRuns} fixed scripts run`);
});

test('rules.v4 with the ipsets file beside it, loaded as netfilter-persistent loads them at boot: the file is refused where undefined-set reports a set', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-ipsets-'));
  const rules = join(dir, 'rules.v4');
  const cases: { sets: string; rules: string }[] = [
    { sets: 'create blocklist hash:net family inet hashsize 1024 maxelem 65536\nadd blocklist 198.51.100.0/24\n', rules: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocklist src -j DROP\nCOMMIT\n' },
    { sets: 'create blocklst hash:net family inet hashsize 1024 maxelem 65536\n', rules: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocklist src -j DROP\nCOMMIT\n' },
    { sets: 'create v6 hash:net family inet6 hashsize 1024 maxelem 65536\n', rules: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set v6 src -j DROP\nCOMMIT\n' },
    { sets: 'create trusted list:set size 8\n', rules: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set trusted src -j ACCEPT\nCOMMIT\n' },
  ];
  for (const c of cases) {
    writeFileSync(join(dir, 'ipsets'), c.sets);
    writeFileSync(rules, c.rules);
    const reported = lintText(c.rules, { fileName: rules, settings: workspaceSettings(rules) }).diagnostics.filter((d) => d.code === 'undefined-set');
    reset();
    // netfilter-persistent: the ipset plugin (10-ipset) before the IPv4 rules (15-ip4tables)
    assert.ok(ns.run(['sh', '-c', `ipset restore -exist < ${join(dir, 'ipsets')}`]).ok);
    const load = ns.run(['sh', '-c', `iptables-restore < ${rules}`]);
    assert.equal(load.ok, reported.length === 0, `${c.sets}${c.rules}: ${load.err} / ${reported.map((d) => d.message).join(' | ')}`);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('--timeout of -j SET and counter tests of -m set are ignored on sets made without timeout or counters, where set-option-ignored reports them', { skip }, () => {
  // six datagrams to a port nothing listens on: each one passes OUTPUT
  const send = 'ip link set lo up; for i in 1 2 3 4 5 6; do head -c 10 /dev/zero | socat -u - UDP-SENDTO:127.0.0.1:9999; done';
  for (const made of ['hash:ip', 'hash:ip timeout 0']) {
    const script = `ipset create scanners ${made}\niptables -A OUTPUT -p udp -j SET --add-set scanners dst --timeout 600\n`;
    const reported = lintText(script, { dialect: 'script' }).diagnostics.filter((d) => d.code === 'set-option-ignored').length;
    reset();
    assert.ok(ns.run(['sh', '-c', `${script}${send}`]).ok);
    const listed = ns.run(['ipset', 'list', 'scanners']).out;
    assert.match(listed, /^127\.0\.0\.1/m, 'the address was added');
    // the entry keeps its timeout only where the set has timeout support
    assert.equal(/^127\.0\.0\.1 timeout \d+/m.test(listed), reported === 0, `${made}: ${listed}`);
  }
  for (const made of ['hash:ip', 'hash:ip counters']) {
    const script = `ipset create talkers ${made}\nipset add talkers 127.0.0.1\niptables -A OUTPUT -p udp -m set --match-set talkers dst --packets-gt 3\n`;
    const reported = lintText(script, { dialect: 'script' }).diagnostics.filter((d) => d.code === 'set-option-ignored').length;
    reset();
    assert.ok(ns.run(['sh', '-c', `${script}${send}`]).ok);
    const counted = Number(/^\s*(\d+)/m.exec(ns.run(['iptables', '-L', 'OUTPUT', '-v', '-n', '-x']).out.split('\n').slice(2).join('\n'))?.[1]);
    // without counters the test is skipped: every one of the six packets matches
    assert.equal(counted === 6, reported > 0, `${made}: ${counted} packets matched --packets-gt 3`);
  }
});
