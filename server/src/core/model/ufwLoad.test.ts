import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ufwDefaults, ufwLoad, ufwRulesFile, type UfwSurroundings } from './ufwLoad.ts';

const surroundings = (forwardPolicy: 'ACCEPT' | 'DROP' | 'REJECT', files: UfwSurroundings['files'] = []): UfwSurroundings => ({ role: 'before', defaults: { file: '/etc/default/ufw', forwardPolicy }, files });

test('ufw rules files by name: role and family', () => {
  assert.deepEqual(ufwRulesFile('/etc/ufw/before.rules'), { role: 'before', family: 'ipv4' });
  assert.deepEqual(ufwRulesFile('user6.rules'), { role: 'user', family: 'ipv6' });
  assert.deepEqual(ufwRulesFile('/etc/ufw/after6.rules'), { role: 'after', family: 'ipv6' });
  assert.equal(ufwRulesFile('/etc/iptables/rules.v4'), undefined);
  assert.equal(ufwRulesFile('mybefore.rules'), undefined);
});

test('/etc/default/ufw: the policies as sh reads them, DROP when unset or unknown; IPv6 off only by IPV6=no', () => {
  assert.deepEqual(ufwDefaults('IPV6=yes\nDEFAULT_FORWARD_POLICY="ACCEPT"\nDEFAULT_INPUT_POLICY="REJECT"\n'), { forwardPolicy: 'ACCEPT', inputPolicy: 'REJECT', ipv6: true, manageBuiltins: false });
  assert.deepEqual(ufwDefaults("DEFAULT_FORWARD_POLICY='REJECT' # comment\nIPV6=no\n"), { forwardPolicy: 'REJECT', inputPolicy: 'DROP', ipv6: false, manageBuiltins: false });
  assert.deepEqual(ufwDefaults('#DEFAULT_FORWARD_POLICY="ACCEPT"\n'), { forwardPolicy: 'DROP', inputPolicy: 'DROP', ipv6: true, manageBuiltins: false });
  assert.deepEqual(ufwDefaults('DEFAULT_FORWARD_POLICY=DROP\nDEFAULT_FORWARD_POLICY=ACCEPT\n'), { forwardPolicy: 'ACCEPT', inputPolicy: 'DROP', ipv6: true, manageBuiltins: false });
  assert.equal(ufwDefaults('IPT_SYSCTL=/etc/ufw/sysctl.conf\n').sysctl, '/etc/ufw/sysctl.conf');
  // ufw-init-functions tests MANAGE_BUILTINS against "yes" as written
  assert.equal(ufwDefaults('MANAGE_BUILTINS=yes\n').manageBuiltins, true);
  assert.equal(ufwDefaults('MANAGE_BUILTINS="yes"\n').manageBuiltins, true);
  assert.equal(ufwDefaults('MANAGE_BUILTINS=YES\n').manageBuiltins, false);
  assert.equal(ufwDefaults('MANAGE_BUILTINS=no\n').manageBuiltins, false);
});

test('the load: FORWARD jumps to ufw\'s six chains in order under the defaults\' policy; the user chain is hooked after before.rules\' own rules', () => {
  const own = '*filter\n:ufw-before-forward - [0:0]\n-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n';
  const load = ufwLoad(own, 'ipv4', surroundings('REJECT', [{ role: 'user', file: '/etc/ufw/user.rules', text: '*filter\n:ufw-user-forward - [0:0]\n-A ufw-user-forward -p tcp --dport 80 -j ACCEPT\nCOMMIT' }]));
  const filter = load.ruleSet.tables.get('ipv4:filter')!;
  const forward = filter.chains.get('FORWARD')!;
  assert.equal(forward.policy, 'DROP');
  assert.deepEqual(forward.rules.map((r) => r.target?.name), ['ufw-before-logging-forward', 'ufw-before-forward', 'ufw-after-forward', 'ufw-after-logging-forward', 'ufw-reject-forward', 'ufw-track-forward']);
  assert.deepEqual(filter.chains.get('ufw-before-forward')!.rules.map((r) => r.target?.name), ['ACCEPT', 'ufw-user-forward']);
  assert.deepEqual(filter.chains.get('ufw-reject-forward')!.rules.map((r) => r.target?.name), ['REJECT']);
  assert.deepEqual(filter.chains.get('ufw-user-forward')!.rules.map((r) => r.target?.name), ['ACCEPT']);
  // the file's own text sits in the load as it is, and each offset says whose it is
  assert.equal(load.text.slice(load.from, load.to), own);
  assert.deepEqual(load.placeOf(load.from + 10), { own: true });
  const userRule = filter.chains.get('ufw-user-forward')!.rules[0];
  assert.deepEqual(load.placeOf(userRule.span.start), { file: '/etc/ufw/user.rules', line: 3, own: false });
  assert.deepEqual(load.placeOf(forward.rules[0].span.start), { own: false });
});

test('the load: DEFAULT_FORWARD_POLICY ACCEPT tracks new TCP and UDP connections in ufw-track-forward; IPv6 names ufw6 chains', () => {
  const v4 = ufwLoad('', 'ipv4', surroundings('ACCEPT')).ruleSet.tables.get('ipv4:filter')!;
  assert.equal(v4.chains.get('FORWARD')!.policy, 'ACCEPT');
  assert.deepEqual(v4.chains.get('ufw-track-forward')!.rules.map((r) => r.protocol?.value), ['tcp', 'udp']);
  const v6 = ufwLoad('*filter\nCOMMIT', 'ipv6', surroundings('DROP')).ruleSet.tables.get('ipv6:filter')!;
  assert.ok(v6.chains.has('ufw6-before-forward') && v6.chains.has('ufw6-user-forward') && !v6.chains.has('ufw-before-forward'));
});
