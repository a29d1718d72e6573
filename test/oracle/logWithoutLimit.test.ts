import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { savedCounters } from '../support/savedCounters.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * log-without-limit against the kernel: two namespaces this test creates, joined by a veth pair
 * on 10.200.113.0/24. The host `a` has a service on a port its rules log and drop; `b` tries to
 * connect (each try sends its SYN again and again). The counters say what the check claims:
 * where it reports a LOG rule, every packet that rule counted was counted by the rule or policy
 * it names as dropping them; with the fix applied, the LOG rule counts only a sample of them.
 * The log itself is not read: in a namespace other than the host's the kernel writes none
 * (net.netfilter.nf_log_all_netns, which this test leaves alone), and the counters move all the same.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `log rules in namespaces: ${missing}`);

const pair = new NamespacePair('lg', '10.200.113.1', '10.200.113.2', 24);
pairWithService(skip, pair, pair.addrA, 9001, 'ok');

/** Packet counts of filter INPUT's policy and rules in namespace a, in rule order (`iptables-save -c`). */
function counts(): { policy: number; rules: { text: string; packets: number }[] } {
  const saved = spawnSync('ip', ['netns', 'exec', pair.a, 'iptables-save', '-c', '-t', 'filter'], { encoding: 'utf8' });
  assert.equal(saved.status, 0, saved.stderr);
  const { policies, rules } = savedCounters(saved.stdout);
  return { policy: policies.get('filter/INPUT')!, rules };
}

/** The LOG rule's count (not the jump to LOGDROP). */
function logRule(c: ReturnType<typeof counts>): number {
  return c.rules.find((r) => / -j LOG( |$)/.test(r.text))!.packets;
}

/** Loads `rules` into a (fresh counters) and has b try the service: the counters after. */
function tried(rules: string): ReturnType<typeof counts> {
  loadRules(pair.a, rules);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 9001, 3, 4000), ['timeout', 'timeout', 'timeout']);
  return counts();
}

const header = '*filter\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n';
const cases: { name: string; rules: string; dropped: (c: ReturnType<typeof counts>) => number }[] = [
  {
    name: 'a last LOG before the DROP policy',
    rules: `${header}:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -j LOG --log-prefix "in drop: "\nCOMMIT\n`,
    dropped: (c) => c.policy,
  },
  {
    name: 'a LOG and a DROP of the same port',
    rules: `${header}:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 9001 -j LOG\n-A INPUT -p tcp -m tcp --dport 9001 -j DROP\nCOMMIT\n`,
    dropped: (c) => c.rules.find((r) => r.text.includes('-j DROP'))!.packets,
  },
  {
    name: 'a LOGDROP chain',
    rules: `${header}:INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n-A INPUT -s 10.200.113.2/32 -j LOGDROP\n-A LOGDROP -j LOG\n-A LOGDROP -j DROP\nCOMMIT\n`,
    dropped: (c) => c.rules.find((r) => r.text === '-A LOGDROP -j DROP')!.packets,
  },
];

for (const c of cases) {
  test(`${c.name}: every packet the reported LOG counts, the drop it names counts; the fix logs a sample`, { skip, timeout: 60_000 }, () => {
    const found = new FirewallDocument(c.rules, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'log-without-limit');
    assert.equal(found.length, 1);
    assert.equal(c.rules.slice(found[0].span.start, found[0].span.end), 'LOG');
    const before = tried(c.rules);
    // three tries, each a SYN sent again while it waits: over the sample's burst of 5
    assert.ok(logRule(before) > 5, JSON.stringify(before));
    assert.equal(logRule(before), c.dropped(before), JSON.stringify(before));
    const fixed = applyFix(c.rules, found[0].fixes![0]);
    assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'log-without-limit'), []);
    const after = tried(fixed);
    assert.ok(logRule(after) <= 5 && logRule(after) < c.dropped(after), JSON.stringify(after));
  });
}

test('not reported where some of what is logged is accepted: the counters differ', { skip, timeout: 60_000 }, () => {
  const rules = `${header}:INPUT DROP [0:0]\n-A INPUT -j LOG\n-A INPUT -p tcp -m tcp --dport 9001 -j ACCEPT\nCOMMIT\n`;
  assert.deepEqual(new FirewallDocument(rules, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'log-without-limit'), []);
  loadRules(pair.a, rules);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 9001, 1, 3000), ['ok']);
  const c = counts();
  const logged = logRule(c);
  assert.ok(logged > c.policy, JSON.stringify(c));
});
