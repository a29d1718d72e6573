import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptRuleSet } from '../../../server/src/core/model/scriptDocument.ts';

/** The value and whether it is still unknown, of each word of the script's last iptables command after its command word. */
function lastWords(text: string): [string, boolean][] {
  const cmd = scriptRuleSet(text).commands.at(-1)!;
  return cmd.args.items.flatMap((i) => i.values.map((w): [string, boolean] => [w.value, w.dynamic]));
}

test('a variable set once at the top of the script reads as its value after the assignment', () => {
  const script = 'WAN=eth0\nWEB="192.168.1.10"\nBASE=10.1\nNET=$BASE.0.0/16\niptables -t nat -A PREROUTING -i $WAN -s "$NET" -p tcp --dport 80 -j DNAT --to-destination ${WEB}:8080\n';
  assert.deepEqual(lastWords(script), [['nat', false], ['PREROUTING', false], ['eth0', false], ['10.1.0.0/16', false], ['tcp', false], ['80', false], ['DNAT', false], ['192.168.1.10:8080', false]]);
});

test('a variable stays unknown where the script could give it another value', () => {
  const unknown = (before: string, use = '$X') => lastWords(`${before}\niptables -A INPUT -s ${use} -j ACCEPT\n`)[1];
  assert.deepEqual(unknown('X=10.0.0.1\nX=10.0.0.2'), ['$X', true], 'assigned twice');
  assert.deepEqual(unknown('if [ -n "$A" ]; then X=10.0.0.1; fi'), ['$X', true], 'assigned under a condition');
  assert.deepEqual(unknown('for X in 10.0.0.1 10.0.0.2; do :; done\nX=10.0.0.3'), ['$X', true], 'a loop variable');
  assert.deepEqual(unknown('X=10.0.0.1\nread X'), ['$X', true], 'read');
  assert.deepEqual(unknown('X=10.0.0.1\n: ${X:=10.0.0.9}'), ['$X', true], 'a default assigned');
  assert.deepEqual(unknown('f() { local X=1; }\nX=10.0.0.1'), ['$X', true], 'local in a function');
  assert.deepEqual(unknown('X=$(hostname -i)'), ['$X', true], 'a command substitution');
  assert.deepEqual(unknown('X=10.0.0.1\n. /etc/default/firewall'), ['$X', true], 'a file read after the assignment may set it');
  assert.deepEqual(lastWords('iptables -A INPUT -s $X -j ACCEPT\nX=10.0.0.1\niptables -A INPUT -s $X -j ACCEPT\n')[1], ['10.0.0.1', false], 'after the assignment');
  assert.equal(scriptRuleSet('iptables -A INPUT -s $X -j ACCEPT\nX=10.0.0.1\n').commands[0].args.items[1].values[0].dynamic, true, 'before the assignment: the environment');
});

test('unquoted, a value with blanks or an empty value is not put in place (the shell splits or drops the word)', () => {
  assert.deepEqual(lastWords('P="80 443"\niptables -A INPUT -p tcp --dport $P -j ACCEPT\n')[2], ['$P', true]);
  assert.deepEqual(lastWords('E=\niptables -A INPUT -s 10.0.0.1$E -j ACCEPT\n')[1], ['10.0.0.1$E', true]);
  assert.deepEqual(lastWords('C="two words"\niptables -A INPUT -m comment --comment "$C" -j ACCEPT\n')[2], ['two words', false]);
});

test('in an iptables-restore here-document the shell puts the known variables in place; not with a quoted delimiter', () => {
  const body = '*filter\n:$LOG - [0:0]\n-A INPUT -i $WAN -j ${LOG}\n-A INPUT -m comment --comment "$NOTE" -j ACCEPT\nCOMMIT\n';
  const vars = 'WAN=eth0\nLOG=logdrop\nNOTE="two words"\n';
  const words = (text: string) => scriptRuleSet(text).commands.map((c) => c.args.items.flatMap((i) => i.values.map((w) => `${w.value}${w.dynamic ? '?' : ''}`)));
  assert.deepEqual(words(`${vars}iptables-restore <<EOF\n${body}EOF\n`), [['INPUT', 'eth0', 'logdrop'], ['INPUT', 'comment', '$NOTE?', 'ACCEPT']]);
  assert.deepEqual([...scriptRuleSet(`${vars}iptables-restore <<EOF\n${body}EOF\n`).tables.get('ipv4:filter')!.chains.keys()], ['INPUT', 'FORWARD', 'OUTPUT', 'logdrop']);
  // <<'EOF': the shell leaves the body as written, and iptables-restore reads `$WAN` itself
  assert.deepEqual(words(`${vars}iptables-restore <<'EOF'\n${body}EOF\n`)[0], ['INPUT', '$WAN', '${LOG}']);
});

test('--opt=value with a variable in it: the name and the attached value keep the places they are written at', () => {
  const text = 'DST=192.168.1.10\niptables -t nat -A PREROUTING -p tcp -j DNAT "--to-destination=$DST:8080"\niptables -A INPUT "--src=$DST"\n';
  const cmds = scriptRuleSet(text).commands;
  const item = (k: number, name: string) => cmds[k].args.items.find((i) => i.written === name)!;
  const to = item(0, '--to-destination');
  assert.deepEqual([to.values[0].value, text.slice(to.values[0].span.start, to.values[0].span.end)], ['192.168.1.10:8080', '$DST:8080"']);
  assert.equal(text.slice(to.nameSpan.start, to.nameSpan.end), '"--to-destination');
  const src = item(1, '--src');
  assert.deepEqual([src.values[0].value, text.slice(src.values[0].span.start, src.values[0].span.end)], ['192.168.1.10', '$DST"']);
  // a value longer than its text kept its spans inside the text (they ran past its end)
  const long = 'IPT=/usr/local/sbin/iptables\n$IPT -A INPUT -s "--x=a\n$IPT -P FORWARD DROP\n';
  for (const c of scriptRuleSet(long).commands) for (const i of c.args.items) for (const s of [i.span, i.nameSpan, ...i.values.map((v) => v.span)]) assert.ok(s.start <= s.end && s.end <= long.length, `${s.start}-${s.end} in ${long.length}`);
});
