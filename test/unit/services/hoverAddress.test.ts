import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

/** The hover of the value a needle starts, its span as text too. */
function hoverOf(text: string, needle: string, options: { dialect: 'save' | 'script'; family?: 'ipv6' }): { at: string; markdown: string } | undefined {
  const doc = new FirewallDocument(text, options);
  const h = hoverAt(doc, text.indexOf(needle) + 1);
  return h && { at: text.slice(h.span.start, h.span.end), markdown: h.markdown };
}

test('hover on an address gives its network as the kernel reads it: size, first and last, the form stored', () => {
  const text = 'iptables -A INPUT -s 10.1/16 -d 192.168.1.5/24,10.0.0.7 -j DROP\niptables -A INPUT -s 10.0.2.0/255.0.255.0 -j DROP\niptables -A INPUT -s 0/0 -j ACCEPT\n';
  const script = { dialect: 'script' as const };
  const short = hoverOf(text, '10.1/16', script)!;
  assert.equal(short.at, '10.1/16');
  for (const fact of ['65,536', '10.1.0.0', '10.1.255.255']) assert.ok(short.markdown.includes(fact), `${fact} in ${short.markdown}`);
  const list = hoverOf(text, '192.168.1.5/24', script)!;
  assert.equal(list.at, '192.168.1.5/24,10.0.0.7');
  // host bits: the whole /24 (iptables -S shows 192.168.1.0/24); the host alone
  for (const fact of ['256', '192.168.1.0 to 192.168.1.255', '192.168.1.0/24', '**10.0.0.7** — one address.']) assert.ok(list.markdown.includes(fact), `${fact} in ${list.markdown}`);
  assert.ok(hoverOf(text, '10.0.2.0/255', script)!.markdown.includes('255.0.255.0'));
  assert.ok(hoverOf(text, '0/0', script)!.markdown.includes('every address'));
});

test('hover on an IPv6 network: a count as a power of two past 2^53, the last address, the form ip6tables stores', () => {
  const text = '*filter\n-A INPUT -s 2001:DB8:1:2::5/48 -j DROP\n-A INPUT -s 2001:db8:1::/120 -j DROP\n-A INPUT -s 2001:db8::1 -j DROP\nCOMMIT\n';
  const save = { dialect: 'save' as const, family: 'ipv6' as const };
  const wide = hoverOf(text, '2001:DB8', save)!.markdown;
  for (const fact of ['2^80', '2001:db8:1::', '2001:db8:1:ffff:ffff:ffff:ffff:ffff', '2001:db8:1::/48']) assert.ok(wide.includes(fact), `${fact} in ${wide}`);
  const small = hoverOf(text, '2001:db8:1::/120', save)!.markdown;
  assert.ok(small.includes('256 addresses') && small.includes('2001:db8:1::ff') && !small.includes('reads it as'), small);
  assert.ok(hoverOf(text, '2001:db8::1', save)!.markdown.includes('one address'));
});

test('values are hovered in the command\'s family: ip6tables\' REJECT answers', () => {
  const text = '*filter\n-A INPUT -p tcp -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n';
  const h = hoverOf(text, 'icmp6-adm', { dialect: 'save', family: 'ipv6' });
  assert.equal(h?.at, 'icmp6-adm-prohibited');
});
