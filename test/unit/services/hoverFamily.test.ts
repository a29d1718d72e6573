import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

test('hover on a match or target of one family names what the other family writes instead', () => {
  const text = 'iptables -A INPUT -m ttl --ttl-lt 2 -j DROP\nip6tables -t mangle -A OUTPUT -j HL --hl-set 64\niptables -A INPUT -m realm --realm 1 -j DROP\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const at = (needle: string) => hoverAt(doc, text.indexOf(needle) + 1)!.markdown;
  assert.match(at('ttl --'), /iptables only: ip6tables has `-m hl`/);
  assert.match(at('HL --'), /ip6tables only: iptables has `-j TTL`/);
  assert.match(at('realm --'), /iptables only\n/, 'no counterpart: nothing more');
});
