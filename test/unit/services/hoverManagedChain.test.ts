import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';
import { explainTerm } from '../../../server/src/core/services/explain.ts';

test('hover on a chain another program makes names the program, and where rules of one\'s own go', () => {
  const text = 'iptables -I DOCKER-USER -j DROP\niptables -A DOCKER -j ACCEPT\niptables -N mine\niptables -A INPUT -j mine\niptables -A INPUT -j nowhere\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const at = (needle: string) => hoverAt(doc, text.indexOf(needle) + 1)!.markdown;
  assert.match(at('DOCKER-USER'), /Made by Docker for rules of your own/);
  assert.doesNotMatch(at('DOCKER-USER'), /Never declared/);
  assert.match(at('DOCKER -j'), /Made by Docker, which rewrites it .*insert them into DOCKER-USER/s);
  assert.doesNotMatch(at('mine\n'), /Made by/);
  assert.match(at('nowhere'), /Never declared/);
});

test('explain knows the chains other programs make', () => {
  assert.match(explainTerm('DOCKER-USER')!, /chain made by Docker\n\nDocker makes it for rules of your own/);
  assert.match(explainTerm('KUBE-SERVICES')!, /made by kube-proxy/);
  assert.equal(explainTerm('MY-CHAIN'), undefined);
});

test('hover on a code in an iptables-lint comment shows that diagnostic\'s docs; other words of the comment none', () => {
  const text = '*filter\n# iptables-lint disable-next-line unused-chain, missing-masquerade\n:idle - [0:0]\nCOMMIT\n# iptables-lint disable\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const at = (needle: string, shift = 1) => hoverAt(doc, text.indexOf(needle) + shift);
  const h = at('missing-masquerade', 4)!;
  assert.deepEqual(h.span, { start: text.indexOf('missing-masquerade'), end: text.indexOf('missing-masquerade') + 'missing-masquerade'.length });
  assert.equal(h.markdown, explainTerm('missing-masquerade'));
  assert.equal(at('unused-chain')!.span.start, text.indexOf('unused-chain'));
  assert.equal(at('disable-next-line'), undefined);
  assert.equal(at('disable\n'), undefined);
});
