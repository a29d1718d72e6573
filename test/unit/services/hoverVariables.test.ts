import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

test('hover on a value read from the script\'s variables says what it is, above the value\'s docs', () => {
  const text = 'WAN=eth0\nST=ESTABLISHED\nWEB=10.0.0.5\niptables -A INPUT -i $WAN -m conntrack --ctstate "$ST" -j ACCEPT\niptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $WEB:8080\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const at = (needle: string) => hoverAt(doc, text.indexOf(needle) + 1);
  const wan = at('$WAN')!;
  assert.equal(text.slice(wan.span.start, wan.span.end), '$WAN');
  assert.ok(wan.markdown.startsWith('`$WAN` is `eth0` here'));
  const st = at('"$ST"')!;
  assert.ok(st.markdown.startsWith('`"$ST"` is `ESTABLISHED` here'));
  assert.match(st.markdown, /\*\*ESTABLISHED\*\*/, 'the state\'s own docs follow');
  const web = at('$WEB:8080')!;
  assert.ok(web.markdown.includes('`10.0.0.5:8080`'));
  // a word that does not depend on a variable has no such line
  assert.ok(!at('ACCEPT')!.markdown.includes(' here: the script sets'));
});
