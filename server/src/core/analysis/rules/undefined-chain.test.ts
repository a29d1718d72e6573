import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../facade.ts';
import { applyFix, fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { undefinedChain } from './undefined-chain.ts';

const openWrt = { dialect: 'script' as const, fileName: '/etc/firewall.user' };

ruleTable(undefinedChain, {
  valid: [
    { ...openWrt, code: 'iptables -I input_rule -p tcp --dport 22 -j ACCEPT\niptables -A forwarding_wan_rule -p tcp -d 192.168.1.10 --dport 22 -j ACCEPT\niptables -t nat -A prerouting_wan_rule -p tcp --dport 2222 -j DNAT --to-destination 192.168.1.10:22\niptables -A forwarding_rule -s 192.168.1.50 -j reject\niptables -A forwarding_lan_rule -j zone_wan_dest_ACCEPT\niptables -t mangle -A mssfix -j RETURN\n', name: 'OpenWrt\'s firewall.user: fw3 made its chains before it runs the file' },
    { code: table('filter', ':logdrop - [0:0]\n-A INPUT -j logdrop\n-A logdrop -j DROP') },
    { code: 'iptables -A DOCKER -j RETURN\niptables -t nat -I KUBE-SERVICES -j RETURN\n', dialect: 'script', name: 'changes to chains another program writes: managed-chain-edited reports them' },
    { code: 'iptables -A INPUT -s 10.0.0.1 -s 10.0.0.2 -j ACCEPT\niptables -t nat -A PREROUTING -p tcp -p udp -j RETURN\n', dialect: 'script', name: 'built-in chains of tables only commands iptables refuses name (-s twice): option-combination reports those' },
    { code: 'if iptables -L ufw-user-input -n >/dev/null 2>&1; then echo running; fi\niptables -L DOCKER-USER 2>/dev/null || exit 0\n', dialect: 'script', name: 'asking whether the program that makes the chain runs' },
    { code: '-N DOCKER-FORWARD\n-A DOCKER-FORWARD -j DOCKER-CT\n', name: 'a listing of one chain (iptables -S CHAIN) jumps to chains it leaves out' },
    { code: '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N logdrop\n-A INPUT -j logdrop\n', name: 'a listing of the filter table declares its chains with -N' },
    { code: 'iptables -F later\niptables -X later\niptables -N later\niptables -A INPUT -j later\n', dialect: 'script', name: 'a chain left from an earlier run emptied and deleted, then created' },
    { code: 'iptables -X\niptables -N a\niptables -A INPUT -j a\niptables -X a\n', dialect: 'script', name: '-X of every chain, then created' },
    { code: 'if [ -n "$A" ]; then\n  iptables -A INPUT -j later\nfi\niptables -N later\n', dialect: 'script', name: 'a use under a condition' },
    { code: 'iptables -A INPUT -j later\nif [ -n "$A" ]; then\n  iptables -N later\nfi\n', dialect: 'script', name: 'created under a condition' },
    { code: 'iptables -N a\nif [ -n "$A" ]; then\n  iptables -X a\nfi\niptables -A a -j DROP\n', dialect: 'script', name: 'deleted under a condition' },
    { code: 'iptables -N a\niptables -X a\niptables -N a\niptables -A a -j DROP\n', dialect: 'script', name: 'deleted, then created again' },
    { code: 'iptables -A INPUT -j later\niptables -N $X\niptables -N later\n', dialect: 'script', name: 'a -N of an expansion between' },
    { code: 'iptables-restore -n <<EOF\n*filter\n-A INPUT -j later\nCOMMIT\nEOF\niptables -N later\n', dialect: 'script', name: 'a restore input is judged on its own (its chain lines), and --noflush keeps chains from before' },
    { code: 'iptables -L later >/dev/null 2>&1\niptables -C later -j DROP 2>/dev/null\niptables -N later\n', dialect: 'script', name: 'queries that test whether the chain exists' },
    { code: 'iptables -F OLD 2>/dev/null\niptables -X OLD >/dev/null 2>&1 || true\niptables -D INPUT -j OLD 2>/dev/null\niptables -t nat -F DOCKER-USER 2>/dev/null || :\niptables -F DOCKER-USER 2>/dev/null || true\n', dialect: 'script', name: 'clean-ups of chains an earlier run may have left, whose failure the script expects' },
    { code: 'iptables -N "$CHAIN"\niptables -A INPUT -j whatever\n', dialect: 'script', name: 'a dynamic -N makes chain existence unknown' },
    { code: table('nat', '-A PREROUTING -j ACCEPT\n-A POSTROUTING -j ACCEPT') },
    { code: table('filter', ':ufw-after-input - [0:0]\n-A ufw-after-input -p udp --dport 137 -j ufw-skip-to-policy-input'), name: 'ufw files refer to chains of the other ufw files' },
    { code: 'iptables -N logdrop\niptables-restore -n <<EOF\n*filter\n-A INPUT -j logdrop\nCOMMIT\nEOF\n', dialect: 'script', name: 'a restore with --noflush keeps the chains the script made' },
    { code: 'iptables-restore <<EOF\n*filter\n:$CHAIN - [0:0]\n-A INPUT -j mine\nCOMMIT\nEOF\n', dialect: 'script', name: 'a restore input declaring a chain through a shell expansion' },
    { code: '*nat\n-A PREROUTING -j ACCEPT\nCOMMIT\n*filter\n:x - [0:0]\n-A INPUT -j x\nCOMMIT\n', name: 'chain lines after the rules of another table block' },
    { code: '*filter\n-A INPUT -j ACCEPT\n:INPUT DROP [0:0]\nCOMMIT\n', name: 'a built-in chain\'s line after its rules' },
    { code: '*filter\n:a - [0:0]\n-A a -j DROP\nCOMMIT\n*filter\n:a - [0:0]\n-A INPUT -j a\n-A a -j ACCEPT\nCOMMIT\n', name: 'a second block of the table declaring the chain again' },
    { code: 'iptables-restore -n <<EOF\n*filter\n:a - [0:0]\nCOMMIT\n*filter\n-A INPUT -j a\nCOMMIT\nEOF\n', dialect: 'script', name: 'with --noflush the blocks of a table add up' },
    { code: 'iptables -F\niptables -X\niptables -L LOGDROP >/dev/null 2>&1 || iptables -N LOGDROP\niptables -A LOGDROP -j DROP\n', dialect: 'script', name: 'a listing that tests for the chain' },
    {
      code: 'iptables -S BLOCK >/dev/null 2>&1 && iptables -F BLOCK\niptables -n -L B3 >/dev/null 2>&1 && { iptables -F B3; iptables -X B3; }\nif iptables -L B4 -n >/dev/null 2>&1; then\n  iptables -F B4\n  iptables -A INPUT -j B4\nfi\nwhile iptables -C INPUT -j OLD 2>/dev/null; do iptables -D INPUT -j OLD; done\n',
      dialect: 'script',
      name: 'commands that run only after a command that needed the chain succeeded',
    },
  ],
  invalid: [
    { dialect: 'script', code: 'iptables -I «input_rule» -p tcp --dport 22 -j ACCEPT\n', name: 'fw3\'s chain in a script fw3 does not run' },
    { ...openWrt, code: 'iptables -A «my_rules» -j ACCEPT\niptables -t nat -A «input_rule» -j ACCEPT\n', name: 'firewall.user: a chain fw3 does not make, and fw3\'s filter chain named in nat' },
    { code: 'for ipt in iptables ip6tables; do\n  $ipt -F\n  $ipt -X\ndone\nip6tables -A INPUT -j «svc»\n', dialect: 'script', severity: 'error', name: 'a loop over both tools starts both families from empty tables' },
    { code: '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A INPUT -j «logdrop»\n', name: 'a listing of the whole filter table (iptables -S)' },
    { code: 'iptables -A INPUT -j «later»\niptables -A «later» -j DROP\niptables -N later\n', dialect: 'script', name: 'used before the script creates it' },
    { code: 'setup() {\n  iptables -A FORWARD -j «fw»\n}\nsetup\niptables -N fw\n', dialect: 'script', name: 'in a function called before the -N' },
    { code: 'iptables -N a\niptables -X a\niptables -A «a» -j DROP\niptables -I INPUT -j «a»\n', dialect: 'script', name: 'used after -X deleted it' },
    // measured (iptables 1.8.9): after -F and -X nothing is left from an earlier run, so the -A and the -X fail, and the -N works
    { code: 'iptables -F\niptables -X\niptables -A «LOGDROP» -j DROP\niptables -X «LOGDROP»\niptables -N LOGDROP\n', dialect: 'script', name: 'after every chain was deleted: named, deleted, then created' },
    { code: 'iptables -F\niptables -X\niptables -N SSH\niptables -E SSH SSH_IN\niptables -L «SSH»\niptables -A «SSH» -j ACCEPT\n', dialect: 'script', name: 'named after -E renamed it' },
    { code: 'iptables -F\niptables -X\niptables -E «SSH» SSH_IN\niptables -A «SSH_IN» -j RETURN\niptables -X «SSH_IN»\niptables -A INPUT -j «SSH_IN»\n', dialect: 'script', name: 'named after a rename that failed' },
    { code: 'iptables -F\niptables -X\niptables -E «SSH» SSH_IN\niptables -A «SSH_IN» -j RETURN\niptables -N SSH_IN\niptables -A SSH_IN -j RETURN\n', dialect: 'script', name: 'named after a rename that failed, until its -N' },
    { code: 'iptables -E «INPUT» FIRST\niptables -t nat -X «PREROUTING»\niptables -N mine\niptables -E mine yours\niptables -X yours\n', dialect: 'script', name: '-E and -X of a built-in chain' },
    { code: table('filter', '-A INPUT -j «logdrop»') },
    { code: table('filter', '-A «logdrop» -j DROP'), name: 'rules added to an undeclared chain' },
    { code: table('filter', '-A INPUT -g «elsewhere»'), name: 'goto' },
    { code: 'iptables -t nat -A «FORWARD» -j ACCEPT\n', dialect: 'script', name: 'a built-in chain the table lacks' },
    { code: 'iptables -X\niptables -A INPUT -j «logdrop»\n', dialect: 'script', severity: 'error', name: 'a script that deletes all chains first' },
    { code: 'iptables -A «host-in» -j «blocklist»\n', dialect: 'script', severity: 'warning', name: 'a script adding to chains that may exist on the host' },
    { code: 'iptables -A «DOCKER-USER» -j DROP\niptables -I FORWARD -j «DOCKER-USER»\niptables -L «KUBE-SERVICES» -t nat\n', dialect: 'script', severity: 'info', name: 'chains another program makes: the script counts on it having run' },
    { code: 'iptables -F «OLD»\niptables -A «KEPT» -j DROP 2>/dev/null\niptables -I INPUT -j «KEPT» || true\niptables -t nat -F «FORWARD» 2>/dev/null\niptables -X «GONE» || exit 1\n', dialect: 'script', name: 'a clean-up whose failure stops the script, rules added where a failure is hidden, a built-in chain the table lacks' },
    {
      code: 'if ! iptables -S B4 >/dev/null 2>&1; then\n  iptables -F «B4»\nfi\niptables -S B5 >/dev/null 2>&1 || iptables -F «B5»\nuntil iptables -L B6 >/dev/null 2>&1; do iptables -F «B6»; done\niptables -t nat -S B7 >/dev/null && iptables -F «B7»\nip6tables -S B8 >/dev/null && iptables -F «B8»\n',
      dialect: 'script',
      severity: 'warning',
      name: 'commands that run when the test for the chain failed, or after a test in another table or family',
    },
    { code: 'iptables -N a\niptables -P «a» DROP\n', dialect: 'script', name: 'policy on a user chain' },
    { code: 'iptables -N a\niptables -A INPUT -j a\niptables -t nat -A PREROUTING -j «a»\n', dialect: 'script', name: 'chains belong to one table' },
    { code: 'iptables -A INPUT -j «INT2DMZ»\n', dialect: 'script', severity: 'warning', name: 'capitalised chain names in scripts' },
    { code: 'ip6tables -X\niptables -N base\nip6tables -A «base» -j ACCEPT\n', dialect: 'script', severity: 'error', name: 'a chain created with iptables and used with ip6tables' },
    { code: '. /usr/share/fw/environment\nip6tables -X\niptables -N base\nip6tables -A «base» -j ACCEPT\n', dialect: 'script', severity: 'warning', name: 'a script that sources a file: a function there may wrap the tool' },
    { code: 'source ./chains.sh\niptables -F\niptables -X\niptables -A INPUT -j «blocklist»\n', dialect: 'script', severity: 'warning', name: 'a script that sources a file: the chain may be made there' },
    { code: 'iptables -N logdrop\niptables-restore <<EOF\n*filter\n-A INPUT -j «logdrop»\nCOMMIT\nEOF\n', dialect: 'script', severity: 'error', name: 'a restore without --noflush deletes the chains the script made before' },
    { code: 'iptables-restore <<EOF\n*filter\n-A INPUT -g «nowhere»\n-A «other» -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', severity: 'error', name: 'a restore input naming chains it does not declare' },
    { code: '*filter\n:INPUT DROP [0:0]\n-A INPUT -j «logdrop»\n-A «logdrop» -j LOG\n:logdrop - [0:0]\n-A logdrop -j DROP\nCOMMIT\n', severity: 'error', name: 'rules naming a chain whose line comes further down' },
    { code: 'iptables-restore <<EOF\n*filter\n-A INPUT -g «late»\n:late - [0:0]\nCOMMIT\nEOF\n', dialect: 'script', severity: 'error', name: 'the same in a restore here-document' },
    { code: '*filter\n:a - [0:0]\n-A INPUT -j a\nCOMMIT\n*nat\nCOMMIT\n*filter\n-A INPUT -j «a»\n-I «a» -j DROP\n-A FORWARD -g «a»\nCOMMIT\n', severity: 'error', name: 'a second block of the table naming a chain only the first declares: the table is emptied again, its user chains deleted' },
    { code: '*filter\n:a - [0:0]\nCOMMIT\n*filter\n-A INPUT -j «a»\n:a - [0:0]\n-A a -j DROP\nCOMMIT\n', severity: 'error', name: 'a second block declaring the chain further down' },
    { code: 'iptables-restore <<EOF\n*filter\n:a - [0:0]\nCOMMIT\n*filter\n-A INPUT -j «a»\nCOMMIT\nEOF\n', dialect: 'script', severity: 'error', name: 'the same in a restore here-document' },
  ],
});

test('undefined-chain: a script that restores an input the model does not read first points at it, for the family it restores', () => {
  const text = 'iptables-restore < /etc/iptables/rules.v4\niptables -A INPUT -j MYCHAIN\niptables -A MINE -j ACCEPT\nip6tables -A INPUT -j MYCHAIN\n';
  const found = lintWith(undefinedChain, text, { dialect: 'script' });
  assert.deepEqual(
    found.map((d) => [text.slice(d.span.start, d.span.end), d.severity, d.related?.map((r) => text.slice(r.span.start, r.span.end))]),
    [
      ['MYCHAIN', 'warning', ['iptables-restore < /etc/iptables/rules.v4']],
      ['MINE', 'warning', ['iptables-restore < /etc/iptables/rules.v4']],
      ['MYCHAIN', 'warning', undefined],
    ],
  );
  // after the command, the restore is no excuse
  const later = 'iptables -A INPUT -j MYCHAIN\niptables-restore < /etc/iptables/rules.v4\n';
  assert.equal(lintWith(undefinedChain, later, { dialect: 'script' })[0].related, undefined);
});

test('undefined-chain: the quick fix creates the chain with the tool of the command (ip6tables for IPv6)', () => {
  const text = 'ip6tables -X\niptables -N base\n  ip6tables -A base -j ACCEPT\n';
  const [d] = lintWith(undefinedChain, text, { dialect: 'script' });
  assert.equal(text.slice(d.span.start, d.span.end), 'base');
  const edit = d.fixes?.[0]?.edits[0];
  assert.deepEqual(edit && { at: edit.span.start, text: edit.text }, { at: text.indexOf('  ip6tables -A'), text: '  ip6tables -N base\n' });
  assert.match(d.message, /ip6tables/);
});

test('undefined-chain: in a restore here-document the quick fix declares the chain in its table block', () => {
  const text = 'iptables -N logdrop\niptables-restore <<EOF\n*nat\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -j logdrop\nCOMMIT\nEOF\n';
  const found = lintWith(undefinedChain, text, { dialect: 'script' });
  assert.equal(found.length, 1);
  const [d] = found;
  assert.equal(d.severity, 'error');
  assert.equal(text.slice(d.span.start, d.span.end), 'logdrop');
  const edit = d.fixes?.[0]?.edits[0];
  assert.deepEqual(edit && { at: edit.span.start, text: edit.text }, { at: text.indexOf(':INPUT'), text: ':logdrop - [0:0]\n' });
});

test('undefined-chain: a chain line further down is moved up below its *table line', () => {
  const text = '*filter\n:INPUT DROP [0:0]\n-A INPUT -j logdrop\n:logdrop - [0:0]\n-A logdrop -j DROP\nCOMMIT\n';
  const [d] = lintWith(undefinedChain, text);
  assert.equal(text.slice(d.span.start, d.span.end), 'logdrop');
  const fixed = applyFix(text, d.fixes![0]);
  assert.equal(fixed, '*filter\n:logdrop - [0:0]\n:INPUT DROP [0:0]\n-A INPUT -j logdrop\n-A logdrop -j DROP\nCOMMIT\n');
  assert.deepEqual(lintWith(undefinedChain, fixed), []);
});

test('undefined-chain fix: the -N moved above the first command that needs the chain', () => {
  const text = 'iptables -A INPUT -j later\nif true; then\n  iptables -A later -j DROP\nfi\niptables -N later\n';
  const [d] = lintWith(undefinedChain, text, { dialect: 'script' });
  const out = applyFix(text, d.fixes![0]);
  assert.equal(out, 'iptables -N later\niptables -A INPUT -j later\nif true; then\n  iptables -A later -j DROP\nfi\n');
  assert.deepEqual(lintWith(undefinedChain, out, { dialect: 'script' }), []);
});

test('undefined-chain: a second block of the table naming a chain of the first: the fix declares it in that block', () => {
  const text = '*filter\n:a - [0:0]\n-A a -j DROP\nCOMMIT\n*filter\n-A INPUT -j a\nCOMMIT\n';
  const { text: fixed, left, finding } = fixFirst(undefinedChain, text);
  assert.equal(finding.span.start, text.lastIndexOf('a\n'));
  assert.deepEqual(finding.related?.map((r) => r.span.start), [text.lastIndexOf('filter'), text.indexOf(':a') + 1]);
  assert.equal(fixed, '*filter\n:a - [0:0]\n-A a -j DROP\nCOMMIT\n*filter\n:a - [0:0]\n-A INPUT -j a\nCOMMIT\n');
  assert.equal(left, 0);
});

test('undefined-chain: ufw\'s files are loaded with --noflush, where a later block keeps the chains of an earlier one', () => {
  const text = '*filter\n:ufw-before-input - [0:0]\nCOMMIT\n*filter\n-A INPUT -j ufw-before-input\nCOMMIT\n';
  const doc = new FirewallDocument(text, { fileName: 'before.rules' });
  assert.deepEqual(doc.diagnostics().filter((d) => d.code === 'undefined-chain'), []);
  assert.equal(new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'undefined-chain').length, 1);
});

test('undefined-chain: the fix of every finding of a chain creates it before the first command naming it', () => {
  const text = 'iptables -w -I LIBVIRT_INP -i virbr0 -j ACCEPT\niptables -w -I LIBVIRT_OUT -o virbr0 -j ACCEPT\niptables -w -I LIBVIRT_INP -i virbr1 -j ACCEPT\n';
  const found = lintWith(undefinedChain, text, { dialect: 'script' });
  const inp = found.filter((d) => text.slice(d.span.start, d.span.end) === 'LIBVIRT_INP');
  assert.equal(inp.length, 2);
  for (const d of inp) {
    const fixed = applyFix(text, d.fixes![0]);
    assert.equal(fixed, `iptables -N LIBVIRT_INP\n${text}`);
    assert.deepEqual(lintWith(undefinedChain, fixed, { dialect: 'script' }).map((x) => fixed.slice(x.span.start, x.span.end)), ['LIBVIRT_OUT']);
  }
});

test('undefined-chain: a built-in chain written in another case (`-A input`) is named, and the fix writes it as the table has it', () => {
  for (const [text, dialect, fixed] of [
    ['iptables -A input -p udp --dport 123 -j ACCEPT\niptables -t nat -A Postrouting -o eth0 -j MASQUERADE\n', 'script', 'iptables -A INPUT -p udp --dport 123 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n'],
    ['*filter\n:INPUT DROP [0:0]\n-A forward -j ACCEPT\nCOMMIT\n', 'save', '*filter\n:INPUT DROP [0:0]\n-A FORWARD -j ACCEPT\nCOMMIT\n'],
  ] as const) {
    const found = lintWith(undefinedChain, text, { dialect });
    assert.deepEqual(found.map((d) => [d.severity, text.slice(d.span.start, d.span.end)]), dialect === 'script' ? [['error', 'input'], ['error', 'Postrouting']] : [['error', 'forward']]);
    let out: string = text;
    for (const d of [...found].reverse()) out = applyFix(out, d.fixes![0]);
    assert.equal(out, fixed);
    assert.deepEqual(lintWith(undefinedChain, out, { dialect }), []);
  }
  // a user chain of that name declared: no finding
  assert.deepEqual(lintWith(undefinedChain, 'iptables -N input\niptables -A input -j ACCEPT\n', { dialect: 'script' }), []);
});
