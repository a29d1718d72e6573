import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { scriptRuleSet } from '../../../server/src/core/model/scriptDocument.ts';

const chainOf = (doc: FirewallDocument, table: string, name: string) => doc.ruleSet.tables.get(`ipv4:${table}`)?.chains.get(name);
const targets = (doc: FirewallDocument, table: string, name: string) => chainOf(doc, table, name)?.rules.map((r) => `${r.source?.value ?? ''}${r.protocol?.value ?? ''}${r.destination?.value ?? ''}>${r.target?.name}`);

/**
 * An init script: start and stop are functions, called from a case at the end. Read in the
 * order written, stop's flush, chain deletion and ACCEPT policies would undo start; each body
 * runs where it is called, so stop acts on what it adds itself.
 */
test('scripts: a function body is a condition of its own; its flushes, deletions and policies leave the other functions alone', () => {
  const doc = new FirewallDocument(
    [
      '#!/bin/sh',
      'start() {',
      '  iptables -P INPUT DROP',
      '  iptables -N logdrop',
      '  iptables -A logdrop -j DROP',
      '  iptables -A INPUT -s 10.0.0.0/8 -j ACCEPT',
      '  iptables -A INPUT -j logdrop',
      '  iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080',
      '}',
      'function stop {',
      '  iptables -P INPUT ACCEPT',
      '  iptables -F',
      '  iptables -X',
      '  iptables -t nat -F',
      '}',
      'function restart() { stop; start; }',
      'case "$1" in',
      '  start) start ;;',
      '  stop) stop ;;',
      'esac',
      '',
    ].join('\n'),
    { dialect: 'script' },
  );
  assert.equal(chainOf(doc, 'filter', 'INPUT')?.policy, 'DROP');
  assert.deepEqual(targets(doc, 'filter', 'INPUT'), ['10.0.0.0/8>ACCEPT', '>logdrop']);
  assert.deepEqual(targets(doc, 'filter', 'logdrop'), ['>DROP']);
  assert.deepEqual(targets(doc, 'nat', 'PREROUTING'), ['tcp>DNAT']);
});

test('scripts: a flush, delete or policy at the top acts on everything before it; under a condition, on what that condition added', () => {
  const doc = new FirewallDocument(
    [
      'iptables -A INPUT -s 10.0.0.1 -j ACCEPT',
      'if [ -n "$RESET" ]; then',
      '  iptables -A INPUT -s 10.0.0.2 -j ACCEPT',
      '  iptables -F INPUT',
      '  iptables -A INPUT -s 10.0.0.3 -j ACCEPT',
      '  iptables -P FORWARD ACCEPT',
      'fi',
      'iptables -A FORWARD -s 10.0.0.4 -j ACCEPT',
      '[ -n "$CLEAN" ] && iptables -D FORWARD -s 10.0.0.4 -j ACCEPT',
      'iptables -P OUTPUT DROP',
      'iptables -A OUTPUT -s 10.0.0.5 -j ACCEPT',
      'iptables -F OUTPUT',
      'iptables -P OUTPUT ACCEPT',
      '',
    ].join('\n'),
    { dialect: 'script' },
  );
  assert.deepEqual(targets(doc, 'filter', 'INPUT'), ['10.0.0.1>ACCEPT', '10.0.0.3>ACCEPT']);
  assert.deepEqual(targets(doc, 'filter', 'FORWARD'), ['10.0.0.4>ACCEPT']);
  assert.equal(chainOf(doc, 'filter', 'FORWARD')?.policy, 'ACCEPT');
  assert.deepEqual(targets(doc, 'filter', 'OUTPUT'), []);
  assert.equal(chainOf(doc, 'filter', 'OUTPUT')?.policy, 'ACCEPT');
});

test('scripts: policies set under unrelated conditions keep the one that drops', () => {
  const doc = new FirewallDocument('open() {\n  iptables -P INPUT ACCEPT\n}\nclose() {\n  iptables -P INPUT DROP\n}\n', { dialect: 'script' });
  assert.equal(chainOf(doc, 'filter', 'INPUT')?.policy, 'DROP');
});

test('scripts: a function defined at the top and called once there runs at its call, its body at the top level', () => {
  const script = (calls: string) =>
    new FirewallDocument(
      ['#!/bin/sh', 'rules() {', '  iptables -A INPUT -s 10.0.0.1 -j ACCEPT', '  if [ -n "$WEB" ]; then iptables -A INPUT -p tcp -j ACCEPT; fi', '}', 'iptables -F', 'iptables -P INPUT DROP', calls, ''].join('\n'),
      { dialect: 'script' },
    );
  const once = script('rules');
  // the flush written between the definition and the call does not undo the body
  assert.deepEqual(targets(once, 'filter', 'INPUT'), ['10.0.0.1>ACCEPT', 'tcp>ACCEPT']);
  const [plain, conditional] = chainOf(once, 'filter', 'INPUT')!.rules;
  assert.equal(plain.guard, 0, 'the body runs unconditionally');
  assert.notEqual(conditional.guard, 0, 'what is under a condition in it stays so');
  assert.ok(once.ruleSet.guards![conditional.guard] === 0, 'inside the top level');
  // called twice: the body stays where it is written (the flush below it empties the chain)
  assert.deepEqual(targets(script('rules\nrules'), 'filter', 'INPUT'), []);
  // called once in a branch of the top level (a `case` arm, an `if`): at the call, under the branch's condition
  for (const branch of ['case "$1" in start) rules;; esac', 'case "$1" in\n  start|restart)\n    rules\n    ;;\n  *) echo "usage: $0 start|restart" ;;\nesac', 'if [ "$1" = start ]; then rules; fi', '[ "$1" = start ] && rules']) {
    const doc = script(branch);
    assert.deepEqual(targets(doc, 'filter', 'INPUT'), ['10.0.0.1>ACCEPT', 'tcp>ACCEPT'], branch);
    const [first, second] = chainOf(doc, 'filter', 'INPUT')!.rules;
    assert.ok(first.guard !== 0 && doc.ruleSet.guards![first.guard] === 0, `${branch}: under the branch`);
    assert.equal(doc.ruleSet.guards![second.guard], first.guard, `${branch}: the body's if inside the branch`);
  }
  // one that reads its arguments, bound at the call: under the arm too
  const open = new FirewallDocument(['#!/bin/sh', 'open() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }', 'case "$1" in', '  start) open 22 ;;', 'esac', ''].join('\n'), { dialect: 'script' });
  const [opened] = chainOf(open, 'filter', 'INPUT')!.rules;
  assert.equal(opened.options.find((o) => o.name === '--destination-port')?.values[0].value, '22');
  assert.ok(opened.guard !== 0 && open.ruleSet.guards![opened.guard] === 0, 'the instance is under the arm');
  // in a loop, or called in two arms: where it is written
  for (const loop of ['for i in 1 2; do case $i in 1) rules ;; esac; done', 'while read -r line; do [ "$line" = go ] && rules; done < list', 'until [ -e /run/up ]; do\n  [ -n "$X" ] && rules\n  sleep 1\ndone']) {
    assert.deepEqual(targets(script(loop), 'filter', 'INPUT'), [], loop);
  }
  assert.deepEqual(targets(script('case "$1" in start) rules ;; restart) rules ;; esac'), 'filter', 'INPUT'), []);
  // commands stay in the order written
  const starts = once.ruleSet.commands.map((c) => c.span.start);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
});

test('scripts: a function named in a comment still runs at its call; named in another command, it stays where written', () => {
  const ports = (lines: string[]) => {
    const doc = new FirewallDocument(['#!/bin/sh', '# open_web() opens the web ports: open_web is called below', 'open_web() {', '  iptables -A INPUT -p tcp --dport 80 -j ACCEPT', '}', 'iptables -F', ...lines, ''].join('\n'), { dialect: 'script' });
    return chainOf(doc, 'filter', 'INPUT')?.rules.length ?? 0;
  };
  // run at its call, after the flush
  assert.equal(ports(['open_web   # after the flush, open_web adds its rule']), 1);
  // a trap may run it any time: where written, before the flush that empties INPUT
  assert.equal(ports(['trap open_web HUP', 'open_web']), 0);
});

test('scripts: the steps are the commands in the order they run, a function body at each of its calls', () => {
  const text = [
    '#!/bin/sh',
    'allow() {',
    '  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT',
    '}',
    'rules() {',
    '  iptables -A INPUT -i lo -j ACCEPT',
    '}',
    'iptables -F',
    'allow 22',
    'rules',
    'allow 80',
    'iptables -A INPUT -n -j DROP', // refused: -A takes no -n, and a refused command is no step
    'iptables -N X -j ACCEPT', // refused: -N takes no -j
    'iptables -P INPUT DROP',
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const rs = doc.ruleSet;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  // allow's command bound at each call, spanning the call; rules' body at its call
  assert.deepEqual(rs.steps!.map((s) => lineOf(s.span.start)), [8, 9, 6, 11, 14]);
  assert.deepEqual(targets(doc, 'filter', 'INPUT'), ['tcp>ACCEPT', '>ACCEPT', 'tcp>ACCEPT']);
  const ports = chainOf(doc, 'filter', 'INPUT')!.rules.map((r) => r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? null);
  assert.deepEqual(ports, ['22', null, '80']);
  // the command as written stays one command, with its $1
  assert.equal(rs.commands.filter((c) => lineOf(c.span.start) === 3).length, 1);
  assert.deepEqual(rs.instances!.map((c) => lineOf(c.span.start)), [9, 11]);
  assert.deepEqual(chainOf(doc, 'filter', 'X'), undefined);
});

test('scripts: a function called several times is bound at each call only when its body is plain', () => {
  const rules = (body: string[], calls: string[]) => {
    const doc = new FirewallDocument(['#!/bin/sh', 'PORT=8080', 'open() {', ...body, '}', 'iptables -F', ...calls, ''].join('\n'), { dialect: 'script' });
    return chainOf(doc, 'filter', 'INPUT')!.rules.map((r) => `${r.options.find((o) => o.name === '--destination-port')?.values[0].value}${r.dynamic ? '?' : ''}`);
  };
  // `$1`, `${2}`, known variables in the call; an argument the shell expands stays unknown
  assert.deepEqual(rules(['  iptables -A INPUT -p $2 --dport "${1}" -j ACCEPT'], ['open 22 tcp', 'open $PORT udp', 'open "$(cat port)" tcp']), ['22', '8080', '${1}?']);
  // the body runs at the call: a variable set after the definition, before the call, is known there
  const late = new FirewallDocument(['open() {', '  iptables -A INPUT -i $IF -p tcp --dport $1 -j ACCEPT', '}', 'IF=eth0', 'open 22', 'open 80', ''].join('\n'), { dialect: 'script' });
  assert.deepEqual(chainOf(late, 'filter', 'INPUT')!.rules.map((r) => `${r.inInterface?.value}:${r.dynamic}`), ['eth0:false', 'eth0:false']);
  // a shift at the top of the body moves the arguments (see the test of shift below); a
  // condition may skip the command: the body stays where it is written (before the flush)
  assert.deepEqual(rules(['  shift', '  iptables -A INPUT -p tcp --dport $1 -j ACCEPT'], ['open x 22', 'open x 80']), ['22', '80']);
  assert.deepEqual(rules(['  [ -n "$1" ] && iptables -A INPUT -p tcp --dport $1 -j ACCEPT'], ['open 22', 'open 80']), []);
});

test('scripts: a chain named before its -N is told apart after the script deleted every chain (nothing is left from an earlier run)', () => {
  const refusal = (text: string) => scriptRuleSet(text).refusals?.find((r) => r.reason === 'created-later');
  const cleared = refusal('iptables -F\niptables -X\niptables -A INPUT -j LATE\niptables -N LATE\n');
  assert.equal(cleared?.chain, 'LATE');
  assert.equal(cleared?.afterClear, true);
  const kept = refusal('iptables -A INPUT -j LATE\niptables -N LATE\n');
  assert.equal(kept?.chain, 'LATE');
  assert.equal(kept?.afterClear, undefined, 'the chain may be left from an earlier run: then the -N fails');
});

test('scripts: a command run only after one that needed the chain succeeded finds it', () => {
  const rs = scriptRuleSet('iptables -S X >/dev/null 2>&1 && iptables -F X\nif iptables -t nat -L Y -n; then iptables -t nat -A PREROUTING -j Y; fi\niptables -S Z || iptables -F Z\n');
  assert.deepEqual(rs.commands.find((c) => c.kind === 'flush' && c.chain === 'X')?.chainsFound, ['X']);
  assert.deepEqual(rs.commands.find((c) => c.kind === 'append' && c.table === 'nat')?.chainsFound, ['Y']);
  assert.equal(rs.commands.find((c) => c.kind === 'flush' && c.chain === 'Z')?.chainsFound, undefined);
  assert.equal(rs.commands.find((c) => c.kind === 'list-rules' && c.chain === 'X')?.failureHandled, true, 'a listing && follows is a test');
});

test('scripts: a function passing "$@" to iptables is bound at each call with the call\'s arguments; -C || -A adds a rule once', () => {
  const text = [
    '#!/bin/sh',
    'add() { iptables -C "$@" 2>/dev/null || iptables -A "$@"; }',
    'ins() { iptables -C $* || iptables -I $*; }',
    'add INPUT -i lo -j ACCEPT',
    'add INPUT -p tcp --dport 22 -j ACCEPT',
    'add INPUT -p tcp --dport 22 -j ACCEPT', // the check finds the rule: no second one
    'ins INPUT -s 10.0.0.1 -j DROP',
    'ins INPUT -s 10.0.0.2 -j DROP',
    'iptables -C FORWARD -o eth0 -j ACCEPT || iptables -A FORWARD -o eth0 -j ACCEPT',
    'iptables -C FORWARD -o eth0 -j ACCEPT || iptables -A FORWARD -o eth0 -j ACCEPT',
    'iptables -C FORWARD -o eth1 -j ACCEPT || iptables -A FORWARD -o eth0 -j ACCEPT', // another rule checked: added
    'iptables -A FORWARD -o eth0 -j ACCEPT', // no check: added again
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  assert.deepEqual(targets(doc, 'filter', 'INPUT'), ['10.0.0.2>DROP', '10.0.0.1>DROP', '>ACCEPT', 'tcp>ACCEPT']);
  // each rule spans its call
  assert.deepEqual(chainOf(doc, 'filter', 'INPUT')!.rules.map((r) => lineOf(r.span.start)), [8, 7, 4, 5]);
  assert.deepEqual(chainOf(doc, 'filter', 'FORWARD')!.rules.map((r) => `${r.outInterface?.value}:${lineOf(r.span.start)}`), ['eth0:9', 'eth0:11', 'eth0:12']);
  // a finding on an argument points into the call
  const badText = 'add() { iptables -C "$@" || iptables -A "$@"; }\nadd INPUT -s 10.0.0.0/33 -j ACCEPT\nadd INPUT -j ACCEPT\n';
  const found = new FirewallDocument(badText, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'invalid-value');
  const at = badText.indexOf('10.0.0.0/33');
  assert.deepEqual(found.map((d) => [d.span.start, d.span.end]), [[at, at + 11]]);
});

test('scripts: a plain loop over known words is run word by word, its commands bound with the loop\'s variable read as each word', () => {
  const text = [
    '#!/bin/sh',
    'PORTS="22 80"',
    'for p in $PORTS 443; do',
    '  iptables -A INPUT -p tcp --dport $p -j LOG',
    '  iptables -A INPUT -p tcp --dport "${p}" -j ACCEPT',
    'done',
    'for h in 10.0.0.1 10.0.0.2; do iptables -C INPUT -s $h -j DROP || iptables -I INPUT -s $h -j DROP; done',
    'iptables -A INPUT -j DROP',
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const rs = doc.ruleSet;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const rules = chainOf(doc, 'filter', 'INPUT')!.rules;
  // in the order the loops run them: each word, the body's commands in turn; -I puts each first
  assert.deepEqual(
    rules.map((r) => `${r.source?.value ?? ''}${r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? ''}>${r.target?.name}:${lineOf(r.span.start)}`),
    ['10.0.0.2>DROP:7', '10.0.0.1>DROP:7', '22>LOG:4', '22>ACCEPT:5', '80>LOG:4', '80>ACCEPT:5', '443>LOG:4', '443>ACCEPT:5', '>DROP:8'],
  );
  assert.ok(rules.every((r) => !r.dynamic));
  // the commands as written stay one each; each instance knows its word
  assert.equal(rs.commands.filter((c) => lineOf(c.span.start) === 4).length, 1);
  assert.deepEqual(rs.instances!.filter((c) => lineOf(c.span.start) === 4).map((c) => c.loopValues?.[0].value.text), ['22', '80', '443']);
  // a word the loop's variable stands for alone is the value, where the for line writes it
  const literal = rs.instances!.find((c) => c.loopValues?.[0].value.text === '443' && lineOf(c.span.start) === 4)!;
  const port = literal.rule!.options.find((o) => o.name === '--destination-port')!.values[0];
  assert.equal(text.slice(port.span.start, port.span.end), '443');
});

test('scripts: loops nested in a plain loop run for each word of each, in the order the shell runs them', () => {
  const text = [
    '#!/bin/sh',
    'TRUSTED="10.0.0.5 10.0.0.6"',
    'for ip in $TRUSTED; do',
    '  for port in 22 80; do',
    '    iptables -A INPUT -s $ip -p tcp --dport $port -j ACCEPT',
    '  done',
    '  iptables -A INPUT -s "$ip" -j LOG',
    'done',
    'iptables -A INPUT -s 10.0.0.5 -p tcp --dport 22 -j ACCEPT',
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const rules = chainOf(doc, 'filter', 'INPUT')!.rules;
  assert.deepEqual(
    rules.map((r) => `${r.source?.value}:${r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? r.target?.name}:${lineOf(r.span.start)}`),
    ['10.0.0.5:22:5', '10.0.0.5:80:5', '10.0.0.5:LOG:7', '10.0.0.6:22:5', '10.0.0.6:80:5', '10.0.0.6:LOG:7', '10.0.0.5:22:9'],
  );
  assert.ok(rules.every((r) => !r.dynamic));
  // each instance knows the word of each loop, outermost first
  assert.deepEqual(
    doc.ruleSet.instances!.filter((c) => lineOf(c.span.start) === 5).map((c) => c.loopValues!.map((b) => `${b.name}=${b.value.text}`).join(' ')),
    ['ip=10.0.0.5 port=22', 'ip=10.0.0.5 port=80', 'ip=10.0.0.6 port=22', 'ip=10.0.0.6 port=80'],
  );
  // the rule written after them does what the first pass did already
  const redundant = doc.diagnostics().filter((d) => d.code === 'redundant-rule');
  assert.deepEqual(redundant.map((d) => lineOf(d.span.start)), [9]);
  // a finding on a word of the inner loop points at it, related to the command with both words
  const bad = 'for ip in 10.0.0.5 10.0.0.6; do\n  for port in 22 70000; do\n    iptables -A INPUT -s $ip -p tcp --dport $port -j ACCEPT\n  done\ndone\n';
  const found = new FirewallDocument(bad, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'invalid-value');
  const at = bad.indexOf('70000');
  assert.deepEqual(found.map((d) => [d.span.start, d.span.end]), [[at, at + 5]]);
  assert.deepEqual(found[0].related?.map((r) => r.span.start), [bad.indexOf('iptables')]);
});

test('scripts: a loop in a function called once runs at the call, in the order of the body', () => {
  const text = [
    '#!/bin/sh',
    'TCP_PORTS="22 80"',
    'build_tcp() {',
    '  iptables -N tcp_in',
    '  for port in $TCP_PORTS; do',
    '    iptables -A tcp_in -p tcp --dport $port -j ACCEPT',
    '  done',
    '  iptables -A tcp_in -p tcp -j DROP',
    '}',
    'iptables -F',
    'iptables -X',
    'build_tcp',
    'iptables -A tcp_in -p tcp --dport 80 -j ACCEPT',
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  // the flush and delete before the call do not undo what the body does at it
  assert.deepEqual(
    chainOf(doc, 'filter', 'tcp_in')!.rules.map((r) => `${r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? r.target?.name}:${lineOf(r.span.start)}`),
    ['22:6', '80:6', 'DROP:8', '80:13'],
  );
  assert.deepEqual(doc.diagnostics().filter((d) => d.code === 'redundant-rule' || d.code === 'unreachable-rule').map((d) => [d.code, lineOf(d.span.start)]), [['redundant-rule', 13]]);
  // called twice, its loop runs at each call: the second -N fails, and the rules are there twice
  const twiceText = text.replace('build_tcp\n', 'build_tcp\nbuild_tcp\n');
  const twice = new FirewallDocument(twiceText, { dialect: 'script' });
  const twiceLine = (offset: number) => twiceText.slice(0, offset).split('\n').length;
  assert.deepEqual(
    chainOf(twice, 'filter', 'tcp_in')!.rules.map((r) => `${r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? r.target?.name}:${twiceLine(r.span.start)}`),
    ['22:12', '80:12', 'DROP:12', '22:13', '80:13', 'DROP:13', '80:14'],
  );
  assert.deepEqual(twice.diagnostics().filter((d) => d.code === 'duplicate-chain').map((d) => twiceLine(d.span.start)), [4]);
});

test('scripts: a function called in a loop\'s body runs at each pass, its arguments read with the loop\'s word', () => {
  const text = [
    '#!/bin/sh',
    'allow() {',
    '  iptables -A INPUT -p "$1" --dport "$2" -j ACCEPT',
    '}',
    'for p in 22 80; do',
    '  allow tcp $p',
    'done',
    'allow udp 53',
    'iptables -A INPUT -p tcp --dport 80 -j ACCEPT',
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  assert.deepEqual(
    chainOf(doc, 'filter', 'INPUT')!.rules.map((r) => `${r.protocol?.value}/${r.options.find((o) => o.name === '--destination-port')?.values[0].value}:${lineOf(r.span.start)}${r.dynamic ? '?' : ''}`),
    ['tcp/22:6', 'tcp/80:6', 'udp/53:8', 'tcp/80:9'],
  );
  assert.deepEqual(doc.diagnostics().filter((d) => d.code === 'redundant-rule').map((d) => lineOf(d.span.start)), [9]);
  // a value iptables refuses points at the loop's word, related to the call
  const bad = text.replace('22 80', '22 70000');
  const [found] = new FirewallDocument(bad, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'invalid-value');
  assert.equal(bad.slice(found.span.start, found.span.end), '70000');
  assert.deepEqual(found.related?.map((r) => bad.slice(r.span.start, r.span.end)), ['allow tcp $p']);
  // in a loop the model cannot run, the call runs once, its rules unknown
  const unknown = new FirewallDocument(text.replace('22 80', '$(cat ports)'), { dialect: 'script' });
  assert.deepEqual(chainOf(unknown, 'filter', 'INPUT')!.rules.map((r) => r.dynamic), [true, false, false]);
});

test('scripts: a loop in a function called several times runs at each call over the call\'s arguments', () => {
  const ports = (lines: string[]) => {
    const text = ['#!/bin/sh', ...lines, ''].join('\n');
    const doc = new FirewallDocument(text, { dialect: 'script' });
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    return chainOf(doc, 'filter', 'INPUT')?.rules.map((r) => `${r.protocol?.value}/${r.options.find((o) => o.name === '--destination-port')?.values[0].value}:${lineOf(r.span.start)}${r.dynamic ? '?' : ''}`);
  };
  const allow = ['allow() {', '  for p in "$@"; do', '    iptables -A INPUT -p tcp --dport "$p" -j ACCEPT', '  done', '}'];
  assert.deepEqual(ports([...allow, 'allow 22 80', 'allow 443']), ['tcp/22:7', 'tcp/80:7', 'tcp/443:8']);
  // `for p; do` is over the arguments too; `$1` and `$2` each one of them; a variable as the call sees it, split at blanks
  assert.deepEqual(ports(['allow() {', '  for p; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done', '}', 'allow 22 80', 'allow 443']), ['tcp/22:5', 'tcp/80:5', 'tcp/443:6']);
  assert.deepEqual(ports(['open() {', '  for p in $2; do iptables -A INPUT -p "$1" --dport $p -j ACCEPT; done', '}', 'open tcp "22 80"', 'open udp 53']), ['tcp/22:5', 'tcp/80:5', 'udp/53:6']);
  assert.deepEqual(ports(['open() {', '  for p in $PORTS; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done', '}', 'PORTS="22 80"', 'open', 'open']), ['tcp/22:6', 'tcp/80:6', 'tcp/22:7', 'tcp/80:7']);
  // the body's own assignment above the loop, read with the call's arguments (one below it is not read)
  assert.deepEqual(ports(['open() {', '  local ports="$1"', '  for p in $ports; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done', '}', 'open "22 80"', 'open 443']), ['tcp/22:6', 'tcp/80:6', 'tcp/443:7']);
  assert.deepEqual(ports(['open() {', '  for p in $ports; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done', '  local ports="$1"', '}', 'open 22', 'open 443']), ['tcp/$p:6?', 'tcp/$p:7?']);
  // an argument the shell splits is several words (quoted, it is one, which iptables refuses as a port)
  assert.deepEqual(ports(['P="25 587"', ...allow, 'allow $P', 'allow "$P"']), ['tcp/25:8', 'tcp/587:8']);
  // the body's commands before and after the loop run in order, loops nested in it too
  assert.deepEqual(
    ports(['both() {', '  iptables -A INPUT -p tcp --dport 1 -j ACCEPT', '  for proto in tcp udp; do', '    for p in "$@"; do iptables -A INPUT -p $proto --dport $p -j ACCEPT; done', '  done', '  iptables -A INPUT -p tcp --dport 2 -j ACCEPT', '}', 'both 53', 'both 123 124']),
    ['tcp/1:9', 'tcp/53:9', 'udp/53:9', 'tcp/2:9', 'tcp/1:10', 'tcp/123:10', 'tcp/124:10', 'udp/123:10', 'udp/124:10', 'tcp/2:10'],
  );
  // a word a call leaves unknown: that call's pass runs once, its rule unknown
  assert.deepEqual(ports([...allow, 'allow $(cat ports)', 'allow 22']), ['tcp/$p:7?', 'tcp/22:8']);
  // a loop the model cannot run in the body, or a condition in the loop: the body is where it is written
  assert.deepEqual(ports(['allow() {', '  for p in $(cat "$1"); do iptables -A INPUT -p tcp --dport "$p" -j ACCEPT; done', '}', 'allow a', 'allow b']), ['tcp/$p:3?']);
  assert.deepEqual(ports(['allow() {', '  for p in "$@"; do', '    [ "$p" = 0 ] && continue', '    iptables -A INPUT -p tcp --dport "$p" -j ACCEPT', '  done', '}', 'allow 22', 'allow 80']), ['tcp/$p:5?']);
  assert.deepEqual(ports(['allow() {', '  if [ -n "$1" ]; then', '    for p in "$@"; do iptables -A INPUT -p tcp --dport "$p" -j ACCEPT; done', '  fi', '}', 'allow 22', 'allow 80']), ['tcp/$p:4?']);
  // called once, the same
  assert.deepEqual(ports([...allow, 'allow 22 80']), ['tcp/22:7', 'tcp/80:7']);
});

test('scripts: a loop over a function\'s arguments finds at each call what the calls repeat, at the call\'s word', () => {
  const text = ['#!/bin/sh', 'allow() {', '  for p in "$@"; do', '    iptables -A INPUT -p tcp --dport "$p" -j ACCEPT', '  done', '}', 'allow 22 80', 'allow 80 70000', ''].join('\n');
  const found = new FirewallDocument(text, { dialect: 'script' }).diagnostics();
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  assert.deepEqual(found.filter((d) => d.code === 'redundant-rule').map((d) => lineOf(d.span.start)), [8]);
  const [bad] = found.filter((d) => d.code === 'invalid-value');
  assert.equal(text.slice(bad.span.start, bad.span.end), '70000');
  assert.equal(lineOf(bad.span.start), 8);
});

test('scripts: a helper called in other functions\' bodies runs at each call: in an init script\'s start(), under start\'s condition; in main(), at main\'s call', () => {
  const script = (lines: string[]) => ['#!/bin/sh', 'allow() {', '  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT', '}', ...lines, 'case "$1" in', '  start) start ;;', '  stop) stop ;;', 'esac', ''].join('\n');
  const start = ['start() {', '  iptables -F', '  iptables -A INPUT -i lo -j ACCEPT', '  allow 22', '  allow 80', '  allow 80', '}', 'stop() {', '  iptables -F', '}'];
  const text = script(start);
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const input = chainOf(doc, 'filter', 'INPUT')!.rules;
  assert.deepEqual(input.map((r) => `${r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? r.inInterface?.value}:${lineOf(r.span.start)}`), ['lo:7', '22:8', '80:9', '80:10']);
  // under start's condition, as start's own rules are; stop's flush leaves them alone
  assert.ok(input.every((r) => r.guard !== undefined && r.guard !== 0 && r.guard === input[0].guard));
  assert.deepEqual(doc.diagnostics().filter((d) => d.code === 'redundant-rule').map((d) => lineOf(d.span.start)), [10]);
  const written = (lines: string[]) => chainOf(new FirewallDocument(script(lines), { dialect: 'script' }), 'filter', 'INPUT')!.rules.map((r) => r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? r.inInterface?.value);
  // an argument the shell expands stays unknown; a helper also called at the top: at each call
  // (start's at the `case` arm that runs start, after the top-level call)
  assert.deepEqual(written(start.map((l) => l.replace('allow 80', 'allow "$(cat port)"'))), ['lo', '22', '$1', '$1']);
  assert.deepEqual(written([...start, 'allow 443']), ['443', 'lo', '22', '80', '80']);
  // in a body that runs at its own call, at that call: after the flush written above it, unconditional
  const main = ['main() {', '  allow 22', '  iptables -A INPUT -i lo -j ACCEPT', '}', 'iptables -F', 'main'];
  assert.deepEqual(written(main), ['22', 'lo']);
  assert.ok(chainOf(new FirewallDocument(script(main), { dialect: 'script' }), 'filter', 'INPUT')!.rules.every((r) => !r.guard));
  // at each call of a body called several times
  // called once under a condition in start: at its call, its rules where written, under that condition
  const router = ['route() {', '  iptables -A FORWARD -i eth1 -j ACCEPT', '}', 'start() {', '  iptables -F', '  if [ "$ROUTER" = yes ]; then', '    route', '  fi', '}'];
  const routed = new FirewallDocument(script(router), { dialect: 'script' });
  const [forward] = chainOf(routed, 'filter', 'FORWARD')!.rules;
  assert.equal(script(router).slice(0, forward.span.start).split('\n').length, 6);
  const startGuard = routed.ruleSet.commands.find((c) => c.kind === 'flush')!.guard;
  assert.ok(forward.guard && forward.guard !== startGuard, 'under the if, inside start');
  const web = ['web() {', '  allow 80', '  allow 443', '}', 'web', 'web'];
  assert.deepEqual(written(web), ['80', '443', '80', '443']);
  assert.ok(chainOf(new FirewallDocument(script(web), { dialect: 'script' }), 'filter', 'INPUT')!.rules.every((r) => !r.guard));
});

test('scripts: a helper called by helpers runs with their arguments, at each of their calls; one calling itself stays where written', () => {
  const run = (lines: string[]) => {
    const text = ['#!/bin/sh', 'allow_tcp() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }', 'allow_udp() { iptables -A INPUT -p udp --dport "$1" -j ACCEPT; }', 'allow_both() {', '  allow_tcp "$1"', '  allow_udp "$1"', '}', ...lines, ''].join('\n');
    const doc = new FirewallDocument(text, { dialect: 'script' });
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    const rules = chainOf(doc, 'filter', 'INPUT')?.rules.map((r) => `${r.protocol?.value}/${r.options.find((o) => o.name === '--destination-port')?.values[0].value}:${lineOf(r.span.start)}`);
    return { rules, found: doc.diagnostics().map((d) => `${d.code}:${lineOf(d.span.start)}:${text.slice(d.span.start, d.span.end)}`), doc, text };
  };
  // called once: the helpers' rules at the calls in its body, a port where the top-level call writes it
  const once = run(['allow_tcp 22', 'allow_both 53', 'allow_tcp 22']);
  assert.deepEqual(once.rules, ['tcp/22:8', 'tcp/53:5', 'udp/53:6', 'tcp/22:10']);
  assert.deepEqual(once.found.filter((f) => f.startsWith('redundant-rule')), ['redundant-rule:10:allow_tcp 22']);
  // called several times: each call's rules at that call
  const twice = run(['allow_both 53', 'allow_both 123', 'allow_both 53']);
  assert.deepEqual(twice.rules, ['tcp/53:8', 'udp/53:8', 'tcp/123:9', 'udp/123:9', 'tcp/53:10', 'udp/53:10']);
  assert.deepEqual(twice.found.filter((f) => f.startsWith('redundant-rule')), ['redundant-rule:10:allow_both 53']);
  // an invalid port is found at the word the call writes
  const bad = run(['allow_both 70000']);
  const invalid = bad.doc.diagnostics().filter((d) => d.code === 'invalid-value');
  assert.deepEqual(invalid.map((d) => bad.text.slice(d.span.start, d.span.end)), ['70000', '70000']);
  // in a loop of a helper, with the body's own assignment, three calls deep
  assert.deepEqual(run(['services() {', '  local extra=$1', '  for s in 53 123; do allow_both $s; done', '  allow_tcp "$extra"', '}', 'services 80']).rules, ['tcp/53:10', 'udp/53:10', 'tcp/123:10', 'udp/123:10', 'tcp/80:11']);
  assert.deepEqual(run(['twice() { allow_both "$1"; allow_both "$2"; }', 'twice 1 2', 'twice 3 4']).rules, ['tcp/1:9', 'udp/1:9', 'tcp/2:9', 'udp/2:9', 'tcp/3:10', 'udp/3:10', 'tcp/4:10', 'udp/4:10']);
  // a function that calls itself (through another or not) is not run at its calls: its rules stay
  // where written (as allow_both's do, which nothing calls here)
  assert.deepEqual(run(['loop() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; loop "$1"; }', 'loop 22']).rules, ['tcp/$1:5', 'udp/$1:6', 'tcp/$1:8']);
  assert.deepEqual(run(['ping() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; pong "$1"; }', 'pong() { ping "$1"; }', 'ping 22']).rules, ['tcp/$1:5', 'udp/$1:6', 'tcp/$1:8']);
});

test('scripts: a helper defined below the function that calls it runs at its calls when that function runs after its definition', () => {
  const input = (lines: string[]) => {
    const text = ['#!/bin/sh', ...lines, ''].join('\n');
    const doc = new FirewallDocument(text, { dialect: 'script' });
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    return chainOf(doc, 'filter', 'INPUT')?.rules.map((r) => `${r.options.find((o) => o.name === '--destination-port')?.values[0].value}:${lineOf(r.span.start)}`) ?? [];
  };
  const helpers = ['setup() {', '  iptables -F', '  allow 22', '  allow 80', '}', 'allow() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }'];
  // main's style: the caller first, the helpers below, the call at the end
  assert.deepEqual(input([...helpers, 'setup']), ['22:4', '80:5']);
  // three deep, each below its caller
  assert.deepEqual(input(['main() { setup; allow 443; }', ...helpers, 'main']), ['22:5', '80:6', '443:2']);
  // a call that runs before the helper is defined: the shell does not find it, and the model runs nothing there
  assert.deepEqual(input([...helpers.slice(0, 5), 'setup', 'allow() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }']), ['$1:8']);
  // an init script: start() run by a `case` arm at the end, its helper below it
  assert.deepEqual(input([...helpers, 'case "$1" in', '  start|restart)', '    setup', '    ;;', '  *) echo "usage: $0 start|restart"; exit 1 ;;', 'esac']), ['22:4', '80:5']);
});

test('scripts: an init script\'s port forwards, made by a helper below start() with the ports it is given, are judged at each call', () => {
  const text = [
    '#!/bin/sh',
    'WAN=eth0',
    'start() {',
    '  echo 1 > /proc/sys/net/ipv4/ip_forward',
    '  iptables -P FORWARD DROP',
    '  iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '  forward 8080 192.168.10.20 80',
    '  forward 2222 192.168.10.21 22',
    '}',
    'forward() {',
    '  iptables -t nat -A PREROUTING -i $WAN -p tcp --dport "$1" -j DNAT --to-destination "$2:$3"',
    // the port forwarded from, not the port the server listens on: the classic mistake
    '  iptables -A FORWARD -i $WAN -p tcp -d "$2" --dport "$1" -j ACCEPT',
    '}',
    'case "$1" in',
    '  start|restart) start ;;',
    '  *) echo "usage: $0 start|restart"; exit 1 ;;',
    'esac',
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  assert.deepEqual(chainOf(doc, 'nat', 'PREROUTING')!.rules.map((r) => `${r.target?.options[0]?.values[0].value}:${lineOf(r.span.start)}`), ['192.168.10.20:80:7', '192.168.10.21:22:8']);
  const found = doc.diagnostics().filter((d) => d.code === 'dnat-without-forward-accept');
  assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), ['forward 8080 192.168.10.20 80', 'forward 2222 192.168.10.21 22']);
});

test('scripts: a `shift` at the top of a function bound at each call moves the arguments the commands below it read', () => {
  const rules = (lines: string[]) => {
    const text = ['#!/bin/sh', ...lines, ''].join('\n');
    const doc = new FirewallDocument(text, { dialect: 'script' });
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    return [...doc.ruleSet.tables.values()].flatMap((t) => [...t.chains.values()].flatMap((c) => c.rules.map((r) => `${t.name}/${c.name} ${r.protocol?.value ?? ''}/${r.options.find((o) => o.name === '--destination-port')?.values[0].value ?? ''}>${r.target?.name}:${lineOf(r.span.start)}`)));
  };
  const rule = ['rule() {', '  local chain=$1', '  shift', '  iptables -A "$chain" "$@"', '}'];
  assert.deepEqual(rules([...rule, 'rule INPUT -p tcp --dport 22 -j ACCEPT', 'rule FORWARD -p udp --dport 53 -j DROP']), ['filter/INPUT tcp/22>ACCEPT:7', 'filter/FORWARD udp/53>DROP:8']);
  // `shift 2`, an assignment below it reading the arguments as they are there, a loop over what is left
  assert.deepEqual(
    rules(['open() {', '  t=$1 c=$2', '  shift 2', '  proto=$1', '  shift', '  for p in "$@"; do iptables -t "$t" -A "$c" -p "$proto" --dport "$p" -j ACCEPT; done', '}', 'open filter INPUT tcp 22 80', 'open mangle PREROUTING udp 53']),
    ['filter/INPUT tcp/22>ACCEPT:9', 'filter/INPUT tcp/80>ACCEPT:9', 'mangle/PREROUTING udp/53>ACCEPT:10'],
  );
  // a helper passing what is left to another
  assert.deepEqual(rules([...rule, 'tcp_rule() { local c=$1; shift; rule "$c" -p tcp "$@"; }', 'tcp_rule INPUT --dport 443 -j ACCEPT', 'tcp_rule INPUT --dport 8443 -j ACCEPT']), ['filter/INPUT tcp/443>ACCEPT:8', 'filter/INPUT tcp/8443>ACCEPT:9']);
  // a shift under a condition, or of a count the script works out: the body stays where written
  assert.deepEqual(rules(['rule() {', '  local chain=$1', '  [ -n "$2" ] && shift', '  iptables -A "$chain" "$@"', '}', 'rule INPUT -j ACCEPT', 'rule INPUT -j DROP']), []);
  assert.deepEqual(rules(['rule() {', '  local chain=$1', '  shift $N', '  iptables -A "$chain" "$@"', '}', 'rule INPUT -j ACCEPT', 'rule INPUT -j DROP']), []);
});

test('scripts: a loop the model cannot run word by word keeps its commands where they are written', () => {
  const rulesOf = (loop: string) => {
    const doc = new FirewallDocument(['#!/bin/bash', 'P="22 80"', loop, ''].join('\n'), { dialect: 'script' });
    return chainOf(doc, 'filter', 'INPUT')?.rules.map((r) => `${r.options.find((o) => o.name === '--destination-port')?.values[0].value}${r.dynamic ? '?' : ''}`);
  };
  assert.deepEqual(rulesOf('for p in 22 80; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done'), ['22', '80']);
  // a quoted variable is one word, a glob or brace expansion is not read, nor are "$@", an array or a command's output
  for (const words of ['"$P"', '*.conf', '{1..}', '"$@"', '"${A[@]}"', '$(cat ports)', '$(seq $N)', '{1..5000}', '$UNKNOWN']) {
    assert.deepEqual(rulesOf(`for p in ${words}; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done`), ['$p?'], words);
  }
  // a counted range: seq's numbers; bash's braces (sh leaves them as written)
  assert.deepEqual(rulesOf('for p in $(seq 20 2 24) {80..81}; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done'), ['20', '22', '24', '80', '81']);
  const sh = new FirewallDocument('#!/bin/sh\nfor p in {80..81}; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n', { dialect: 'script' });
  assert.deepEqual(chainOf(sh, 'filter', 'INPUT')?.rules.map((r) => r.dynamic), [true]);
  // an array the script sets once to words it writes: its elements; set again, it is not read
  assert.deepEqual(rulesOf('A=(22 80)\nfor p in "${A[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done'), ['22', '80']);
  assert.deepEqual(rulesOf('A=(22 80)\nA+=(443)\nfor p in "${A[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done'), ['$p?']);
  // over several lines, with comments; an element the shell expands leaves it unknown
  assert.deepEqual(rulesOf('A=(\n  22   # ssh\n  80 "443"\n)\nfor p in "${A[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done'), ['22', '80', '443']);
  assert.deepEqual(rulesOf('A=(\n  22\n  $X\n)\nfor p in "${A[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done'), ['$p?']);
  assert.deepEqual(rulesOf('A=(\n  22\n  $(cat ports)\n)\nfor p in "${A[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done'), ['$p?']);
  // a pass may stop early, or a condition skip the command
  assert.deepEqual(rulesOf('for p in 22 80; do\n  [ "$p" = 80 ] && break\n  iptables -A INPUT -p tcp --dport $p -j ACCEPT\ndone'), ['$p?']);
  assert.deepEqual(rulesOf('for p in 22 80; do\n  if [ -n "$p" ]; then iptables -A INPUT -p tcp --dport $p -j ACCEPT; fi\ndone'), ['$p?']);
  // a loop nested in one the model cannot run, or whose words read the loop around it
  assert.deepEqual(rulesOf('for q in $(cat ports); do\n  for p in 22; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\ndone'), ['$p?']);
  assert.deepEqual(rulesOf('q=9\nfor q in 22 80; do\n  for p in $q 443; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\ndone'), ['$p?']);
  assert.deepEqual(rulesOf('for q in 22 80; do\n  for p in 443; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; break; done\ndone'), ['$p?']);
});

test('scripts: a function\'s own assignments read its arguments at each call; one called once reads them too', () => {
  const ports = (text: string) => {
    const doc = new FirewallDocument(text, { dialect: 'script' });
    return chainOf(doc, 'filter', 'INPUT')!.rules.map((r) => `${r.protocol?.value}/${r.options.find((o) => o.name === '--destination-port')?.values[0].value}${r.dynamic ? '?' : ''}`);
  };
  const open = 'open() {\n  local proto=$1 port="$2"\n  iptables -A INPUT -p "$proto" --dport "$port" -j ACCEPT\n}\n';
  assert.deepEqual(ports(`${open}open tcp 22\nopen udp 53\n`), ['tcp/22', 'udp/53']);
  assert.deepEqual(ports(`${open}open tcp 22\n`), ['tcp/22']);
  // a name the body sets from another it sets later is not known
  assert.deepEqual(ports('open() {\n  a=$b\n  b=$1\n  iptables -A INPUT -p tcp --dport $a -j ACCEPT\n}\nopen 22\nopen 80\n'), ['tcp/$a?', 'tcp/$a?']);
  // a global of the same name is not what the body's own assignment reads
  assert.deepEqual(ports('port=80\nopen() {\n  local port=$1\n  iptables -A INPUT -p tcp --dport $port -j ACCEPT\n}\nopen 22\n'), ['tcp/22']);
});

test('scripts: a loop whose word is the tool (for ipt in iptables ip6tables) runs each command once per family, in a function called several times too', () => {
  const text = 'for ipt in iptables ip6tables; do\n  $ipt -A INPUT -p tcp --dport 22 -j ACCEPT\n  $ipt -P INPUT DROP\ndone\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  for (const family of ['ipv4', 'ipv6']) {
    const input = doc.ruleSet.tables.get(`${family}:filter`)?.chains.get('INPUT');
    assert.deepEqual(input?.rules.map((r) => r.options.find((o) => o.name === '--destination-port')?.values[0].value), ['22'], family);
    assert.equal(input?.policy, 'DROP', family);
  }
  // in a function called several times, at each call
  const allow = new FirewallDocument('allow() {\n  for ipt in iptables ip6tables; do\n    $ipt -A INPUT -p tcp --dport "$1" -j ACCEPT\n  done\n}\nallow 22\nallow 80\n', { dialect: 'script' });
  for (const family of ['ipv4', 'ipv6']) {
    const input = allow.ruleSet.tables.get(`${family}:filter`)?.chains.get('INPUT');
    assert.deepEqual(input?.rules.map((r) => r.options.find((o) => o.name === '--destination-port')?.values[0].value), ['22', '80'], family);
  }
  assert.deepEqual(allow.diagnostics().filter((d) => d.code === 'redundant-rule'), []);
  // a word that is no iptables tool leaves the command as it was
  const other = new FirewallDocument('for ipt in iptables echo; do\n  $ipt -A INPUT -p tcp --dport 22 -j ACCEPT\ndone\n', { dialect: 'script' });
  assert.equal(other.ruleSet.tables.get('ipv6:filter'), undefined);
});

test('scripts: a plain loop in a branch of the top level runs word by word, under the branch; in a while loop it does not', () => {
  const text = ['#!/bin/sh', 'if [ -n "$WEB" ]; then', '  for p in 80 443; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done', 'fi', 'while read -r x; do', '  for p in 1 2; do iptables -A INPUT -p tcp --dport $p -j DROP; done', 'done < list', ''].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const rules = chainOf(doc, 'filter', 'INPUT')!.rules;
  assert.deepEqual(rules.map((r) => r.options.find((o) => o.name === '--destination-port')?.values[0].value), ['80', '443', '$p']);
  const branch = rules[0].guard;
  assert.ok(branch && doc.ruleSet.guards![branch] === 0, 'under the if branch');
  assert.equal(rules[1].guard, branch);
});
