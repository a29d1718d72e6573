import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * exposed-service against the kernel: namespace a is a host whose INPUT drops, with a service
 * on Redis's port; b a client on the same link (10.200.93.0/24, this test's own). What the
 * check reports as open to every source lets b in; what it leaves alone, an accept of one
 * other source, does not.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `exposed-service in namespaces: ${missing}`);

const pair = new NamespacePair('ex', '10.200.93.1', '10.200.93.2', 24);
pairWithService(skip, pair, '0.0.0.0', 6379, 'redis');

const rules = (accept: string) => `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n${accept}\nCOMMIT\n`;
const found = (text: string) => new FirewallDocument(text, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'exposed-service').map((d) => text.slice(d.span.start, d.span.end));

test('a port reported open to every source lets another host in; an accept of one other source does not', { skip }, () => {
  const open = rules('-A INPUT -p tcp --dport 6379 -j ACCEPT');
  assert.deepEqual(found(open), ['--dport 6379']);
  loadRules(pair.a, open);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 6379, 1, 1500), ['redis']);
  const narrow = rules('-A INPUT -s 10.200.93.9/32 -p tcp --dport 6379 -j ACCEPT');
  assert.deepEqual(found(narrow), []);
  loadRules(pair.a, narrow);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 6379, 1, 1500), ['timeout']);
});
