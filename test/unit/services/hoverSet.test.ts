import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

test('hover on a set\'s name: where the script creates it, its type and family; or that the host must have it', () => {
  const text = 'ipset create blocklist hash:net\nipset create v6 hash:ip family inet6 timeout 0 counters\niptables -A INPUT -m set --match-set blocklist src -j DROP\nip6tables -A INPUT -m set ! --match-set v6 src -j DROP\niptables -A INPUT -j SET --add-set f2b-sshd src\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const at = (needle: string) => hoverAt(doc, text.indexOf(needle) + 1)!;
  const bl = at('blocklist src');
  assert.equal(text.slice(bl.span.start, bl.span.end), 'blocklist');
  assert.match(bl.markdown, /^ipset \*\*blocklist\*\* \(`hash:net`, IPv4 addresses\): created by the script's ipset command on line 1\./);
  assert.match(at('v6 src').markdown, /\(`hash:ip`, IPv6 addresses, with timeout, counters\): created by the script's ipset command on line 2\./);
  assert.match(at('f2b-sshd').markdown, /no ipset command of this script creates it/);
  const save = '*filter\n-A INPUT -m set --match-set allow src -j ACCEPT\nCOMMIT\n';
  assert.match(hoverAt(new FirewallDocument(save, { dialect: 'save' }), save.indexOf('allow') + 1)!.markdown, /must exist on the host before these rules are loaded/);
});
