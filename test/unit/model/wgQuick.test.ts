import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hookView as hookViewOf } from '../../../server/src/core/model/hookFiles.ts';
import { isWgQuickConfig, wgQuickHooks } from '../../../server/src/core/model/wgQuick.ts';

const hookView = (text: string, phase: 'up' | 'down') => hookViewOf(text, phase, wgQuickHooks(text));
import { applyFixes } from '../../../server/src/core/services/fixAll.ts';
import { completionsAt } from '../../../server/src/core/services/completion.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

/** wg-quick configurations: their hooks read as a script, as wg-quick runs them. */
const conf = [
  '[Interface]',
  'Address = 10.8.0.1/24',
  'PrivateKey = c2VjcmV0IGtleSBtYXRlcmlhbCBub3QgYSByZWFsIG9uZSE=',
  '  PostUp=iptables -A FORWARD -i %i -j ACCEPT   # comment cut by wg-quick',
  '# iptables-lint disable-next-line unknown-option',
  'PostUp = iptables -A INPUT --bogus 1 -j ACCEPT',
  'postup = iptables -A INPUT -j FOO',
  'PostDown = iptables -D FORWARD -i %i -j ACCEPT',
  'PreDown = iptables -D INPUT --nope -j ACCEPT',
  '',
  '[Peer]',
  'PostUp = iptables -A INPUT -j BAR',
  'AllowedIPs = 10.8.0.2/32',
  '',
].join('\n');

test('hooks: only in [Interface], by the exact key, the value trimmed and cut at its first #', () => {
  const hooks = wgQuickHooks(conf);
  assert.deepEqual(hooks.map((h) => [h.key, conf.slice(h.valueStart, h.valueEnd)]), [
    ['PostUp', 'iptables -A FORWARD -i %i -j ACCEPT'],
    ['PostUp', 'iptables -A INPUT --bogus 1 -j ACCEPT'],
    ['PostDown', 'iptables -D FORWARD -i %i -j ACCEPT'],
    ['PreDown', 'iptables -D INPUT --nope -j ACCEPT'],
  ]);
});

test('a view keeps the length, the line ends, the phase\'s values in place and comment lines; the rest is blank', () => {
  for (const phase of ['up', 'down'] as const) {
    const view = hookView(conf, phase);
    assert.equal(view.length, conf.length);
    assert.deepEqual([...view.matchAll(/\n/g)].map((m) => m.index), [...conf.matchAll(/\n/g)].map((m) => m.index));
    assert.ok(!view.includes('PrivateKey') && !view.includes('c2VjcmV0') && !view.includes('[Interface]'));
    assert.ok(view.includes('# iptables-lint disable-next-line unknown-option'));
  }
  const up = hookView(conf, 'up');
  assert.equal(up.indexOf('iptables -A FORWARD'), conf.indexOf('iptables -A FORWARD'));
  assert.ok(!up.includes('comment cut') && !up.includes('-j FOO') && !up.includes('-j BAR') && !up.includes('-D FORWARD'));
  assert.ok(hookView(conf, 'down').includes('iptables -D FORWARD -i %i -j ACCEPT'));
});

test('a configuration is told by its name (.conf), its [Interface] section and a hook in it', () => {
  assert.equal(isWgQuickConfig(conf, '/etc/wireguard/wg0.conf'), true);
  assert.equal(isWgQuickConfig(conf, 'wg0.sh'), false);
  assert.equal(isWgQuickConfig('[Interface]\nAddress = 10.0.0.1/24\n', 'wg0.conf'), false, 'no hooks');
  assert.equal(isWgQuickConfig('[Peer]\nPostUp = iptables -A INPUT -j ACCEPT\n', 'wg0.conf'), false);
  const doc = new FirewallDocument(conf, { fileName: '/etc/wireguard/wg0.conf' });
  assert.equal(doc.hooks, 'wg-quick');
  assert.equal(doc.dialect, 'script');
  assert.equal(doc.source, conf);
  assert.equal(new FirewallDocument(conf, { fileName: 'notes.conf', dialect: 'save' }).hooks, undefined, 'a dialect given is kept');
});

test('findings: up\'s at their place in the file, down\'s about its own commands, directives honoured', () => {
  const doc = new FirewallDocument(conf, { fileName: 'wg0.conf' });
  const found = doc.diagnostics().map((d) => [d.code, conf.slice(d.span.start, d.span.end)]);
  assert.deepEqual(found.filter(([c]) => c === 'unknown-option'), [['unknown-option', '--nope']], 'the PostUp one is silenced, the PreDown one reported');
  assert.ok(!found.some(([, t]) => t.includes('FOO') || t.includes('BAR')), 'lines wg-quick does not run are not judged');
});

test('an edit goes to the file; the views follow it', () => {
  const doc = new FirewallDocument(conf, { fileName: 'wg0.conf' });
  const at = conf.indexOf('--nope');
  const edited = conf.slice(0, at) + '--dport 1' + conf.slice(at + 6);
  doc.update(edited);
  assert.equal(doc.source, edited);
  assert.equal(doc.text, hookView(edited, 'up'));
  assert.ok(doc.diagnostics().some((d) => d.code === 'option-requires-match' && edited.slice(d.span.start, d.span.end) === '--dport'));
});

test('a NUL byte typed into a configuration makes it binary, as in a fresh document, wherever it is', () => {
  const doc = new FirewallDocument(conf, { fileName: 'wg0.conf' });
  const at = conf.indexOf('Address');
  const edited = `${conf.slice(0, at)}\u0000${conf.slice(at)}`;
  doc.update(edited);
  const fresh = new FirewallDocument(edited, { fileName: 'wg0.conf' });
  assert.deepEqual(doc.diagnostics().map((d) => d.code), ['analysis-skipped']);
  assert.deepEqual(fresh.diagnostics().map((d) => d.code), ['analysis-skipped']);
});

test('fixes are written as the configuration holds them: a new command as a hook line inside [Interface]', () => {
  const text = '[Interface]\nAddress = 10.8.0.1/24\nPostUp = iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE\n';
  const doc = new FirewallDocument(text, { fileName: 'wg0.conf' });
  const forward = doc.diagnostics().find((d) => d.code === 'missing-ip-forward')!;
  assert.equal(forward.severity, 'info', 'the host usually sets it in sysctl.conf');
  const fixed = applyFixes(text, [forward.fixes!.find((f) => !f.suppression)!]).text;
  assert.equal(fixed, '[Interface]\nAddress = 10.8.0.1/24\nPostUp = sysctl -w net.ipv4.ip_forward=1\nPostUp = iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE\n');
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'wg0.conf' }).diagnostics().filter((d) => d.code === 'missing-ip-forward'), []);
  const suppress = forward.fixes!.find((f) => f.suppression)!;
  assert.match(applyFixes(text, [suppress]).text, /\n# iptables-lint disable-next-line missing-ip-forward\nPostUp = /);
});

test('a fix that adds a rule in an up line deletes it again in PostDown, after the last down line: nothing is left after down', () => {
  const text = [
    '[Interface]',
    'Address = 10.8.0.1/24',
    'PostUp = iptables -P FORWARD DROP; iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    'PostUp = iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.8.0.2:8080',
    'PostDown = iptables -t nat -D PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.8.0.2:8080',
    'PostDown = iptables -D FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '',
    '[Peer]',
    'AllowedIPs = 10.8.0.2/32',
    '',
  ].join('\n');
  const settings = { workspaceSearched: true, workspaceForwarding: [{ family: 'ipv4' as const, value: '1', file: '/etc/sysctl.conf' }] };
  const codes = (t: string) => new FirewallDocument(t, { fileName: 'wg0.conf' }).diagnostics({ settings }).map((d) => d.code);
  const dnat = new FirewallDocument(text, { fileName: 'wg0.conf' }).diagnostics({ settings }).find((d) => d.code === 'dnat-without-forward-accept')!;
  const fixed = applyFixes(text, [dnat.fixes!.find((f) => !f.suppression)!]).text.split('\n');
  const accept = 'iptables -A FORWARD -i eth0 -p tcp -d 10.8.0.2 --dport 8080 -m conntrack --ctstate NEW -j ACCEPT';
  assert.equal(fixed[4], `PostUp = ${accept}`);
  assert.equal(fixed[7], `PostDown = ${accept.replace('-A FORWARD', '-D FORWARD')}`);
  assert.deepEqual(codes(fixed.join('\n')), []);
  // the same configuration without any down line: the PostDown goes after the last hook line
  const noDown = text.split('\n').filter((l) => !l.startsWith('PostDown')).join('\n');
  const first = new FirewallDocument(noDown, { fileName: 'wg0.conf' }).diagnostics({ settings }).find((d) => d.code === 'dnat-without-forward-accept')!;
  const lines = applyFixes(noDown, [first.fixes!.find((f) => !f.suppression)!]).text.split('\n');
  assert.deepEqual(lines.slice(3, 6), ['PostUp = iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.8.0.2:8080', `PostUp = ${accept}`, `PostDown = ${accept.replace('-A FORWARD', '-D FORWARD')}`]);
});

test('a typo in PostDown: reported there, with its fix', () => {
  const text = '[Interface]\nPostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j ACCPT\n';
  const doc = new FirewallDocument(text, { fileName: 'wg0.conf' });
  const typo = doc.diagnostics().find((d) => d.code === 'unknown-target')!;
  assert.equal(text.slice(typo.span.start, typo.span.end), 'ACCPT');
  assert.equal(applyFixes(text, [typo.fixes![0]]).text, text.replace('ACCPT', 'ACCEPT'));
});

test('completion only in hook values; %i hovers as the interface wg-quick names', () => {
  const doc = new FirewallDocument(conf, { fileName: 'wg0.conf' });
  assert.equal(completionsAt(doc, conf.indexOf('Address') + 3), undefined);
  assert.equal(completionsAt(doc, conf.indexOf('[Peer]') + 7), undefined);
  assert.ok(completionsAt(doc, conf.indexOf('-j ACCEPT   #') + 3)?.items.some((i) => i.label === 'DROP'));
  assert.match(hoverAt(doc, conf.indexOf('%i'))!.markdown, /wg-quick/);
  const key = hoverAt(doc, conf.indexOf('PreDown') + 2)!;
  assert.deepEqual([key.span.start, key.span.end], [conf.indexOf('PreDown'), conf.indexOf('PreDown') + 7]);
  assert.match(key.markdown, /before it removes the interface/);
});

test('the hooks run with set -e, as wg-quick runs them: a failing clean-up stops it; the same commands in a plain script do not', () => {
  const hooks = 'PostUp = iptables -D FORWARD -i %i -j ACCEPT 2>/dev/null; iptables -A FORWARD -i %i -j ACCEPT\n';
  const text = `[Interface]\n${hooks}`;
  const found = new FirewallDocument(text, { fileName: 'wg0.conf' }).diagnostics().filter((d) => d.code === 'failure-stops-script');
  assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), ['iptables -D FORWARD -i %i -j ACCEPT 2>/dev/null']);
  const script = 'iptables -D FORWARD -i wg0 -j ACCEPT 2>/dev/null; iptables -A FORWARD -i wg0 -j ACCEPT\n';
  assert.deepEqual(new FirewallDocument(script, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'failure-stops-script'), []);
});

test('each hook line runs in a shell of its own: a variable set on one line is unset on the next', () => {
  const text = '[Interface]\nPostUp = WAN=eth0 PORT=99999; iptables -t nat -A POSTROUTING -o $WAN -j MASQUERADE\nPostUp = iptables -A FORWARD -i %i -o $WAN -p tcp --dport $PORT -j ACCEPT\n';
  const doc = new FirewallDocument(text, { fileName: 'wg0.conf' });
  const rules = doc.ruleSet.commands.map((c) => c.rule!);
  assert.equal(rules[0].outInterface?.value, 'eth0', 'known on its own line');
  assert.equal(rules[1].outInterface?.value, '$WAN', 'unknown on the next: it is unset there');
  assert.deepEqual(doc.diagnostics().filter((d) => d.code === 'invalid-value'), [], 'nor is the port set on the line before');
});
