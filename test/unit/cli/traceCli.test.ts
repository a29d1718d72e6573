import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, needBuild } from '../../support/paths.ts';
import { uncertainForwardScript } from '../../support/traceFixtures.ts';
import { routerScript } from '../../support/kubeDump.ts';

/**
 * `iptables-lint trace` as a pipeline runs it: the built CLI, its exit code, its JSON (the
 * contract of DESIGN.md, with `branches[].conditions` when the trace is uncertain) and its
 * text output.
 */
const skip = needBuild();
const dir = mkdtempSync(join(tmpdir(), 'iptables-trace-cli-'));

const uncertain = join(dir, 'fw.sh');
writeFileSync(uncertain, uncertainForwardScript);

const router = join(dir, 'rules.v4');
writeFileSync(
  router,
  [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080',
    '-A POSTROUTING -o eth1 -j MASQUERADE',
    'COMMIT',
    '*filter',
    ':FORWARD DROP [0:0]',
    ':web - [0:0]',
    '-A FORWARD -i eth0 -o eth1 -j web',
    '-A web -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT',
    'COMMIT',
    '',
  ].join('\n'),
);

function trace(file: string, spec: string, json: boolean) {
  const r = spawnSync(process.execPath, [dist('iptables-lint.cjs'), 'trace', file, '--packet', spec, ...(json ? ['--format', 'json'] : [])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

interface JsonTrace {
  file: string;
  verdict: string;
  packet: string;
  path: { table: string; chain: string; kind: string; line?: number; policy?: string }[];
  rewrites: { destination?: string; source?: string };
  branches?: { verdict: string; path: { chain: string; line?: number }[]; conditions: { line: number; assumed: string }[] }[];
}

test('json: an uncertain trace lists each branch with the lines it assumes, a shell variable and a recent match among them', { skip }, () => {
  const j = JSON.parse(trace(uncertain, 'in=eth1 proto=tcp dst=10.0.0.1 dport=22', true)) as JsonTrace;
  assert.equal(j.file, uncertain);
  assert.equal(j.verdict, 'UNCERTAIN');
  assert.ok(j.branches);
  assert.deepEqual(
    j.branches.map((b) => [b.verdict, b.conditions]),
    [
      ['DROP', [{ line: 3, assumed: 'matches' }]],
      ['REJECT', [{ line: 3, assumed: 'does not match' }, { line: 4, assumed: 'matches' }]],
      ['ACCEPT', [{ line: 3, assumed: 'does not match' }, { line: 4, assumed: 'does not match' }]],
    ],
  );
  assert.deepEqual(j.branches.map((b) => b.path.at(-1)?.line), [3, 4, 5]);
  // the top-level path and rewrites are the first branch's, as the contract has them
  assert.deepEqual(j.path, j.branches[0].path);
});

test('text: an uncertain trace names each branch, its condition lines and the rule that decides it', { skip }, () => {
  const out = trace(uncertain, 'in=eth1 proto=tcp dst=10.0.0.1 dport=22', false);
  const blocks = out.split(/^(?=branch )/m).filter((b) => b.startsWith('branch '));
  assert.equal(blocks.length, 3, out);
  const want: [string, number[], number][] = [
    ['DROP', [3], 3],
    ['REJECT', [3, 4], 4],
    ['ACCEPT', [3, 4], 5],
  ];
  blocks.forEach((b, i) => {
    const [verdict, conditionLines, decidedAt] = want[i];
    const head = b.split('\n')[0];
    assert.ok(head.includes(`${i + 1} of 3`), head);
    assert.deepEqual([...head.matchAll(/line (\d+)/g)].map((m) => Number(m[1])), conditionLines, head);
    assert.ok(b.includes(`${uncertain}:${decidedAt}:`), b);
    assert.match(b, new RegExp(`verdict: ${verdict}\\n`));
  });
  assert.match(out, /\nverdict: UNCERTAIN\n$/);
});

test('text and json: a certain trace lists the chains in order with the deciding rules\' lines, the rewrite and the verdict', { skip }, () => {
  const spec = 'in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1';
  const out = trace(router, spec, false);
  assert.doesNotMatch(out, /^branch /m);
  const steps = out.split('\n').filter((l) => /^ {2}\w+\/\S+: /.test(l)).map((l) => {
    const m = /^ {2}(\w+)\/(\S+): (?:\S+:(\d+): )?/.exec(l)!;
    return [m[1], m[2], m[3] ? Number(m[3]) : undefined];
  });
  assert.deepEqual(steps, [
    ['nat', 'PREROUTING', 4],
    ['filter', 'FORWARD', 10],
    ['filter', 'web', 11],
    ['nat', 'POSTROUTING', 5],
  ]);
  assert.ok(out.includes(`${router}:11: -A web -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT`));
  assert.match(out, /destination rewritten to 192\.168\.1\.100:8080/);
  assert.match(out, /\nverdict: ACCEPT\n$/);

  const j = JSON.parse(trace(router, spec, true)) as JsonTrace;
  assert.equal(j.verdict, 'ACCEPT');
  assert.equal(j.branches, undefined);
  assert.deepEqual(j.path.map((s) => [s.table, s.chain, s.line]), steps);
  assert.deepEqual(j.rewrites.destination, '192.168.1.100:8080');

  // decided by a policy: the chain is listed, with no line
  const dropped = trace(router, 'in=eth0 out=eth1 proto=udp dst=192.168.1.7 dport=53 local=203.0.113.1', false);
  assert.match(dropped, /^ {2}filter\/FORWARD: policy DROP$/m);
  assert.match(dropped, /\nverdict: DROP\n$/);
});

test('json: ICMPv6 types by name and number; neighbour discovery is untracked, so only its own accept lets it in', { skip }, () => {
  const v6 = join(dir, 'rules.v6');
  writeFileSync(v6, ['*filter', ':INPUT DROP [0:0]', '-A INPUT -i lo -j ACCEPT', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-A INPUT -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT', 'COMMIT', ''].join('\n'));
  const at = (spec: string) => {
    const j = JSON.parse(trace(v6, `family=ipv6 proto=ipv6-icmp dst=fd00::1 local=fd00::1 ${spec}`, true)) as JsonTrace;
    return [j.verdict, j.path.find((s) => s.chain === 'INPUT')?.line ?? j.path.find((s) => s.chain === 'INPUT')?.policy];
  };
  assert.deepEqual(at('icmp-type=neighbour-solicitation state=UNTRACKED'), ['DROP', 'DROP']);
  assert.deepEqual(at('icmp-type=136 state=UNTRACKED'), ['ACCEPT', 5]);
  assert.deepEqual(at('icmp-type=echo-reply state=ESTABLISHED'), ['ACCEPT', 4]);
});

test("text and json: raw's NOTRACK is listed with its line and said to untrack the packet; the DNAT after it is not", { skip }, () => {
  const untracked = join(dir, 'untracked.rules');
  writeFileSync(untracked, `*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 80 -j NOTRACK\nCOMMIT\n${readFileSync(router, 'utf8')}`);
  const spec = 'in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1';
  const out = trace(untracked, spec, false);
  assert.ok(out.includes(`  raw/PREROUTING: ${untracked}:3: -A PREROUTING -i eth0 -p tcp --dport 80 -j NOTRACK (untracked from here on: no nat)\n  raw/PREROUTING: policy ACCEPT\n`), out);
  assert.doesNotMatch(out, /destination rewritten/);
  const j = JSON.parse(trace(untracked, spec, true)) as JsonTrace;
  assert.deepEqual(j.path.slice(0, 2).map((s) => [s.chain, s.kind, s.line]), [['PREROUTING', 'untrack', 3], ['PREROUTING', 'policy', undefined]]);
});

test("a save file's host: the trace reads the sysctl files kept around it, as lint does", { skip }, () => {
  // five folders deep: the search (the file's folder and four above) stays inside this test's folder
  const repo = join(dir, 'repo', 'a', 'b', 'c', 'router');
  mkdirSync(join(repo, 'etc', 'sysctl.d'), { recursive: true });
  const rules = join(repo, 'etc', 'rules.v4');
  writeFileSync(rules, readFileSync(router, 'utf8'));
  const conf = join(repo, 'etc', 'sysctl.d', '10-router.conf');
  const spec = 'in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1';
  const run = (setting: string) => {
    writeFileSync(conf, setting);
    return [JSON.parse(trace(rules, spec, true)) as JsonTrace & { routing?: string }, trace(rules, spec, false)] as const;
  };
  const [off, offText] = run('net.ipv4.ip_forward = 0\n');
  assert.equal(off.verdict, 'DROP');
  assert.deepEqual(off.path.map((s) => s.chain), ['PREROUTING']);
  assert.match(off.routing!, /10-router\.conf.*net\.ipv4\.ip_forward=0/);
  assert.match(offText, /^ {2}.*10-router\.conf.*net\.ipv4\.ip_forward=0.*\n {2}verdict: DROP\n/m);
  const [on] = run('net.ipv4.ip_forward = 1\n');
  assert.deepEqual([on.verdict, on.routing], ['ACCEPT', undefined]);
  const [unset] = run('# nothing about forwarding\n');
  assert.equal(unset.verdict, 'ACCEPT');
  assert.match(unset.routing!, /net\.ipv4\.ip_forward=1/);
  // lint reads the same files: forwarding off is its warning
  const lint = spawnSync(process.execPath, [dist('iptables-lint.cjs'), '--format', 'json', rules], { encoding: 'utf8' });
  const codes = (JSON.parse(lint.stdout) as { files: { diagnostics: { code: string }[] }[] }).files[0].diagnostics.map((d) => d.code);
  assert.ok(codes.includes('missing-ip-forward'), lint.stdout);
});

test('a save file\'s set matches are decided by the members of the ipsets file restored before it at boot', { skip }, () => {
  const etc = join(dir, 'etc-iptables');
  mkdirSync(etc);
  const rules = join(etc, 'rules.v4');
  writeFileSync(rules, '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m set --match-set admins src -j ACCEPT\nCOMMIT\n');
  const verdict = (src: string) => (JSON.parse(trace(rules, `proto=tcp src=${src} dst=10.0.0.1 dport=22 local=10.0.0.1`, true)) as JsonTrace).verdict;
  // without the ipsets file: either way
  assert.equal(verdict('198.51.100.7'), 'UNCERTAIN');
  writeFileSync(join(etc, 'ipsets'), 'create admins hash:net family inet hashsize 1024 maxelem 65536\nadd admins 198.51.100.0/28\n');
  assert.equal(verdict('198.51.100.7'), 'ACCEPT');
  assert.equal(verdict('198.51.100.77'), 'DROP');
});

test('a script\'s set matches are decided by the sets it makes and fills itself', { skip }, () => {
  const script = join(dir, 'sets.sh');
  writeFileSync(script, '#!/bin/sh\nipset create admins hash:ip\nipset add admins 198.51.100.7\niptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -m set --match-set admins src -j ACCEPT\n');
  const verdict = (src: string) => (JSON.parse(trace(script, `proto=tcp src=${src} dst=10.0.0.1 dport=22 local=10.0.0.1`, true)) as JsonTrace).verdict;
  assert.equal(verdict('198.51.100.7'), 'ACCEPT');
  assert.equal(verdict('198.51.100.8'), 'DROP');
});

test('a script\'s trace reads the configuration it reads with `.`, as lint does: the forward to the configured server, certain', { skip }, () => {
  const sub = mkdtempSync(join(dir, 'router-'));
  const script = join(sub, 'router.sh');
  writeFileSync(script, '#!/bin/sh\n. ./router.conf\niptables -P FORWARD DROP\niptables -t nat -A PREROUTING -i $WAN -p tcp --dport 80 -j DNAT --to-destination $WEB:8080\niptables -A FORWARD -i $WAN -p tcp -d $WEB --dport 8080 -j ACCEPT\n');
  writeFileSync(join(sub, 'router.conf'), 'WAN=eth0\nWEB=192.168.1.100\n');
  const j = JSON.parse(trace(script, 'in=eth0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1', true)) as JsonTrace;
  assert.equal(j.branches, undefined, 'no branch on an unknown variable');
  assert.equal(j.verdict, 'ACCEPT');
  assert.equal(j.rewrites.destination, '192.168.1.100:8080');
  assert.deepEqual(j.path.filter((s) => s.line !== undefined).map((s) => [s.chain, s.line]), [['PREROUTING', 4], ['FORWARD', 5]]);
});

test('a script whose model would not fit in the heap is not traced: exit 2 and why, where V8 ended the process; a binary file neither', { skip }, () => {
  const binary = join(dir, 'blob.rules');
  writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0]));
  const big = join(dir, 'router.sh');
  // 2.4 MB of router script: about 170 MB of heap to model, where the process has 96 MB
  writeFileSync(big, routerScript(20_000).text);
  for (const [file, args] of [[binary, []], [big, ['--max-old-space-size=96']]] as const) {
    const r = spawnSync(process.execPath, [...args, dist('iptables-lint.cjs'), 'trace', file, '--packet', 'in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80'], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${file}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`iptables-lint: ${file}`), r.stderr);
    assert.doesNotMatch(r.stderr, /FATAL ERROR/);
  }
});
