import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { variableDefinitionAt, variableUseAt } from '../../../server/src/core/services/variables.ts';

test('the `$NAME` or `${NAME}` under the cursor: on the dollar, the name or a brace; not past it, not `$1` or `$(…)`', () => {
  const text = 'iptables -A INPUT -i $WAN -s ${NET}/24 -m comment --comment "$1 $(hostname)" -j ACCEPT';
  const at = (needle: string, k = 0) => variableUseAt(text, text.indexOf(needle) + k);
  for (const k of [0, 1, 3]) assert.deepEqual(at('$WAN', k), { name: 'WAN', span: { start: text.indexOf('$WAN'), end: text.indexOf('$WAN') + 4 } });
  for (const k of [0, 1, 2, 5]) assert.equal(at('${NET}', k)?.name, 'NET');
  assert.equal(at('${NET}', 6), undefined, 'after the closing brace');
  assert.equal(at('$WAN', 4), undefined, 'the blank after it');
  assert.equal(at('$1'), undefined);
  assert.equal(at('$(hostname)', 3), undefined);
});

test('a variable\'s definition: the assignment that gave it its value there, of the script or of the file it reads with `.`; none where the value is not known', () => {
  const conf = '# the router\nWAN=eth0\n';
  const text = 'LAN=eth1\n. /etc/fw.conf\niptables -A FORWARD -i $LAN -o $WAN -j ACCEPT\nLAN=eth2\niptables -A FORWARD -i $LAN -j ACCEPT\nX=$(date)\niptables -A INPUT -s $X -j DROP\n';
  const doc = new FirewallDocument(text, { dialect: 'script', sourced: new Map([['/etc/fw.conf', { file: '/srv/fw.conf', text: conf }]]) });
  const def = (needle: string, from = 0) => variableDefinitionAt(doc.ruleSet, text, text.indexOf(needle, from) + 1);
  const wan = def('$WAN')!;
  assert.deepEqual([wan.value, wan.from, conf.slice(wan.span.start, wan.span.end)], ['eth0', { file: '/srv/fw.conf', line: 2 }, 'WAN=eth0']);
  // LAN is set twice in the script: its value is not known, nor is one from a command's output
  assert.equal(def('$LAN'), undefined);
  assert.equal(def('$X'), undefined);
  const once = 'WEB=10.0.0.5\niptables -A FORWARD -d $WEB -j ACCEPT\n';
  const web = variableDefinitionAt(new FirewallDocument(once, { dialect: 'script' }).ruleSet, once, once.indexOf('$WEB') + 2)!;
  assert.deepEqual([once.slice(web.span.start, web.span.end), web.from], ['WEB=10.0.0.5', undefined]);
});
