import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { sshLockoutRisk } from './ssh-lockout-risk.ts';

ruleTable(sshLockoutRisk, {
  valid: [
    { code: 'add() { iptables -C "$@" 2>/dev/null || iptables -A "$@"; }\nadd INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nadd INPUT -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script', name: 'rules added through a function that passes "$@" to iptables -C || iptables -A' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -s 10.0.0.0/33 -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DORP\n', dialect: 'script', name: 'a policy iptables refuses leaves INPUT accepting' },
    { code: 'iptables -A INPUT -j REJECT --reject-with tcp-reset\n', dialect: 'script', name: 'a reject the kernel refuses (a TCP reset without -p tcp) rejects nothing' },
    { code: 'NET=10.0.0.0/33\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -s "$NET$X" -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script', name: 'a value holding an expansion is not judged' },
    { code: 'P="-p tcp"\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT $P --dport 22 -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script', name: 'an expansion before --dport may load the tcp match: the accept may stand' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script' },
    { code: 'iptables -A INPUT -s "$ADMIN" -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script', name: 'an accept we cannot evaluate' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp -m multiport --dports 22,443 -j ACCEPT') },
    { code: 'iptables -A INPUT -p tcp --dport 2222 -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script', options: { settings: { sshPort: 2222 } }, name: 'the port is a setting' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'the session gets through until the SSH accept comes' },
    { code: 'iptables-restore <<EOF\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a restore input changes its tables at once' },
    { code: 'rules() {\n  iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n}\niptables -F\nrules\niptables -P INPUT DROP\n', dialect: 'script', name: 'a function called once adds its rules at its call, after the flush' },
    { code: 'allow() {\n  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT\n}\niptables -F\nallow 22\nallow 80\niptables -P INPUT DROP\n', dialect: 'script', name: 'a function called several times may accept SSH at each call' },
    {
      code: table('filter', `:INPUT DROP [0:0]\n${Array.from({ length: 80 }, (_, i) => `-A INPUT -s 198.51.100.${i}/32 -j REJECT\n`).join('')}-A INPUT -p tcp --dport 22 -j ACCEPT`),
      name: 'a blocklist longer than the branches followed: SSH from elsewhere is still accepted',
    },
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -P INPUT DROP\niptables -P OUTPUT DROP\n', dialect: 'script', name: 'OUTPUT DROP after an accept of ESTABLISHED' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -p tcp --sport 22 -j ACCEPT'), name: 'OUTPUT accepts the SSH port as source' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -p tcp --dport 1024:65535 -j ACCEPT'), name: 'OUTPUT accepts packets to client ports' },
  ],
  invalid: [
    { code: 'iptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\n«iptables -P INPUT DROP»\n', dialect: 'script', name: 'SSH accepted in state NEW alone: the sessions\' later packets dropped' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT'), name: 'a save file accepting SSH in state NEW alone' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -o eth0 -p tcp --dport 22 -j ACCEPT\n«iptables -P INPUT DROP»\n', dialect: 'script', name: 'SSH accepted by a rule iptables refuses (-o in INPUT)' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -j DROP\nip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«ip6tables -A INPUT -j DROP»\n', dialect: 'script', severity: 'info', name: 'new IPv6 SSH connections shut out while IPv4 INPUT accepts SSH: a note' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -A INPUT -j DROP»\nip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«ip6tables -A INPUT -j DROP»\n', dialect: 'script', severity: 'warning', name: 'both families shut new SSH connections out' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -s 10.0.0.0/33 -p tcp --dport 22 -j ACCEPT\n«iptables -P INPUT DROP»\n', dialect: 'script', name: 'SSH accepted by a rule with a value iptables refuses (a prefix of 33)' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp -m multiport --dports 22,80,70000 -j ACCEPT\n«iptables -P INPUT DROP»\n', dialect: 'script', name: 'SSH accepted by a rule with a port past 65535' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT --dport 22 -j ACCEPT\n«iptables -P INPUT DROP»\n', dialect: 'script', name: 'SSH accepted by a rule iptables refuses (--dport without -p tcp)' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22,80 -j ACCEPT\n«iptables -P INPUT DROP»\n', dialect: 'script', name: 'SSH accepted by a rule with a list in --dport, which iptables refuses (multiport takes lists)' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -m multiport --dports 22,80 -j ACCEPT\n«iptables -P INPUT DROP»\n', dialect: 'script', name: 'SSH accepted by a rule iptables refuses (multiport without -p tcp)' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'), name: 'a loopback accept lets no SSH from another host in' },
    { code: 'rules() {\n  iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n}\n«iptables -P INPUT DROP»\nrules\n', dialect: 'script', name: 'a function called once accepts SSH only at its call' },
    { code: '«iptables -P INPUT DROP»\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'policy before the accept' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n«iptables -I INPUT -j DROP»\n', dialect: 'script', name: 'a DROP inserted above it' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT') },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:fw - [0:0]\n-A INPUT -j fw\n«-A fw -p tcp -m multiport --dports 22,23 -j DROP»'), name: 'a save file: at the rule that drops it' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m recent --update --seconds 60 --hitcount 10 --name ssh -j DROP\n«-A INPUT -p tcp --dport 22 -j REJECT»'), name: 'a save file: at the rule most packets meet, not the rate limit' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n«iptables -P INPUT DROP»\niptables -A INPUT -p tcp --dport 80 -j ACCEPT\n', dialect: 'script', name: 'new logins shut out to the end of the script' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT «DROP» [0:0]\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -p udp --dport 53 -j ACCEPT\n-A OUTPUT -p tcp --dport 80 -j ACCEPT'), name: 'a save file: OUTPUT drops the server\'s packets' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -m state --state ESTABLISHED -j ACCEPT\niptables -P INPUT DROP\n«iptables -P OUTPUT DROP»\niptables -A OUTPUT -p udp --dport 53 -j ACCEPT\n', dialect: 'script', name: 'OUTPUT DROP with no accept of ESTABLISHED: the session is cut' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n«iptables-restore <<EOF»\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a restore that empties INPUT and drops by default' },
  ],
});

test('ssh-lockout-risk fix for OUTPUT: ESTABLISHED,RELATED accepted at its head, in a script before the command that would cut the session', () => {
  const save = table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -p udp --dport 53 -j ACCEPT');
  const [d] = lintWith(sshLockoutRisk, save);
  const fixed = applyFix(save, d.fixes![0]);
  assert.match(fixed, /:OUTPUT DROP \[0:0\]\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -p udp/);
  assert.deepEqual(lintWith(sshLockoutRisk, fixed), []);
  const script = 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\nsudo iptables -P OUTPUT DROP\niptables -A OUTPUT -p udp --dport 53 -j ACCEPT\n';
  const [s] = lintWith(sshLockoutRisk, script, { dialect: 'script' });
  const out = applyFix(script, s.fixes![0]);
  assert.equal(out, 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\nsudo iptables -I OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nsudo iptables -P OUTPUT DROP\niptables -A OUTPUT -p udp --dport 53 -j ACCEPT\n');
  assert.deepEqual(lintWith(sshLockoutRisk, out, { dialect: 'script' }), []);
});

test('ssh-lockout-risk in a script: the later command that lets the session through again comes with the finding, where there is one', () => {
  const related = (script: string) => lintWith(sshLockoutRisk, script, { dialect: 'script' }).map((d) => [script.slice(d.span.start, d.span.end), d.related?.map((r) => script.slice(r.span.start, r.span.end))]);
  const input = 'iptables -F\niptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n';
  // new connections to 22 pass at the accept of port 22, and the session's packets with it
  assert.deepEqual(related(input), [['iptables -P INPUT DROP', ['iptables -A INPUT -p tcp --dport 22 -j ACCEPT']]]);
  const output = 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -P OUTPUT DROP\niptables -A OUTPUT -p udp --dport 53 -j ACCEPT\niptables -A OUTPUT -m state --state ESTABLISHED -j ACCEPT\n';
  assert.deepEqual(related(output), [['iptables -P OUTPUT DROP', ['iptables -A OUTPUT -m state --state ESTABLISHED -j ACCEPT']]]);
  // a restore that opens again is one step
  const restore = 'iptables -P INPUT DROP\niptables-restore <<EOF\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n';
  assert.deepEqual(related(restore), [['iptables -P INPUT DROP', ['iptables-restore <<EOF']]]);
  assert.deepEqual(related('iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 80 -j ACCEPT\n'), [['iptables -P INPUT DROP', undefined]]);
  // new connections accepted first, the established ones from a later accept of ESTABLISHED
  const newOnly = 'iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\niptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 80 -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';
  assert.deepEqual(related(newOnly), [['iptables -P INPUT DROP', ['iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT']]]);
});

test('ssh-lockout-risk fix where INPUT accepts SSH in state NEW alone: ESTABLISHED,RELATED accepted in INPUT, in a save file and before the command in a script', () => {
  const save = table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT');
  const f = fixFirst(sshLockoutRisk, save);
  assert.equal(f.left, 0);
  assert.match(f.text, /:INPUT DROP \[0:0\]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22/);
  const script = 'iptables -A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\n  iptables -P INPUT DROP\n';
  const s = fixFirst(sshLockoutRisk, script, { dialect: 'script' });
  assert.equal(s.left, 0);
  assert.equal(s.text, 'iptables -A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\n  iptables -I INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n  iptables -P INPUT DROP\n');
});

/** ufw's before.rules (its INPUT part as shipped, `extra` after its loopback accept), with /etc/default/ufw's input policy and user.rules allowing SSH or not. */
function inUfw(extra: string, allowSsh: boolean, inputPolicy: 'DROP' | 'ACCEPT' = 'DROP') {
  const user = `*filter\n:ufw-user-input - [0:0]\n${allowSsh ? '-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n' : ''}COMMIT\n`;
  return {
    code: `*filter\n:ufw-before-input - [0:0]\n-A ufw-before-input -i lo -j ACCEPT\n${extra}-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n`,
    fileName: '/etc/ufw/before.rules',
    options: { settings: { workspaceUfw: { role: 'before' as const, defaults: { file: '/etc/default/ufw', forwardPolicy: 'DROP' as const, inputPolicy }, files: [{ role: 'user' as const, file: '/etc/ufw/user.rules', text: user }] } } },
    name: `ufw's before.rules${extra ? ` with ${extra.trim().replace(/[«»]/g, '')}` : ''}, DEFAULT_INPUT_POLICY ${inputPolicy}, user.rules ${allowSsh ? 'allowing' : 'not allowing'} SSH`,
  };
}

ruleTable(sshLockoutRisk, {
  valid: [
    inUfw('', true),
    // ufw's own setting, which ufw enable warns about: no line of the file is to blame
    inUfw('', false),
    inUfw('-A ufw-before-input -p tcp --dport 2222 -j DROP\n', true),
  ],
  invalid: [inUfw('«-A ufw-before-input -p tcp --dport 22 -j DROP»\n', true), inUfw('«-A ufw-before-input -j DROP»\n', true, 'ACCEPT')],
});
