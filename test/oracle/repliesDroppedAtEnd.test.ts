import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * missing-established-rule where INPUT ends with a rule that drops everything (its policy
 * ACCEPT), against the kernel: two namespaces this test creates, joined by a veth pair on
 * 10.200.78.0/24, a TCP service in `a`. The host `b` loads the rules and connects to it: the
 * service's answer is a reply to b's own connection, which the last rule drops where the
 * finding says so, and which the accept the message asks for lets in.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `replies dropped at the end of INPUT, in namespaces: ${missing}`);

const pair = new NamespacePair('est', '10.200.78.1', '10.200.78.2', 24);
const PORT = 8093;
pairWithService(skip, pair, pair.addrA, PORT, 'answered');

const closedAtEnd = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n';

function found(text: string): string[] {
  return new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-established-rule').map((d) => text.slice(d.span.start, d.span.end));
}

test('a last drop-everything rule in INPUT takes the replies to the host\'s own connections', { skip, timeout: 60_000 }, () => {
  assert.deepEqual(found(closedAtEnd), ['-A INPUT -j DROP']);
  loadRules(pair.b, closedAtEnd);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, PORT), ['timeout']);
  const fixed = closedAtEnd.replace('-A INPUT -i lo -j ACCEPT\n', '-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n');
  assert.deepEqual(found(fixed), []);
  loadRules(pair.b, fixed);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, PORT), ['answered']);
});
