import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { main } from '../../../server/src/cli/main.ts';
import { rules } from '../../../server/src/core/analysis/registry.ts';
import { repoRoot } from '../../support/paths.ts';
import { routerScript } from '../../support/kubeDump.ts';

/** Runs the CLI in this process; `input` is its standard input (none: there is none to read). */
function run(args: string[], input?: string | Uint8Array) {
  let stdout = '';
  let stderr = '';
  const stdin = input === undefined ? undefined : () => (typeof input === 'string' ? Buffer.from(input) : input);
  const code = main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdin });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-cli-'));
const broken = join(dir, 'broken.rules');
writeFileSync(broken, '*filter\n-A INPUT -p tcp --dport\n');
const clean = join(dir, 'clean.rules');
writeFileSync(clean, '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
const script = join(dir, 'fw.sh');
writeFileSync(script, '#!/bin/sh\niptables -A INPUT -p tcp --dport\n');
const binary = join(dir, 'blob.rules');
writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0]));

test('json output follows the contract of DESIGN.md', () => {
  const r = run(['--format', 'json', broken, script]);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(json), ['version', 'files']);
  assert.equal(json.version, 1);
  assert.deepEqual(json.files.map((f: { file: string; dialect: string }) => [f.file, f.dialect]), [[broken, 'save'], [script, 'script']]);
  const [first] = json.files[0].diagnostics;
  assert.deepEqual(Object.keys(first).sort(), ['code', 'column', 'endColumn', 'endLine', 'line', 'message', 'severity']);
  // `--dport` on line 2, columns 17..24 (1-based, end exclusive)
  assert.deepEqual(json.files[0].diagnostics.map((d: Record<string, unknown>) => [d.code, d.severity, d.line, d.column, d.endLine, d.endColumn]), [
    ['missing-commit', 'error', 1, 1, 1, 8],
    ['syntax-error', 'error', 2, 17, 2, 24],
  ]);
  assert.deepEqual(json.files[1].diagnostics.map((d: Record<string, unknown>) => [d.code, d.line, d.column, d.endColumn]), [['syntax-error', 2, 26, 33]]);
  for (const f of json.files) for (const d of f.diagnostics) assert.ok(['error', 'warning', 'info', 'hint'].includes(d.severity));
});

test('text output: FILE:LINE:COL: SEVERITY CODE: MESSAGE', () => {
  const r = run([broken]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1], new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:17: error syntax-error: .+`));
});

test('exit 0 without error-level findings', () => {
  const r = run([clean]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('missing, binary and unreadable files: exit 2 and a clear message, no stack trace', () => {
  // (a folder is linted: see the folder test below)
  for (const f of [join(dir, 'nope.rules'), binary]) {
    const r = run([f]);
    assert.equal(r.code, 2, f);
    assert.match(r.stderr, /^iptables-lint: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('usage errors exit 2', () => {
  assert.equal(run([]).code, 2);
  assert.equal(run(['--format', 'xml', clean]).code, 2);
  assert.equal(run(['--bogus', clean]).code, 2);
  assert.equal(run(['--help']).code, 0);
});

test('severity overrides from .iptables-lint.json found upward', () => {
  const proj = mkdtempSync(join(tmpdir(), 'iptables-lint-proj-'));
  const sub = mkdtempSync(join(proj, 'sub-'));
  writeFileSync(join(proj, '.iptables-lint.json'), JSON.stringify({ rules: { 'missing-commit': 'warning', 'syntax-error': 'off' } }));
  const f = join(sub, 'x.rules');
  writeFileSync(f, '*filter\n-A INPUT -p tcp --dport\n');
  const r = run(['--format', 'json', f]);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string; severity: string }) => [d.code, d.severity]), [['missing-commit', 'warning']]);
});

test('sarif output: SARIF 2.1.0 with rules and regions', () => {
  const r = run(['--format', 'sarif', broken]);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'iptables-lint');
  assert.deepEqual(run0.tool.driver.rules.map((x: { id: string }) => x.id), ['missing-commit', 'syntax-error']);
  assert.deepEqual(run0.results.map((x: { ruleId: string; level: string; locations: { physicalLocation: { region: Record<string, number> } }[] }) => [x.ruleId, x.level, x.locations[0].physicalLocation.region]), [
    ['missing-commit', 'error', { startLine: 1, startColumn: 1, endLine: 1, endColumn: 8 }],
    ['syntax-error', 'error', { startLine: 2, startColumn: 17, endLine: 2, endColumn: 24 }],
  ]);
});

test('sarif output carries each finding\'s quick fixes as replacements, without the suppression comment; the safe ones applied give what --fix writes', () => {
  const text = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\nCOMMIT\n';
  const f = join(dir, 'fixes.rules');
  writeFileSync(f, text);
  type Region = { startLine: number; startColumn: number; endLine: number; endColumn: number };
  type SarifFix = { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Region; insertedContent: { text: string } }[] }[] };
  const results = JSON.parse(run(['--format', 'sarif', f]).stdout).runs[0].results as { ruleId: string; fixes?: SarifFix[] }[];
  const states = results.filter((x) => x.ruleId === 'deprecated-state-match');
  assert.equal(states.length, 2);
  for (const x of results) for (const fix of x.fixes ?? []) assert.ok(!fix.description.text.startsWith('Disable '), `${x.ruleId}: ${fix.description.text}`);
  // the replacements, applied to the text by line and column, end to start
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  const edits = states.flatMap((x) => x.fixes![0].artifactChanges.flatMap((c) => {
    assert.equal(c.artifactLocation.uri, f.split('/').map(encodeURIComponent).join('/'));
    return c.replacements.map((r) => ({ start: offset(r.deletedRegion.startLine, r.deletedRegion.startColumn), end: offset(r.deletedRegion.endLine, r.deletedRegion.endColumn), text: r.insertedContent.text }));
  }));
  let fixed = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) fixed = fixed.slice(0, e.start) + e.text + fixed.slice(e.end);
  assert.equal(run(['--fix', f]).code, 0);
  assert.equal(fixed, readFileSync(f, 'utf8'));
  assert.match(fixed, /-m conntrack --ctstate ESTABLISHED,RELATED/);
});

test('explain TERM prints the hover docs; unknown terms exit 1 with suggestions', () => {
  const pre = run(['explain', 'PREROUTING']);
  assert.equal(pre.code, 0);
  assert.match(pre.stdout, /before the routing decision/i);
  assert.match(run(['explain', 'DNAT']).stdout, /--to-destination/);
  assert.match(run(['explain', 'conntrack']).stdout, /--ctstate/);
  assert.match(run(['explain', '--ctstate']).stdout, /ESTABLISHED/);
  const bad = run(['explain', 'conntrak']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /nothing known as 'conntrak'/);
  assert.equal(run(['explain']).code, 2);
});

test('explain CODE prints a diagnostic\'s docs (summary, description, rationale, both examples); a misspelt code gets the code suggested', () => {
  for (const rule of rules) {
    const r = run(['explain', rule.code]);
    assert.equal(r.code, 0, rule.code);
    for (const part of [rule.summary, rule.docs.description, rule.docs.rationale, rule.docs.bad.text.trimEnd(), rule.docs.good.text.trimEnd()]) assert.ok(r.stdout.includes(part), `${rule.code}: ${part.slice(0, 40)}`);
  }
  const bad = run(['explain', 'missing-masquarade']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /missing-masquerade/);
});

test('save files: a sysctl.conf next to the rules counts as enabling forwarding', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-router-'));
  const rules = join(root, 'rules.v4');
  writeFileSync(rules, '*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n');
  const codes = () => JSON.parse(run(['--format', 'json', rules]).stdout).files[0].diagnostics.map((d: { code: string; severity: string }) => `${d.code}:${d.severity}`);
  assert.deepEqual(codes(), ['missing-ip-forward:warning']);
  writeFileSync(join(root, 'sysctl.conf'), '# router\nnet.ipv4.ip_forward = 1\n');
  assert.deepEqual(codes(), []);
});

test('save files: rules.v4 closing INPUT is judged with the rules.v6 beside it, and with the sysctl files near it', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-v6-'));
  const rules = join(root, 'rules.v4');
  writeFileSync(rules, '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  const found = () => JSON.parse(run(['--format', 'json', rules]).stdout).files[0].diagnostics.filter((d: { code: string }) => d.code === 'ipv6-left-open').map((d: { line: number; message: string }) => [d.line, /rules\.v6 beside this file leaves/.test(d.message) ? 'open' : /no rules\.v6/.test(d.message) ? 'missing' : d.message]);
  assert.deepEqual(found(), [[2, 'missing']]);
  // what netfilter-persistent saves on a host where nothing set ip6tables up
  writeFileSync(join(root, 'rules.v6'), '# Generated by ip6tables-save v1.8.9 (nf_tables)\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n');
  assert.deepEqual(found(), [[2, 'open']]);
  writeFileSync(join(root, 'rules.v6'), '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  assert.deepEqual(found(), []);
  // no rules.v6, IPv6 turned off by a sysctl file above the rules
  const etc = mkdtempSync(join(tmpdir(), 'iptables-lint-v6-off-'));
  mkdirSync(join(etc, 'iptables'));
  mkdirSync(join(etc, 'sysctl.d'));
  const inEtc = join(etc, 'iptables', 'rules.v4');
  writeFileSync(inEtc, readFileSync(rules, 'utf8'));
  const codes = () => JSON.parse(run(['--format', 'json', inEtc]).stdout).files[0].diagnostics.map((d: { code: string }) => d.code).filter((c: string) => c === 'ipv6-left-open');
  assert.deepEqual(codes(), ['ipv6-left-open']);
  writeFileSync(join(etc, 'sysctl.d', '10-no-ipv6.conf'), 'net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n');
  assert.deepEqual(codes(), []);
});

test('save files: route_localnet in the workspace\'s sysctl.d counts for a DNAT to 127.0.0.1', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-localnet-'));
  const rules = join(root, 'rules.v4');
  writeFileSync(rules, '*nat\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080\nCOMMIT\n');
  const codes = () => JSON.parse(run(['--format', 'json', rules]).stdout).files[0].diagnostics.map((d: { code: string; severity: string }) => `${d.code}:${d.severity}`);
  assert.deepEqual(codes(), ['dnat-to-loopback:warning']);
  mkdirSync(join(root, 'etc', 'sysctl.d'), { recursive: true });
  writeFileSync(join(root, 'etc', 'sysctl.d', '60-localnet.conf'), 'net.ipv4.conf.eth1.route_localnet = 1\n');
  assert.deepEqual(codes(), ['dnat-to-loopback:warning']);
  writeFileSync(join(root, 'etc', 'sysctl.d', '60-localnet.conf'), 'net.ipv4.conf.eth0.route_localnet = 1\n');
  assert.deepEqual(codes(), []);
});

const codesAndLines = (stdout: string) => JSON.parse(stdout).files.map((f: { file: string; dialect: string; diagnostics: { code: string; line: number }[] }) => [f.file, f.dialect, f.diagnostics.map((d) => `${d.code}@${d.line}`)]);

test('standard input (-): an editor\'s unsaved buffer, judged as the file --stdin-filename names', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-stdin-'));
  writeFileSync(join(root, '.iptables-lint.json'), JSON.stringify({ rules: { 'missing-loopback-accept': 'off' } }));
  writeFileSync(join(root, 'sysctl.conf'), 'net.ipv4.ip_forward = 1\n');
  const buffer = '*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n';
  const named = run(['--format', 'json', '--stdin-filename', join(root, 'rules.v4'), '-'], buffer);
  assert.equal(named.code, 1, named.stderr);
  // the config and sysctl.conf of its folder count (no missing-loopback-accept, no missing-ip-forward);
  // the rules.v6 it names is not there
  assert.deepEqual(codesAndLines(named.stdout), [[join(root, 'rules.v4'), 'save', ['ipv6-left-open@5', 'unknown-option@7']]]);
  // without a name: reported as -, the working directory's config, judged alone
  const alone = run(['--format', 'json', '-'], buffer);
  assert.deepEqual(codesAndLines(alone.stdout), [['-', 'save', ['missing-ip-forward@2', 'missing-loopback-accept@5', 'unknown-option@7']]]);
  // the name hints the dialect, as a file's does
  const script = 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n';
  assert.deepEqual(codesAndLines(run(['--format', 'json', '--stdin-filename', join(root, 'fw.sh'), '-'], script).stdout), [[join(root, 'fw.sh'), 'script', []]]);
  // text output names the file, for an editor to match its lines
  assert.match(run(['--stdin-filename', join(root, 'rules.v4'), '-'], buffer).stdout, new RegExp(`^${join(root, 'rules.v4').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:`, 'm'));
  // with files around it, in the order given
  assert.deepEqual(codesAndLines(run(['--format', 'json', clean, '-'], script).stdout).map((f: string[]) => f[0]), [clean, '-']);
});

test('standard input: binary or unreadable input exits 2; - twice and a name without - are usage errors', () => {
  const bin = run(['-'], Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
  assert.equal(bin.code, 2);
  assert.match(bin.stderr, /^iptables-lint: standard input looks like a binary file/);
  const none = run(['-']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^iptables-lint: cannot read standard input/);
  assert.equal(run(['-', '-'], '').code, 2);
  assert.equal(run(['--stdin-filename', 'x.rules', clean], '').code, 2);
  assert.equal(run(['--stdin-filename'], '').code, 2);
});

test('--max-warnings N: more warnings than N exit 1, as errors do', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-warn-'));
  const f = join(root, 'fw.rules');
  // two warnings: INPUT closed without replies or loopback accepted
  writeFileSync(f, '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  const warnings = JSON.parse(run(['--format', 'json', f]).stdout).files[0].diagnostics.filter((d: { severity: string }) => d.severity === 'warning').length;
  assert.ok(warnings >= 2, String(warnings));
  assert.equal(run([f]).code, 0);
  assert.equal(run(['--max-warnings', String(warnings), f]).code, 0);
  const over = run(['--max-warnings', String(warnings - 1), f]);
  assert.equal(over.code, 1);
  assert.match(over.stderr, new RegExp(`^iptables-lint: ${warnings} warnings, more than --max-warnings ${warnings - 1}`));
  assert.equal(run([`--max-warnings=0`, clean]).code, 0);
  for (const bad of ['-1', 'x', '1.5']) assert.equal(run(['--max-warnings', bad, f]).code, 2, bad);
  assert.equal(run(['--max-warnings']).code, 2);
});

test('the CLI process reads standard input from a pipe', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'server', 'src', 'bin', 'lint.ts'), '--format', 'json', '--stdin-filename', 'piped.rules', '-'], { input: '*filter\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n', encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(codesAndLines(r.stdout), [['piped.rules', 'save', ['unknown-option@2']]]);
});

test('a script whose model would not fit in the heap Node gives the CLI: analysis-skipped, the other files judged, no crash', () => {
  const big = join(dir, 'router.sh');
  // 2.4 MB of router script: about 170 MB of heap to model, where the process has 96 MB
  writeFileSync(big, routerScript(20_000).text);
  const r = spawnSync(process.execPath, ['--max-old-space-size=96', join(repoRoot, 'server', 'src', 'bin', 'lint.ts'), '--format', 'json', big, broken], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(codesAndLines(r.stdout), [
    [big, 'script', ['analysis-skipped@1']],
    [broken, 'save', ['missing-commit@1', 'syntax-error@2']],
  ]);
});

const OLD_STATES = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\n-A INPUT -p tcp --dprt 80 -j ACCEPT\nCOMMIT\n';
const NEW_STATES = OLD_STATES.replace('-m state --state ESTABLISHED', '-m conntrack --ctstate ESTABLISHED').replace('-m state --state NEW', '-m conntrack --ctstate NEW');

test('--fix rewrites a file with its safe fixes, keeps its mode, and reports what is left', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-fix-'));
  const f = join(root, 'rules.v4');
  writeFileSync(f, OLD_STATES, { mode: 0o600 });
  // without --fix: nothing is written, and the JSON says which findings --fix would fix
  const before = run(['--format', 'json', f]);
  assert.equal(readFileSync(f, 'utf8'), OLD_STATES);
  const listed = JSON.parse(before.stdout).files[0];
  assert.equal(listed.fixed, undefined);
  assert.deepEqual(listed.diagnostics.filter((d: { fixable?: boolean }) => d.fixable).map((d: { code: string; line: number }) => `${d.code}@${d.line}`), ['deprecated-state-match@4', 'deprecated-state-match@5']);
  const fixed = run(['--format', 'json', '--fix', f]);
  assert.equal(readFileSync(f, 'utf8'), NEW_STATES);
  assert.equal(statSync(f).mode & 0o777, 0o600);
  assert.match(fixed.stderr, /: fixed 2 findings\n$/);
  const report = JSON.parse(fixed.stdout).files[0];
  assert.equal(report.fixed, 2);
  // the typo is left (its did-you-mean changes the rule), reported where it is in the new text
  assert.deepEqual(report.diagnostics.map((d: { code: string; line: number }) => `${d.code}@${d.line}`), ['ipv6-left-open@2', 'unknown-option@6']);
  assert.equal(fixed.code, 1);
  // nothing left to fix: the file is not written again
  const mtime = statSync(f).mtimeMs;
  const again = run(['--fix', f]);
  assert.equal(again.stderr, '');
  assert.equal(statSync(f).mtimeMs, mtime);
  assert.doesNotMatch(again.stdout, /deprecated-state-match/);
});

test('a byte order mark is reported where iptables-restore fails on it, and --fix keeps it; a file that is not all UTF-8 is left as it is (exit 2)', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-fix-bytes-'));
  const bom = join(root, 'bom.rules');
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(OLD_STATES)]);
  writeFileSync(bom, withBom);
  // iptables-restore 1.8.9 fails on line 1 of such a file (legacy and nft); the file and standard input alike
  for (const r of [run(['--format', 'json', bom]), run(['--format', 'json', '-'], withBom)]) {
    assert.equal(r.code, 1);
    const first = JSON.parse(r.stdout).files[0].diagnostics[0];
    assert.deepEqual([first.code, first.severity, first.line, first.column, first.endLine, first.endColumn], ['syntax-error', 'error', 1, 1, 1, 2]);
  }
  run(['--fix', bom]);
  assert.deepEqual(readFileSync(bom), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NEW_STATES)]));
  // the fixes stand where they did: the mark is one character of the first line
  assert.deepEqual(JSON.parse(run(['--format', 'json', bom]).stdout).files[0].diagnostics.map((d: { code: string; line: number }) => `${d.code}@${d.line}`), ['syntax-error@1', 'unknown-option@6']);
  const latin1 = join(root, 'latin1.rules');
  const bytes = Buffer.concat([Buffer.from('# Pare-feu du r'), Buffer.from([0xe9]), Buffer.from('seau\n'), Buffer.from(OLD_STATES)]);
  writeFileSync(latin1, bytes);
  const r = run(['--fix', latin1]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /was not rewritten/);
  assert.deepEqual(readFileSync(latin1), bytes);
});

test('--fix with standard input: the fixed text on standard output, the report on standard error', () => {
  const r = run(['--fix', '--format', 'json', '--stdin-filename', 'rules.v4', '-'], OLD_STATES);
  assert.equal(r.stdout, NEW_STATES);
  assert.deepEqual(codesAndLines(r.stderr), [['rules.v4', 'save', ['ipv6-left-open@2', 'unknown-option@6']]]);
  assert.equal(r.code, 1);
  // nothing to fix: the text as it came
  const clean = run(['--fix', '-'], NEW_STATES);
  assert.equal(clean.stdout, NEW_STATES);
});

test('a folder stands for the iptables files under it, in name order; other files, hidden folders and node_modules are passed over', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-folder-'));
  const put = (rel: string, text: string | Buffer) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const typo = '*filter\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n';
  put('rules.v4', typo);
  // in ufw's own chain: a rule of INPUT there would be added again at each reload
  put('etc/ufw/before.rules', '*filter\n:ufw-before-input - [0:0]\n-A ufw-before-input -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n');
  put('dumps/gateway-2024-06', `# Generated by iptables-save v1.8.9\n${typo}`);
  put('fw.sh', '#!/bin/sh\nIPT=/sbin/iptables\n$IPT -A INPUT -p tcp --dprt 22 -j ACCEPT\n');
  put('lib/allow.args', 'iptables -A INPUT -p tcp --dprt 80 -j ACCEPT\n');
  // a cron job that refills a blocklist set: its create fails on the next run
  put('cron/update-blocklist', '#!/bin/sh\nipset create blocklist hash:net\nipset add blocklist 198.51.100.0/24\n');
  // not iptables files: a script that only talks about iptables, documentation quoting a rule,
  // another program's configuration, a binary, a hidden folder, dependencies
  put('install.sh', '#!/bin/sh\necho "iptables -A INPUT -p tcp --dprt 22 -j ACCEPT"\n');
  put('backup-sets.sh', '#!/bin/sh\nipset save > /var/backups/ipsets\n');
  put('README.md', 'iptables -A INPUT -p tcp --dprt 22 -j ACCEPT\n');
  put('jail.conf', 'iptables = iptables -w\n-A INPUT -p tcp --dprt 22 -j ACCEPT\n');
  put('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  put('.git/rules.v4', typo);
  put('node_modules/pkg/rules.v4', typo);
  const r = run(['--format', 'json', root]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '');
  const files = JSON.parse(r.stdout).files as { file: string; diagnostics: { code: string }[] }[];
  assert.deepEqual(files.map((f) => relative(root, f.file)), ['cron/update-blocklist', 'dumps/gateway-2024-06', 'etc/ufw/before.rules', 'fw.sh', 'lib/allow.args', 'rules.v4']);
  for (const f of files) assert.deepEqual(f.diagnostics.map((d) => d.code), [f.file.endsWith('update-blocklist') ? 'set-exists-on-rerun' : 'unknown-option'], f.file);
  // a folder with no iptables file is an error of the invocation, said on standard error
  const empty = mkdtempSync(join(tmpdir(), 'iptables-lint-folder-empty-'));
  writeFileSync(join(empty, 'notes.md'), '# nothing\n');
  const none = run([empty]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no iptables files under /);
});

test('save files: the sets rules.v4 names are checked against the ipsets file beside it', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-ipsets-'));
  const rules = join(root, 'rules.v4');
  writeFileSync(rules, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocklist src -j DROP\n-A INPUT -m set --match-set v6 src -j DROP\nCOMMIT\n');
  const found = () => JSON.parse(run(['--format', 'json', rules]).stdout).files[0].diagnostics.filter((d: { code: string }) => d.code === 'undefined-set').map((d: { line: number; severity: string }) => `${d.line}:${d.severity}`);
  assert.deepEqual(found(), [], 'no ipsets file: the sets are the host\'s');
  writeFileSync(join(root, 'ipsets'), 'create blocklst hash:net family inet hashsize 1024 maxelem 65536\ncreate v6 hash:net family inet6 hashsize 1024 maxelem 65536\n');
  assert.deepEqual(found(), ['3:warning', '4:error']);
  writeFileSync(join(root, 'ipsets'), 'create blocklist hash:net family inet hashsize 1024 maxelem 65536\ncreate v6 hash:net family inet hashsize 1024 maxelem 65536\n');
  assert.deepEqual(found(), []);
});

test('a wg-quick configuration: its hooks linted where they stand, the sysctl.conf above it read, --fix writes hook lines', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-wg-'));
  mkdirSync(join(root, 'etc', 'wireguard'), { recursive: true });
  const conf = join(root, 'etc', 'wireguard', 'wg0.conf');
  const text = [
    '[Interface]',
    'Address = 10.8.0.1/24',
    'PostUp = iptables -A FORWARD -i %i -m state --state NEW -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
    'PostDown = iptables -D FORWARD -i %i -m state --state NEW -j ACCEPT',
    '',
  ].join('\n');
  writeFileSync(conf, text);
  const report = () => JSON.parse(run(['--format', 'json', conf]).stdout).files[0].diagnostics.map((d: { code: string; severity: string; line: number; column: number }) => `${d.code}:${d.severity}@${d.line}:${d.column}`);
  assert.deepEqual(report(), ['missing-ip-forward:info@3:10', 'deprecated-state-match:info@3:39', 'rule-left-after-down:warning@3:68', 'deprecated-state-match:info@4:41']);
  writeFileSync(join(root, 'etc', 'sysctl.conf'), 'net.ipv4.ip_forward = 1\n');
  assert.deepEqual(report(), ['deprecated-state-match:info@3:39', 'rule-left-after-down:warning@3:68', 'deprecated-state-match:info@4:41']);
  // a folder holds it; the fixes keep it a configuration (both state matches changed alike: the PostDown still deletes the rule)
  assert.match(run([root]).stdout, /wg0\.conf:3:68: warning rule-left-after-down/);
  run(['--fix', conf]);
  assert.equal(readFileSync(conf, 'utf8'), text.replaceAll('-m state --state', '-m conntrack --ctstate'));
});

test('an ifupdown configuration: its hook lines linted where they stand, in a folder too, the sysctl.conf above it read; --fix keeps it a configuration; compile reads $IFACE', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-ifupdown-'));
  mkdirSync(join(root, 'etc', 'network', 'interfaces.d'), { recursive: true });
  writeFileSync(join(root, 'etc', 'sysctl.conf'), 'net.ipv4.ip_forward = 1\n');
  const file = join(root, 'etc', 'network', 'interfaces.d', 'brlan');
  const text = ['auto brlan', 'iface brlan inet static', '\taddress 10.10.10.1/24', '\tpost-up iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE', '\tpost-up iptables -A FORWARD -i $IFACE -m state --state NEW -j ACCEPT', '\tpost-down iptables -D FORWARD -i brlan -m state --state NEW -j ACCEPT', ''].join('\n');
  writeFileSync(file, text);
  const report = () => JSON.parse(run(['--format', 'json', file]).stdout).files[0].diagnostics.map((d: { code: string; severity: string; line: number; column: number }) => `${d.code}:${d.severity}@${d.line}:${d.column}`);
  assert.deepEqual(report(), ['rule-left-after-down:warning@4:10', 'deprecated-state-match:info@5:43', 'deprecated-state-match:info@6:44']);
  assert.match(run([root]).stdout, /interfaces\.d\/brlan:4:10: warning rule-left-after-down/);
  run(['--fix', file]);
  assert.equal(readFileSync(file, 'utf8'), text.replaceAll('-m state --state', '-m conntrack --ctstate'));
  assert.deepEqual(report(), ['rule-left-after-down:warning@4:10']);
  assert.match(run(['compile', file]).stdout, /^-A FORWARD -i brlan -m conntrack --ctstate NEW -j ACCEPT$/m);
});

test('a script that reads its configuration from its own folder (`$(dirname "$0")`, a variable set to it) is judged with it', () => {
  const sub = mkdtempSync(join(dir, 'router-'));
  writeFileSync(join(sub, 'gateway.conf'), 'WAN=eth0\nLAN_NET=192.168.1.0/24\n');
  const rules = 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n';
  for (const [name, head] of [['direct.sh', '. "$(dirname "$0")/gateway.conf"'], ['variable.sh', 'HERE=$(cd "$(dirname "$0")" && pwd)\n[ -r "$HERE/gateway.conf" ] && . "$HERE/gateway.conf"']]) {
    const file = join(sub, name);
    writeFileSync(file, `#!/bin/sh\n${head}\n${rules}`);
    const lines = head.split('\n').length + 1;
    assert.deepEqual(JSON.parse(run(['--format', 'json', file]).stdout).files[0].diagnostics.map((d: Record<string, unknown>) => [d.code, d.line]), [['masquerade-without-forward-accept', lines + 4]], name);
  }
});

test('a script is judged with the configuration it reads with `.`, found beside it, and so is its text after --fix', () => {
  const sub = mkdtempSync(join(dir, 'router-'));
  const file = join(sub, 'firewall.sh');
  const text = '#!/bin/sh\n. /etc/firewall.conf\nsysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n';
  writeFileSync(file, text);
  const found = () => JSON.parse(run(['--format', 'json', file]).stdout).files[0].diagnostics.map((d: Record<string, unknown>) => [d.code, d.line, d.column]);
  // without it the network is unknown: nothing to say about the NAT rule
  assert.deepEqual(found(), [['deprecated-state-match', 5, 24]]);
  writeFileSync(join(sub, 'firewall.conf'), 'WAN=eth0\nLAN_NET=192.168.1.0/24\n');
  assert.deepEqual(found(), [['deprecated-state-match', 5, 24], ['masquerade-without-forward-accept', 6, 1]]);
  // the state match fixed (a safe fix); what is left is judged with the configuration too
  const fixed = run(['--fix', file]);
  assert.match(fixed.stderr, /fixed 1 finding/);
  assert.match(fixed.stdout, /firewall\.sh:6:1: warning masquerade-without-forward-accept: /);
  assert.match(readFileSync(file, 'utf8'), /-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n/);
});
