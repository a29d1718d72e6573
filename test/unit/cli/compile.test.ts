import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { NamespaceIptables } from '../../oracle/realIptables.ts';
import { dist, needBuild } from '../../support/paths.ts';

/**
 * `iptables-lint compile SCRIPT` as a user runs it: the built CLI, its stdout, stderr and exit
 * status (DESIGN.md's CLI contract: 0 done, 1 the script cannot be compiled, 2 usage or I/O).
 * The restore text is loaded by the real iptables-restore in a throwaway namespace where this
 * runs as root; elsewhere its structure is checked.
 */

const skip = needBuild();
const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-compile-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function compile(...args: string[]) {
  const r = spawnSync(process.execPath, [dist('iptables-lint.cjs'), 'compile', ...args], { encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The tables of restore text: name → chain declarations and rules, checked to be well formed. */
function restoreTables(text: string): Map<string, { chains: string[]; rules: string[] }> {
  const tables = new Map<string, { chains: string[]; rules: string[] }>();
  let current: { chains: string[]; rules: string[] } | undefined;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      assert.equal(current, undefined, `${line} opens before COMMIT`);
      tables.set(line.slice(1), (current = { chains: [], rules: [] }));
    } else if (line === 'COMMIT') {
      assert.ok(current, 'COMMIT outside a table');
      current = undefined;
    } else {
      assert.ok(current, `${line} outside a table`);
      if (line.startsWith(':')) current.chains.push(line);
      else {
        assert.match(line, /^-A \S+ /);
        current.rules.push(line);
      }
    }
  }
  assert.equal(current, undefined, 'the last table has no COMMIT');
  return tables;
}

const FIREWALL = [
  '#!/bin/sh',
  'IPT=iptables',
  'sysctl -w net.ipv4.ip_forward=1',
  '$IPT -P INPUT DROP',
  '$IPT -N web',
  '$IPT -A web -p tcp --dport 443 -j ACCEPT',
  '$IPT -A INPUT -i lo -j ACCEPT',
  '$IPT -A INPUT -j web',
  '$IPT -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
  '',
].join('\n');

/**
 * The script run by `shell` in one namespace, the compiled texts loaded in another: both
 * families' tables the same (`iptables -S`). The IPv4 listing of the run, or undefined where
 * namespaces are not available (not root, no iptables).
 */
async function sameAsShell(shell: string, file: string, v4: string, v6?: string): Promise<string | undefined> {
  if (NamespaceIptables.available()) return undefined;
  const ran = new NamespaceIptables();
  const loaded = new NamespaceIptables();
  ran.create();
  loaded.create();
  try {
    const run = spawnSync('ip', ['netns', 'exec', ran.name, shell, file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok((await loaded.load(v4, 'ipv4')).ok);
    if (v6 !== undefined) assert.ok((await loaded.load(v6, 'ipv6')).ok);
    const rules = (ns: NamespaceIptables, tool: string) => spawnSync('ip', ['netns', 'exec', ns.name, tool, '-S'], { encoding: 'utf8' }).stdout;
    for (const tool of ['iptables', 'ip6tables']) assert.equal(rules(loaded, tool), rules(ran, tool), tool);
    return rules(ran, 'iptables');
  } finally {
    ran.destroy();
    loaded.destroy();
  }
}

test('a script of iptables commands: restore text on stdout, exit 0, and iptables-restore loads it', { skip }, async () => {
  const r = compile(script('fw.sh', FIREWALL));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const tables = restoreTables(r.stdout);
  assert.deepEqual([...tables.keys()].sort(), ['filter', 'nat']);
  const filter = tables.get('filter')!;
  assert.ok(filter.chains.includes(':INPUT DROP [0:0]'), filter.chains.join(' '));
  assert.ok(filter.chains.some((c) => /^:web - /.test(c)));
  // every rule's chain is declared in its table
  for (const t of tables.values()) for (const rule of t.rules) assert.ok(t.chains.some((c) => c.startsWith(`:${rule.split(' ')[1]} `)), rule);
  assert.equal(filter.rules.length, 3);
  assert.deepEqual(tables.get('nat')!.rules, ['-A POSTROUTING -o eth0 -j MASQUERADE']);
  // nothing of the shell itself is carried over
  assert.doesNotMatch(r.stdout, /\$IPT|sysctl|#!/);

  const unavailable = NamespaceIptables.available();
  if (unavailable) return;
  const ns = new NamespaceIptables();
  ns.create();
  try {
    const loaded = await ns.load(r.stdout, 'ipv4');
    assert.ok(loaded.ok, loaded.message);
    const saved = spawnSync('ip', ['netns', 'exec', ns.name, 'iptables-save'], { encoding: 'utf8' }).stdout;
    assert.match(saved, /^-A web -p tcp -m tcp --dport 443 -j ACCEPT$/m);
    assert.match(saved, /^:INPUT DROP /m);
  } finally {
    ns.destroy();
  }
});

test('a loop over written words, its tool a word too, loops nested, a loop in a function, a function in a loop, a counted loop, loops over the arguments of functions called several times, a helper called in main(): compiled to what the script itself makes in a namespace', { skip }, async () => {
  const text = 'PORTS="80 443"\nfor ipt in iptables ip6tables; do\n  $ipt -A INPUT -p tcp --dport 22 -j ACCEPT\n  for_all=1\ndone\nfor p in $PORTS 8443; do iptables -C INPUT -p tcp --dport $p -j ACCEPT || iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\nfor p in 80; do iptables -C INPUT -p tcp --dport $p -j ACCEPT || iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\nfor ipt in iptables ip6tables; do\n  for port in 25 587; do\n    $ipt -A OUTPUT -p tcp --dport $port -j REJECT\n  done\n  $ipt -A OUTPUT -p tcp --dport 465 -j REJECT\ndone\nmake_allowed() {\n  iptables -N allowed\n  for p in 22 443; do\n    iptables -A allowed -p tcp --dport $p -j ACCEPT\n  done\n}\nmake_allowed\nopen_port() { iptables -A allowed -p "$1" --dport "$2" -j ACCEPT; }\nfor port in 25 110; do open_port tcp $port; done\nfor i in $(seq 1 2); do iptables -A allowed -p udp --dport 500$i -j ACCEPT; done\nallow_udp() {\n  for p in "$@"; do\n    iptables -A allowed -p udp --dport "$p" -j ACCEPT\n  done\n}\nallow_udp 53 123\nallow_udp 161\nreject_udp() { for p; do iptables -A OUTPUT -p udp --dport $p -j REJECT; done; }\nMORE="69 514"\nreject_udp $MORE\nreject_udp 1900\ntcp_ok() { iptables -A allowed -p tcp --dport "$1" -j ACCEPT; }\nmain() {\n  tcp_ok 993\n  tcp_ok 995\n}\nmain\n';
  const file = script('loops.sh', text);
  const r = compile(file);
  assert.equal(r.code, 0, r.stderr);
  const [v4, v6] = r.stdout.split(/^(?=# ip6tables-restore input)/m);
  assert.deepEqual(restoreTables(v4).get('filter')?.rules.slice(0, 4), ['-A INPUT -p tcp --dport 22 -j ACCEPT', '-A INPUT -p tcp --dport 80 -j ACCEPT', '-A INPUT -p tcp --dport 443 -j ACCEPT', '-A INPUT -p tcp --dport 8443 -j ACCEPT']);
  const smtp = ['-A OUTPUT -p tcp --dport 25 -j REJECT', '-A OUTPUT -p tcp --dport 587 -j REJECT', '-A OUTPUT -p tcp --dport 465 -j REJECT'];
  const udp = ['69', '514', '1900'].map((p) => `-A OUTPUT -p udp --dport ${p} -j REJECT`);
  const allowed = ['tcp 22', 'tcp 443', 'tcp 25', 'tcp 110', 'udp 5001', 'udp 5002', 'udp 53', 'udp 123', 'udp 161', 'tcp 993', 'tcp 995'].map((p) => `-A allowed -p ${p.replace(' ', ' --dport ')} -j ACCEPT`);
  assert.deepEqual(restoreTables(v4).get('filter')?.rules.slice(4), [...smtp, ...udp, ...allowed]);
  assert.deepEqual(restoreTables(v6).get('filter')?.rules, ['-A INPUT -p tcp --dport 22 -j ACCEPT', ...smtp]);
  const ran = await sameAsShell('sh', file, v4, v6);
  if (ran) assert.match(ran, /--dport 8443 -j ACCEPT/);
});

test('helpers calling helpers, with their arguments, a local above the call, a loop in one, `shift`: compiled to what sh itself makes in a namespace', { skip }, async () => {
  const text = [
    'allow_tcp() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }',
    'allow_udp() { iptables -A INPUT -p udp --dport "$1" -j ACCEPT; }',
    'allow_both() {',
    '  allow_tcp "$1"',
    '  allow_udp "$1"',
    '}',
    'allow_fwd() { iptables -A FORWARD -d "$1" -p tcp --dport "$2" -j ACCEPT; }',
    'forward() {',
    '  local port=$1 host=$2',
    '  iptables -t nat -A PREROUTING -i eth0 -p tcp --dport "$port" -j DNAT --to-destination "$host"',
    '  allow_fwd "$host" "$port"',
    '}',
    'services() {',
    '  for s in 53 123; do allow_both $s; done',
    '  allow_tcp 80',
    '}',
    'rule() {',
    '  local chain=$1',
    '  shift',
    '  iptables -A "$chain" "$@"',
    '}',
    'both_ways() { local p=$1; shift 1; rule INPUT -p "$p" "$@"; rule OUTPUT -p "$p" "$@"; }',
    'allow_tcp 22',
    'rule OUTPUT -p tcp --dport 25 -j REJECT',
    'both_ways udp --dport 514 -j DROP',
    'services',
    'allow_both 5353',
    'forward 8080 10.200.135.2',
    'forward 8443 10.200.135.3',
    '',
  ].join('\n');
  const file = script('helpers.sh', text);
  const r = compile(file);
  assert.equal(r.code, 0, r.stderr);
  const tables = restoreTables(r.stdout);
  const input = ['tcp 22', 'tcp 53', 'udp 53', 'tcp 123', 'udp 123', 'tcp 80', 'tcp 5353', 'udp 5353'].map((p) => `-A INPUT -p ${p.replace(' ', ' --dport ')} -j ACCEPT`);
  input.splice(1, 0, '-A INPUT -p udp --dport 514 -j DROP');
  const output = ['-A OUTPUT -p tcp --dport 25 -j REJECT', '-A OUTPUT -p udp --dport 514 -j DROP'];
  assert.deepEqual(tables.get('filter')?.rules, [...input, '-A FORWARD -d 10.200.135.2 -p tcp --dport 8080 -j ACCEPT', '-A FORWARD -d 10.200.135.3 -p tcp --dport 8443 -j ACCEPT', ...output]);
  assert.equal(tables.get('nat')?.rules.length, 2);
  await sameAsShell('sh', file, r.stdout);
});

test('bash arrays of written words, over several lines with comments, looped over: compiled to what bash itself makes in a namespace', { skip }, async () => {
  const text = '#!/bin/bash\nTCP=(\n  22    # ssh\n  443\n)\nUDP=(53 123)\nfor p in "${TCP[@]}"; do\n  iptables -A INPUT -p tcp --dport "$p" -j ACCEPT\ndone\nfor p in ${UDP[*]}; do iptables -A INPUT -p udp --dport $p -j ACCEPT; done\n';
  const file = script('arrays.sh', text);
  const r = compile(file);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(restoreTables(r.stdout).get('filter')?.rules, ['tcp 22', 'tcp 443', 'udp 53', 'udp 123'].map((p) => `-A INPUT -p ${p.replace(' ', ' --dport ')} -j ACCEPT`));
  // an element the shell expands: the loop is not compiled
  const unknown = compile(script('arrays-unknown.sh', text.replace('  443\n', '  $HTTPS\n')));
  assert.equal(unknown.code, 1);
  const ran = await sameAsShell('bash', file, r.stdout);
  if (ran) assert.match(ran, /--dport 443 -j ACCEPT/);
});

test('both families: each text under its own heading', { skip }, () => {
  const r = compile(script('both.sh', 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\nip6tables -A INPUT -p tcp --dport 22 -j ACCEPT\n'));
  assert.equal(r.code, 0, r.stderr);
  const parts = r.stdout.split(/^(?=# ip6?tables-restore input)/m);
  assert.equal(parts.length, 2, r.stdout);
  assert.match(parts[0], /^# iptables-restore /);
  assert.match(parts[1], /^# ip6tables-restore /);
  for (const p of parts) assert.deepEqual(restoreTables(p).get('filter')?.rules, ['-A INPUT -p tcp --dport 22 -j ACCEPT']);
});

test('a loop over words the script does not write, another program or an expansion stops it: exit 1 at FILE:LINE:COL of that command, nothing on stdout', { skip }, () => {
  const cases: [string, string, number, number][] = [
    ['loop.sh', 'iptables -F\nfor p in $(cat ports); do\n  iptables -A INPUT -p tcp --dport $p -j ACCEPT\ndone\n', 2, 1],
    ['rm.sh', 'iptables -F\n  logger done; rm -f /tmp/x\n', 2, 16],
    ['expansion.sh', 'iptables -F\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n    iptables -A INPUT -s "$ADMIN" -j ACCEPT\n', 3, 5],
    ['guarded.sh', 'iptables -F\n[ -e /etc/fw.off ] && exit 0\n', 2, 1],
  ];
  for (const [name, text, line, column] of cases) {
    const file = script(name, text);
    const r = compile(file);
    assert.equal(r.code, 1, name);
    assert.equal(r.stdout, '', name);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].startsWith(`${file}:${line}:${column}: cannot compile: `), `${name}: ${r.stderr}`);
  }
});

test('a configuration read with `.`, beside the script: its values are in the rules; without it the expansion stops the compile', { skip }, () => {
  const sub = mkdtempSync(join(dir, 'router-'));
  const file = join(sub, 'firewall.sh');
  writeFileSync(file, '#!/bin/sh\n. /etc/firewall.conf\n$FW -P FORWARD DROP\n$FW -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n');
  const without = compile(file);
  assert.equal(without.code, 1);
  assert.match(without.stderr, /^.*firewall\.sh:2:1: cannot compile: /);
  writeFileSync(join(sub, 'firewall.conf'), '# read by firewall.sh\nFW=/usr/sbin/iptables\nWAN=eth0\nLAN_NET=192.168.1.0/24\n');
  const r = compile(file);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(restoreTables(r.stdout).get('nat')!.rules, ['-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE']);
  assert.ok(restoreTables(r.stdout).get('filter')!.chains.includes(':FORWARD DROP [0:0]'));
});

test('no iptables command at all: exit 1, said on stderr', { skip }, () => {
  const file = script('empty.sh', '#!/bin/sh\necho starting\n');
  const r = compile(file);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.ok(r.stderr.includes(file), r.stderr);
});

test('usage and file errors exit 2', { skip }, () => {
  const ok = script('ok.sh', 'iptables -A INPUT -j ACCEPT\n');
  for (const args of [[], [ok, ok]]) {
    const r = compile(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /usage: iptables-lint compile/);
  }
  for (const missing of [join(dir, 'nope.sh'), dir]) {
    const r = compile(missing);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^iptables-lint: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('a wg-quick configuration: the rules its up hooks add, with the interface named for %i', { skip }, () => {
  const conf = script('wg7.conf', '[Interface]\nAddress = 10.8.0.1/24\nPostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -D FORWARD -i %i -j ACCEPT\n');
  const r = compile(conf);
  assert.equal(r.code, 0, r.stderr);
  const tables = restoreTables(r.stdout);
  assert.deepEqual(tables.get('filter')?.rules, ['-A FORWARD -i wg7 -j ACCEPT']);
  assert.deepEqual(tables.get('nat')?.rules, ['-A POSTROUTING -o eth0 -j MASQUERADE']);
});
