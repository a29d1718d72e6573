import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { getTarget } from '../../../server/src/core/knowledge/index.ts';
import { explainExtension, explainOption } from '../../../server/src/core/services/explain.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';
import { dnatChecks } from '../../../server/src/core/analysis/dnatPaths.ts';

/**
 * Hover on a DNAT rule says where its connections go: on the `DNAT` word, on `-j`, on
 * `--to-destination` and on its value. Each outcome the packet evaluator can reach is
 * checked through the structured `forward` field, and the hover keeps the docs it had.
 */
const nat = '*nat\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080\nCOMMIT\n';
const filter = (...rules: string[]) => `*filter\n:FORWARD DROP [0:0]\n:web - [0:0]\n${rules.join('\n')}\nCOMMIT\n`;
const docOf = (text: string) => new FirewallDocument(text, { dialect: 'save' });
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** The four places on the DNAT rule (line 2), each as an offset inside the word. */
function places(text: string) {
  const start = text.indexOf('-A PREROUTING');
  const at = (needle: string) => text.indexOf(needle, start) + 1;
  return { target: at('DNAT'), jump: at('-j DNAT'), option: at('--to-destination'), value: at('10.0.0.5:8080') };
}

test('the summary shows on DNAT, -j, --to-destination and its value, and only on the DNAT rule', () => {
  const text = nat + filter('-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT', '-A FORWARD -p tcp -d 10.0.0.5 --dport 8080 -j ACCEPT');
  const doc = docOf(text);
  const want = { outcome: 'reaches', to: '10.0.0.5:8080', chain: 'FORWARD', line: lineOf(text, '--dport 8080 -j ACCEPT') };
  for (const [where, offset] of Object.entries(places(text))) {
    const h = hoverAt(doc, offset);
    assert.ok(h, where);
    assert.deepEqual(h.forward, want, where);
    assert.ok(h.markdown.includes(`line ${want.line}`) && h.markdown.includes(want.to), where);
  }
  // the hover on the ACCEPT rule's -j has the same option docs and no summary
  const plain = hoverAt(doc, text.indexOf('-j ACCEPT') + 1)!;
  assert.equal(plain.forward, undefined);
  const onJump = hoverAt(doc, places(text).jump)!;
  assert.ok(onJump.markdown.startsWith(plain.markdown), 'the -j docs come first, the summary below');
  assert.ok(onJump.markdown.length > plain.markdown.length);
  // the --to-destination docs are kept too, first
  const dnat = getTarget('DNAT')!;
  const optionDocs = explainOption(dnat.options.find((o) => o.name === '--to-destination')!, dnat);
  assert.ok(hoverAt(doc, places(text).option)!.markdown.startsWith(optionDocs));
  // on the DNAT word the summary leads, the target docs follow
  assert.ok(hoverAt(doc, places(text).target)!.markdown.endsWith(explainExtension(dnat)));
  // neither the protocol nor the interface of the DNAT rule carries it
  assert.equal(hoverAt(doc, text.indexOf('tcp') + 1)!.forward, undefined);
});

test('rejected by a rule, dropped in a user chain, dropped by the policy', () => {
  const rejected = nat + filter('-A FORWARD -d 10.0.0.5 -p tcp -j REJECT --reject-with tcp-reset');
  assert.deepEqual(hoverAt(docOf(rejected), places(rejected).option)!.forward, { outcome: 'rejected', to: '10.0.0.5:8080', chain: 'FORWARD', line: lineOf(rejected, 'REJECT') });
  assert.match(hoverAt(docOf(rejected), places(rejected).option)!.markdown, new RegExp(`rejected by FORWARD rule at line ${lineOf(rejected, 'REJECT')}`));

  const inChain = nat + filter('-A FORWARD -i eth0 -j web', '-A web -p tcp --dport 8080 -j DROP', '-A web -j ACCEPT');
  assert.deepEqual(hoverAt(docOf(inChain), places(inChain).value)!.forward, { outcome: 'dropped', to: '10.0.0.5:8080', chain: 'web', line: lineOf(inChain, '-j DROP') });

  const policy = nat + filter('-A FORWARD -p udp -j ACCEPT');
  const h = hoverAt(docOf(policy), places(policy).jump)!;
  assert.deepEqual(h.forward, { outcome: 'policy', to: '10.0.0.5:8080', verdict: 'DROP' });
  assert.match(h.markdown, /dropped by FORWARD policy DROP/);
  // a RETURN in a chain reached by -g, or a chain with nothing that matches, ends at the policy, not at that rule
  for (const rules of [['-A FORWARD -g web', '-A web -p udp -j ACCEPT', '-A web -j RETURN'], ['-A FORWARD -j web', '-A web -p udp -j ACCEPT'], ['-A FORWARD -g web']]) {
    const text = nat + filter(...rules);
    assert.deepEqual(hoverAt(docOf(text), places(text).jump)!.forward, { outcome: 'policy', to: '10.0.0.5:8080', verdict: 'DROP' }, rules.join(' / '));
  }
  const open = policy.replace(':FORWARD DROP', ':FORWARD ACCEPT');
  assert.deepEqual(hoverAt(docOf(open), places(open).jump)!.forward, { outcome: 'policy', to: '10.0.0.5:8080', verdict: 'ACCEPT' });
});

test('a rule the evaluator cannot decide makes the summary uncertain: "may reach", with the branch count', () => {
  const text = nat + filter('-A FORWARD -p tcp -m recent --name scan --rcheck --seconds 60 -j DROP', '-A FORWARD -p tcp -d 10.0.0.5 -j ACCEPT');
  const h = hoverAt(docOf(text), places(text).target)!;
  assert.equal(h.forward?.outcome, 'uncertain');
  assert.ok(h.forward?.outcome === 'uncertain');
  assert.equal(h.forward.to, '10.0.0.5:8080');
  assert.equal(h.forward.branches, 2);
  assert.deepEqual([...h.forward.verdicts].sort(), ['ACCEPT', 'DROP']);
  assert.ok(h.markdown.includes('may reach 10.0.0.5:8080') && h.markdown.includes('2 branches'));
});

test('in a script: a shell variable in FORWARD makes it uncertain, hovering -j of the DNAT command', () => {
  const script = [
    '#!/bin/sh',
    'iptables -P FORWARD DROP',
    'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 443 -j DNAT --to-destination 10.0.0.7',
    'iptables -A FORWARD -i $LAN -j DROP',
    'iptables -A FORWARD -p tcp -d 10.0.0.7 --dport 443 -j ACCEPT',
    '',
  ].join('\n');
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const h = hoverAt(doc, script.indexOf('-j DNAT') + 1)!;
  assert.ok(h.forward?.outcome === 'uncertain', JSON.stringify(h.forward));
  assert.equal(h.forward.to, '10.0.0.7:443');
  assert.deepEqual([...h.forward.verdicts].sort(), ['ACCEPT', 'DROP']);
});

test('a DNAT check keeps no packet: the translated packet is made again when asked for, the same each time', () => {
  const text = nat + filter('-A FORWARD -p tcp -d 10.0.0.5 --dport 8080 -j ACCEPT');
  const [check] = dnatChecks(docOf(text).ruleSet);
  assert.deepEqual(Object.keys(check).sort(), ['dnat', 'forward', 'replies']);
  assert.deepEqual(check.packet, { family: 'ipv4', in: 'eth0', proto: 'tcp', dst: '10.0.0.5', dport: 8080, state: 'NEW', origin: 'remote', local: [] });
  assert.notEqual(check.packet, check.packet);
  assert.deepEqual(check.packet, check.packet);
});

/** The port forward in ufw's before.rules, as judged with the files around it (see ufwLoad). */
function inUfw(policy: 'ACCEPT' | 'DROP' | 'REJECT', userRules = ''): { doc: FirewallDocument; text: string } {
  const text = `${nat}*filter\n:ufw-before-forward - [0:0]\n-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n`;
  const doc = new FirewallDocument(text, { fileName: '/etc/ufw/before.rules' });
  const files = [{ role: 'user' as const, file: '/etc/ufw/user.rules', text: `*filter\n:ufw-user-forward - [0:0]\n${userRules}COMMIT\n` }];
  doc.diagnostics({ settings: { workspaceUfw: { role: 'before', defaults: { file: '/etc/default/ufw', forwardPolicy: policy }, files } } });
  return { doc, text };
}

test('in ufw\'s before.rules, the forward as ufw loads it: its policy from /etc/default/ufw, its own chains, a rule of user.rules by file and line', () => {
  const set = (p: string) => `ufw's DEFAULT_FORWARD_POLICY="${p}" in /etc/default/ufw`;
  let { doc, text } = inUfw('DROP');
  assert.deepEqual(hoverAt(doc, places(text).option)!.forward, { outcome: 'policy', to: '10.0.0.5:8080', verdict: 'DROP', set: set('DROP') });
  ({ doc, text } = inUfw('REJECT'));
  assert.deepEqual(hoverAt(doc, places(text).option)!.forward, { outcome: 'rejected', to: '10.0.0.5:8080', chain: 'ufw-reject-forward', set: set('REJECT') });
  ({ doc, text } = inUfw('ACCEPT'));
  assert.deepEqual(hoverAt(doc, places(text).option)!.forward, { outcome: 'reaches', to: '10.0.0.5:8080', chain: 'ufw-track-forward', set: set('ACCEPT') });
  ({ doc, text } = inUfw('DROP', '-A ufw-user-forward -p tcp -d 10.0.0.5 --dport 8080 -j ACCEPT\n'));
  const h = hoverAt(doc, places(text).option)!;
  assert.deepEqual(h.forward, { outcome: 'reaches', to: '10.0.0.5:8080', chain: 'ufw-user-forward', line: 3, file: '/etc/ufw/user.rules' });
  assert.match(h.markdown, /reaches 10\.0\.0\.5:8080 via ufw-user-forward rule at line 3 of \/etc\/ufw\/user\.rules/);
  // an edit since the findings: the tables they read are not this text's any more
  doc.update(text.replace('--dport 80 ', '--dport 81 '));
  assert.deepEqual(hoverAt(doc, places(doc.text).option)!.forward, { outcome: 'host-policy', to: '10.0.0.5:8080' });
});

test('a file added with --noflush that does not set FORWARD\'s policy: the host\'s policy decides, not an ACCEPT assumed', () => {
  const doc = new FirewallDocument(nat, { fileName: '/etc/ufw/before.rules' });
  assert.deepEqual(hoverAt(doc, places(nat).option)!.forward, { outcome: 'host-policy', to: '10.0.0.5:8080' });
  assert.match(hoverAt(doc, places(nat).option)!.markdown, /host's FORWARD policy/);
  // loaded without --noflush, a table block starts from ACCEPT policies
  assert.deepEqual(docOf(nat).ruleSet.noflush, undefined);
  assert.deepEqual(hoverAt(docOf(nat), places(nat).option)!.forward, { outcome: 'policy', to: '10.0.0.5:8080', verdict: 'ACCEPT' });
});

test('a chain of a ufw rules file that ufw itself jumps to: hover lists those jumps, from ufw\'s own rules and from its other files', () => {
  const after = '*filter\n:ufw-after-input - [0:0]\n-A ufw-after-input -p udp --dport 137 -j ufw-skip-to-policy-input\nCOMMIT\n';
  const user = '*filter\n:ufw-user-input - [0:0]\n-A ufw-user-input -p tcp --dport 25 -j ufw-after-input\nCOMMIT\n';
  const doc = new FirewallDocument(after, { fileName: '/etc/ufw/after.rules' });
  const at = after.indexOf(':ufw-after-input') + 3;
  // not judged with the files around it: nothing in the file jumps to it
  assert.match(hoverAt(doc, at)!.markdown, /Nothing jumps to it/);
  doc.diagnostics({ settings: { workspaceUfw: { role: 'after', defaults: { file: '/etc/default/ufw', forwardPolicy: 'DROP' }, files: [{ role: 'user', file: '/etc/ufw/user.rules', text: user }] } } });
  const lines = hoverAt(doc, at)!.markdown.split('\n');
  assert.ok(lines.includes("- ufw's own rule in INPUT (-j)"), lines.join('\n'));
  assert.ok(lines.includes('- line 3 of /etc/ufw/user.rules in ufw-user-input (-j)'), lines.join('\n'));
});
