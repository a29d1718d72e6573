import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * accepts-every-connection against the kernel: namespace a is a host whose INPUT drops but for
 * SSH, with a service on a port no rule opens; b a client on the same link (10.200.98.0/24,
 * this test's own). The service answers b while the reported accept is there, and not once
 * the quick fix is applied: in INPUT itself, and in a chain INPUT sends everything to (ufw's
 * layout).
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `accepts-every-connection in namespaces: ${missing}`);

const pair = new NamespacePair('ae', '10.200.98.1', '10.200.98.2', 24);
pairWithService(skip, pair, '0.0.0.0', 6379, 'redis');

const HEAD = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n';
const UFW_CHAINS = ':ufw-before-input - [0:0]\n:ufw-user-input - [0:0]\n';

for (const [name, body, flagged] of [
  ['NEW slipped into the accept of replies', '-A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n', '-A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT'],
  ['an accept of everything left at the end', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j ACCEPT\n', '-A INPUT -j ACCEPT'],
  [
    'ufw-shaped: INPUT hands everything to its chains, two jumps down one accepts everything',
    `${UFW_CHAINS}-A INPUT -j ufw-before-input\n-A ufw-before-input -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A ufw-before-input -j ufw-user-input\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n-A ufw-user-input -j ACCEPT\n`,
    '-A ufw-user-input -j ACCEPT',
  ],
]) {
  test(`${name}: a port no rule opens answers anyone; with the fix it does not`, { skip }, () => {
    // chain lines first, as iptables-save writes them
    const chains = body.match(/^:.*\n/gm)?.join('') ?? '';
    const rules = `${HEAD}${chains}-A INPUT -i lo -j ACCEPT\n${body.replace(/^:.*\n/gm, '')}COMMIT\n`;
    const findings = new FirewallDocument(rules, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'accepts-every-connection');
    assert.deepEqual(findings.map((d) => rules.slice(d.span.start, d.span.end)), [flagged]);
    loadRules(pair.a, rules);
    assert.deepEqual(connectFrom(pair.b, pair.addrA, 6379, 1, 1500), ['redis'], 'the unopened port answers');
    const fixed = applyFix(rules, findings[0].fixes![0]);
    assert.deepEqual(new FirewallDocument(fixed, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'accepts-every-connection'), []);
    loadRules(pair.a, fixed);
    assert.deepEqual(connectFrom(pair.b, pair.addrA, 6379, 1, 1500), ['timeout'], 'with the fix it does not');
  });
}
