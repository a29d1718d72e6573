import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsIptablesRules } from '../../../server/src/core/dialect.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hookView } from '../../../server/src/core/model/hookFiles.ts';
import { ifupdownParse, isIfupdownConfig } from '../../../server/src/core/model/ifupdown.ts';
import { prepareRules } from '../../../server/src/apply/prepareRules.ts';
import { applyFixes } from '../../../server/src/core/services/fixAll.ts';
import { completionsAt } from '../../../server/src/core/services/completion.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';
import { variableDefinitionAt } from '../../../server/src/core/services/variables.ts';
import { compileScript } from '../../../server/src/core/compile/toRestore.ts';

/** ifupdown configurations: the hook lines of their `iface` stanzas read as a script, as ifup and ifdown run them. */
const conf = [
  'source /etc/network/interfaces.d/*',
  'post-up iptables -A INPUT -j OUTSIDE_ANY_STANZA',
  '',
  'auto lo',
  'iface lo inet loopback',
  '',
  'auto vmbr1',
  'iface vmbr1 inet static',
  '\taddress 10.10.10.1/24',
  '\tbridge-ports none',
  '\t# iptables-lint disable-next-line unknown-option',
  '\tpost-up iptables -A INPUT --bogus 1 -j ACCEPT',
  "\tpost-up   iptables -t nat -A POSTROUTING -s '10.10.10.0/24' -o vmbr0 -j MASQUERADE",
  '\tup iptables -A FORWARD -i $IFACE \\',
  '\t     -j ACCEPT',
  '\tpost-down iptables -t nat -D POSTROUTING -s 10.10.10.0/24 -o vmbr0 -j MASQUERADE',
  '\tpre-down iptables -D INPUT --nope -j ACCEPT',
  '\tpost-upx iptables -A INPUT -j NOT_A_KEY',
  '',
  'mapping eth*',
  '\tscript /usr/local/sbin/map',
  '\tpost-up iptables -A INPUT -j IN_A_MAPPING',
  '',
].join('\n');

test('hooks: only in iface stanzas, by the exact key, the value trimmed, a line continued with a backslash whole', () => {
  const { hooks, stanzas } = ifupdownParse(conf);
  assert.deepEqual(hooks.map((h) => [h.key, conf.slice(h.valueStart, h.valueEnd)]), [
    ['post-up', 'iptables -A INPUT --bogus 1 -j ACCEPT'],
    ['post-up', "iptables -t nat -A POSTROUTING -s '10.10.10.0/24' -o vmbr0 -j MASQUERADE"],
    ['up', 'iptables -A FORWARD -i $IFACE \\\n\t     -j ACCEPT'],
    ['post-down', 'iptables -t nat -D POSTROUTING -s 10.10.10.0/24 -o vmbr0 -j MASQUERADE'],
    ['pre-down', 'iptables -D INPUT --nope -j ACCEPT'],
  ]);
  assert.deepEqual(stanzas.map((s) => [s.name, conf.slice(s.nameSpan.start, s.nameSpan.end), conf.slice(s.start, s.end).split('\n')[0]]), [
    ['lo', 'lo', 'iface lo inet loopback'],
    ['vmbr1', 'vmbr1', 'iface vmbr1 inet static'],
  ]);
  assert.ok(conf.slice(stanzas[1].start, stanzas[1].end).endsWith('NOT_A_KEY\n\n'), 'the stanza ends at the mapping');
});

test('a view keeps the length, the line ends, the phase\'s values in place (continued ones whole) and comment lines; the rest is blank', () => {
  const { hooks } = ifupdownParse(conf);
  for (const phase of ['up', 'down'] as const) {
    const view = hookView(conf, phase, hooks);
    assert.equal(view.length, conf.length);
    assert.deepEqual([...view.matchAll(/\n/g)].map((m) => m.index), [...conf.matchAll(/\n/g)].map((m) => m.index));
    assert.ok(!view.includes('iface') && !view.includes('address') && !view.includes('post-up') && !view.includes('OUTSIDE') && !view.includes('MAPPING'));
    assert.ok(view.includes('# iptables-lint disable-next-line unknown-option'));
  }
  const up = hookView(conf, 'up', hooks);
  assert.equal(up.indexOf('iptables -A FORWARD -i $IFACE \\\n\t     -j ACCEPT'), conf.indexOf('iptables -A FORWARD -i $IFACE \\\n\t     -j ACCEPT'));
  assert.ok(!up.includes('-D INPUT'));
  assert.ok(hookView(conf, 'down', hooks).includes('iptables -D INPUT --nope -j ACCEPT'));
});

test('a configuration is told by its name (interfaces, a file of interfaces.d), an iface stanza and a hook in it', () => {
  assert.equal(isIfupdownConfig(conf, '/etc/network/interfaces'), true);
  assert.equal(isIfupdownConfig(conf, '/etc/network/interfaces.d/vmbr1'), true);
  assert.equal(isIfupdownConfig(conf, 'C:\\etc\\network\\interfaces'), true);
  assert.equal(isIfupdownConfig(conf, '/etc/network/interfaces.txt'), false);
  assert.equal(isIfupdownConfig(conf, 'fw.sh'), false);
  assert.equal(isIfupdownConfig('auto eth0\niface eth0 inet dhcp\n', '/etc/network/interfaces'), false, 'no hooks');
  assert.equal(isIfupdownConfig('post-up iptables -A INPUT -j ACCEPT\n', '/etc/network/interfaces'), false, 'a hook outside any stanza is not run');
  const doc = new FirewallDocument(conf, { fileName: '/etc/network/interfaces' });
  assert.equal(doc.hooks, 'ifupdown');
  assert.equal(doc.dialect, 'script');
  assert.equal(doc.source, conf);
  // a folder scan takes it where its hooks call iptables
  assert.equal(holdsIptablesRules(conf, '/etc/network/interfaces'), true);
  assert.equal(holdsIptablesRules('iface eth0 inet static\n\tpost-up ip route add 10.0.0.0/8 via 192.0.2.1\n', '/etc/network/interfaces'), false);
});

test('findings: up\'s at their place in the file, down\'s about its own commands, directives honoured; $IFACE is the stanza\'s interface', () => {
  const doc = new FirewallDocument(conf, { fileName: '/etc/network/interfaces' });
  const found = doc.diagnostics().map((d) => [d.code, conf.slice(d.span.start, d.span.end)]);
  assert.deepEqual(found.filter(([c]) => c === 'unknown-option'), [['unknown-option', '--nope']], 'the post-up one is silenced, the pre-down one reported');
  assert.ok(!found.some(([, t]) => /OUTSIDE|NOT_A_KEY|MAPPING/.test(t)), 'lines ifupdown does not run are not judged');
  const forward = doc.ruleSet.commands.find((c) => c.chain === 'FORWARD');
  assert.equal(forward?.rule?.inInterface?.value, 'vmbr1');
  assert.equal(forward?.rule?.dynamic, false);
});

test('hover names when ifupdown runs a key and who sets $IFACE; completion works inside a hook\'s command only', () => {
  const doc = new FirewallDocument(conf, { fileName: '/etc/network/interfaces' });
  const key = conf.indexOf('pre-down');
  assert.match(hoverAt(doc, key + 2)?.markdown ?? '', /^\*\*pre-down\*\* — `ifdown` runs this before/);
  assert.match(hoverAt(doc, conf.indexOf('\tup ') + 1)?.markdown ?? '', /same as `post-up`/);
  assert.match(hoverAt(doc, conf.indexOf('$IFACE') + 2)?.markdown ?? '', /^`\$IFACE` is `vmbr1` here: `\$IFACE` is set by ifupdown, to the interface of this stanza \(`iface vmbr1`\)/);
  // go to definition on it: the stanza's interface name
  const def = variableDefinitionAt(doc.ruleSet, doc.text, conf.indexOf('$IFACE') + 2);
  assert.deepEqual(def && [conf.slice(def.span.start - 'iface '.length, def.span.start), conf.slice(def.span.start, def.span.end)], ['iface ', 'vmbr1']);
  const at = conf.indexOf('-j ACCEPT', conf.indexOf('--bogus')) + 3;
  assert.ok(completionsAt(doc, at)?.items.some((i) => i.label === 'DROP'));
  assert.equal(completionsAt(doc, conf.indexOf('address') + 3), undefined);
});

test('quick fixes are written as hook lines of the stanza, at its indentation', () => {
  const text = 'auto vmbr1\niface vmbr1 inet static\n\taddress 10.10.10.1/24\n\tpost-up iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o vmbr0 -j MASQUERADE\n\tpost-down iptables -t nat -D POSTROUTING -s 10.10.10.0/24 -o vmbr0 -j MASQUERADE\n';
  const doc = new FirewallDocument(text, { fileName: '/etc/network/interfaces' });
  const forward = doc.diagnostics().find((d) => d.code === 'missing-ip-forward');
  assert.ok(forward?.fixes?.length);
  const fixed = applyFixes(text, [forward.fixes[0]]).text;
  assert.match(fixed, /\n\tpost-up sysctl -w net\.ipv4\.ip_forward=1\n\tpost-up iptables -t nat -A POSTROUTING/);
});

test('an edit goes to the file; the views follow it', () => {
  const doc = new FirewallDocument(conf, { fileName: '/etc/network/interfaces' });
  const at = conf.indexOf('--nope');
  const edited = conf.slice(0, at) + '--dport 1' + conf.slice(at + 6);
  doc.update(edited);
  assert.equal(doc.source, edited);
  assert.equal(doc.text, hookView(edited, 'up', ifupdownParse(edited).hooks));
  assert.ok(doc.diagnostics().some((d) => d.code === 'option-requires-match' && edited.slice(d.span.start, d.span.end) === '--dport'));
});

test('compiled with $IFACE read as the interface; apply refuses the file with what to do instead', () => {
  const text = 'iface vmbr1 inet manual\n\tpost-up iptables -A FORWARD -i $IFACE -j ACCEPT\n';
  const doc = new FirewallDocument(text, { fileName: '/etc/network/interfaces' });
  const r = compileScript(doc.text, doc.scriptOptions);
  assert.equal(r.refusal, undefined);
  assert.match(r.outputs[0].text, /^-A FORWARD -i vmbr1 -j ACCEPT$/m);
  const refused = prepareRules(text, { fileName: '/etc/network/interfaces' });
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.reason, /ifdown IFACE; ifup IFACE/);
});
