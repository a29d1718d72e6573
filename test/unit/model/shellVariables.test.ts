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

/** A script's rule set with the files it reads with `.` given, by the path as the script names them. */
function withFiles(text: string, files: Record<string, string>) {
  return scriptRuleSet(text, { sourced: new Map(Object.entries(files).map(([path, t]) => [path, { file: `/repo${path}`, text: t }])) });
}
const valuesOf = (rs: ReturnType<typeof scriptRuleSet>) => rs.commands.at(-1)!.args.items.flatMap((i) => i.values.map((w) => `${w.value}${w.dynamic ? '?' : ''}`));

test('a file read with `.` whose text is given sets the variables it sets once at its top level, from there on', () => {
  const conf = '# the router\nWAN=eth0\nexport LAN_NET="192.168.1.0/24"\nWEB=${LAN_NET%.0/24}.10\n';
  const script = 'iptables -A INPUT -i $WAN -j DROP\n. /etc/firewall.conf\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n';
  const rs = withFiles(script, { '/etc/firewall.conf': conf });
  assert.deepEqual(valuesOf(rs), ['nat', 'POSTROUTING', '192.168.1.0/24', 'eth0', 'MASQUERADE']);
  // before the `.`, the environment's
  assert.deepEqual(rs.commands[0].args.items[1].values.map((w) => w.dynamic), [true]);
  assert.equal(rs.sourcesFiles, false, 'a file that only sets variables adds nothing to the tables');
  const [use] = rs.sources!;
  assert.deepEqual([script.slice(use.span.start, use.span.end), use.path, use.file, use.plain], ['. /etc/firewall.conf', '/etc/firewall.conf', '/repo/etc/firewall.conf', true]);
  assert.deepEqual(use.values!.map((v) => [v.name, v.value, v.from?.line, conf.slice(v.span.start, v.span.end)]), [['WAN', 'eth0', 2, 'WAN=eth0'], ['LAN_NET', '192.168.1.0/24', 3, 'LAN_NET="192.168.1.0/24"']], 'WEB: an expansion the shell does not read as written here');
  // not given: every value ends at the `.`, and the file may hold anything
  const alone = scriptRuleSet(`WAN=eth0\n${script}`);
  assert.deepEqual(valuesOf(alone), ['nat', 'POSTROUTING', '$LAN_NET?', '$WAN?', 'MASQUERADE']);
  assert.equal(alone.sourcesFiles, true);
  assert.deepEqual(alone.sources!.map((u) => [u.path, u.file, u.plain]), [['/etc/firewall.conf', undefined, false]]);
});

test('the script\'s own values go on past a file that does not set them; what the file may set otherwise is unknown', () => {
  const script = 'WAN=eth0\nLAN=eth1\nNET=10.0.0.0/8\n. ./fw.conf\niptables -A FORWARD -i $WAN -o $LAN -s $NET -d $DMZ -j ACCEPT\n';
  assert.deepEqual(valuesOf(withFiles(script, { './fw.conf': 'LAN=eth2\nif [ -n "$X" ]; then NET=10.1.0.0/16; fi\nDMZ=172.16.0.0/12\n' })), ['FORWARD', 'eth0', 'eth2', '$NET?', '172.16.0.0/12', 'ACCEPT']);
  // set twice in the file, or read from the environment there
  assert.deepEqual(valuesOf(withFiles(script, { './fw.conf': 'DMZ=1.2.3.0/24\nDMZ=1.2.4.0/24\n' })).slice(4, 5), ['$DMZ?']);
  // the script's own assignment after the `.` takes over from there
  const later = withFiles('. /etc/fw.conf\niptables -A INPUT -i $WAN -j ACCEPT\nWAN=ppp0\niptables -A INPUT -i $WAN -j ACCEPT\n', { '/etc/fw.conf': 'WAN=eth0\n' });
  assert.deepEqual(later.commands.map((c) => c.rule!.inInterface!.value), ['eth0', 'ppp0']);
  const detected = withFiles('. /etc/fw.conf\nWAN=$(ip route show default | cut -d" " -f5)\niptables -A INPUT -i $WAN -j ACCEPT\n', { '/etc/fw.conf': 'WAN=eth0\n' });
  assert.equal(detected.commands[0].rule!.inInterface!.value, '$WAN', 'the script sets it again to what the host says');
  // a file that reads another, or runs eval: anything may be set
  assert.deepEqual(valuesOf(withFiles(script, { './fw.conf': 'DMZ=1.2.3.0/24\n. /etc/more.conf\n' })).slice(1, 2), ['$WAN?']);
});

test('a `.` whose path the script names by a variable, or after a test that the file is there, is read; one in a function or under another condition is not', () => {
  const conf = { '/etc/fw/router.conf': 'WAN=eth0\n' };
  const wan = (script: string) => withFiles(`${script}\niptables -A INPUT -i $WAN -j DROP\n`, conf).commands.at(-1)!.rule!.inInterface!.value;
  assert.equal(wan('DIR=/etc/fw\n. "$DIR/router.conf"'), 'eth0');
  assert.equal(wan('CONF=/etc/fw/router.conf\n[ -f "$CONF" ] && . "$CONF"'), 'eth0');
  assert.equal(wan('if [ -r /etc/fw/router.conf ]; then\n  source /etc/fw/router.conf\nfi'), 'eth0');
  assert.equal(wan('[ -n "$X" ] && . /etc/fw/router.conf'), '$WAN');
  assert.equal(wan('load() { . /etc/fw/router.conf; }\nload'), '$WAN');
  assert.equal(wan('. /etc/fw/router.conf extra'), '$WAN', 'arguments for the file: not a configuration');
});

test('a `.` of a file in the script\'s own folder (`$(dirname "$0")`, `${0%/*}`, a variable set to it) reads it beside the script; the folder itself is no value of a rule', () => {
  const conf = { './fw.conf': 'WAN=eth0\n' };
  const read = (script: string) => withFiles(`${script}\niptables -A INPUT -i $WAN -j DROP\n`, conf);
  const wan = (script: string) => read(script).commands.at(-1)!.rule!.inInterface!.value;
  for (const form of [
    '. "$(dirname "$0")/fw.conf"',
    '. $(dirname $0)/fw.conf',
    '. "`dirname $0`/fw.conf"',
    'source "${BASH_SOURCE%/*}/fw.conf"',
    '. "${0%/*}/fw.conf"',
    '. "$(dirname "$(readlink -f "$0")")/fw.conf"',
    '. "$(dirname -- "${BASH_SOURCE[0]}")/fw.conf"',
    'DIR="$(cd "$(dirname "$0")" && pwd)"\n. "$DIR/fw.conf"',
    'DIR=$(dirname "$0")\nCONF="${DIR}/fw.conf"\n[ -f "$CONF" ] && . "$CONF"',
  ]) {
    assert.equal(wan(form), 'eth0', form);
    assert.equal(read(form).sources!.at(-1)!.path, './fw.conf', form);
  }
  // another command's output, or another variable's folder: not the script's
  assert.equal(wan('. "$(dirname "$CONF")/fw.conf"'), '$WAN');
  assert.equal(wan('. "$(pwd)/fw.conf"'), '$WAN');
  // the folder read as `.` only for a path read with `.`: a rule gets no value for it
  const rs = withFiles('DIR=$(dirname "$0")\n. "$DIR/fw.conf"\niptables -A INPUT -i $DIR -j DROP\n', conf);
  assert.equal(rs.commands.at(-1)!.rule!.inInterface!.value, '$DIR');
  assert.deepEqual(rs.variables!.map((v) => v.name), ['WAN'], 'nor is it a value hover or completion offer');
});

test('a file read with `.` that runs commands or defines functions still gives its values, but the rule set may hold what it adds', () => {
  const rs = withFiles('. /etc/fw.conf\niptables -A INPUT -i $WAN -j DROP\n', { '/etc/fw.conf': 'WAN=eth0\niptables -N extra\n' });
  assert.equal(rs.commands.at(-1)!.rule!.inInterface!.value, 'eth0');
  assert.equal(rs.sourcesFiles, true);
  assert.equal(withFiles('. /etc/fw.conf\niptables -A INPUT -i $WAN -j DROP\n', { '/etc/fw.conf': 'WAN=eth0\nf() { :; }\n' }).sourcesFiles, true);
  // tests alone leave it a configuration
  assert.equal(withFiles('. /etc/fw.conf\niptables -A INPUT -i $WAN -j DROP\n', { '/etc/fw.conf': 'WAN=eth0\n[ -z "$LAN" ] && LAN=eth1\n' }).sourcesFiles, false);
});

test('the configuration names the iptables binary: its commands are iptables commands of that family', () => {
  const rs = withFiles('. /etc/fw.conf\n$FW -A INPUT -s fd00::/8 -j ACCEPT\n', { '/etc/fw.conf': 'FW=/usr/sbin/ip6tables\n' });
  assert.deepEqual(rs.commands.map((c) => [c.family, c.chain]), [['ipv6', 'INPUT']]);
});
