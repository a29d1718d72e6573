import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { definiteVerdict, tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';
import { main } from '../../../server/src/cli/main.ts';

const rules = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:web - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A FORWARD -i eth0 -o eth1 -j web
-A web -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT
-A web -j RETURN
COMMIT
`;
const doc = new FirewallDocument(rules, { dialect: 'save' });
const trace = (spec: string) => tracePacket(doc.ruleSet, parsePacketSpec(spec).packet!);
const lineOf = (s: { span: { start: number } }) => doc.lines.lineOf(s.span.start) + 1;

test('a forwarded connection: DNAT, FORWARD through a user chain, MASQUERADE not applied inbound', () => {
  const o = trace('in=eth0 out=eth1 proto=tcp src=198.51.100.7 sport=40000 dst=203.0.113.1 dport=80 local=203.0.113.1');
  assert.equal(definiteVerdict(o), 'ACCEPT');
  assert.deepEqual(o[0].rewrites, { destination: '192.168.1.100:8080' });
  assert.deepEqual(o[0].path.filter((s) => s.rule).map((s) => [s.table, s.chain, lineOf(s.rule!)]), [
    ['nat', 'PREROUTING', 4],
    ['filter', 'FORWARD', 14],
    ['filter', 'web', 15],
  ]);
});

test('the public port of another service: FORWARD policy DROP decides', () => {
  const o = trace('in=eth0 out=eth1 proto=tcp dst=192.168.1.100 dport=22 local=203.0.113.1');
  assert.equal(definiteVerdict(o), 'DROP');
  assert.equal(o[0].path.at(-1)!.policy, 'DROP');
});

test('to the host itself: INPUT rules, then the policy', () => {
  assert.equal(definiteVerdict(trace('in=eth0 proto=tcp dst=203.0.113.1 dport=22 local=203.0.113.1')), 'ACCEPT');
  assert.equal(definiteVerdict(trace('in=eth0 proto=udp dst=203.0.113.1 dport=53 local=203.0.113.1')), 'DROP');
});

test('unknown fields give branches, never a guessed verdict', () => {
  const o = trace('proto=tcp dst=203.0.113.1 dport=22 local=203.0.113.1');
  assert.equal(definiteVerdict(o), 'ACCEPT', 'port 22 is accepted whatever the interface');
  const u = trace('proto=tcp dport=8080 local=203.0.113.1');
  assert.equal(definiteVerdict(u), undefined);
  assert.ok(u.some((x) => x.assumptions.length > 0));
});

test('iptables-lint trace prints the path; --format json follows the contract', () => {
  let stdout = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined };
  const file = new URL('../../../examples/port-forward-router.sh', import.meta.url).pathname;
  assert.equal(main(['trace', file, '--format', 'json', '--packet', 'in=wan0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1'], io), 0);
  const json = JSON.parse(stdout);
  assert.equal(json.verdict, 'DROP');
  assert.deepEqual(json.rewrites, { destination: '192.168.50.10:8080' });
  assert.deepEqual(json.path.map((s: { table: string; chain: string; line?: number; policy?: string }) => [s.table, s.chain, s.line ?? s.policy]), [
    ['nat', 'PREROUTING', 27],
    ['filter', 'FORWARD', 'DROP'],
  ]);
  assert.equal(main(['trace', file, '--packet', 'colour=blue'], io), 2);
});

/**
 * The first trace after a parse builds the address index over every rule. Right after a parse
 * of 100k rules V8 often collects a few hundred megabytes of the parse's garbage, and a
 * collection that falls inside the trace doubles it: each figure is the better of two fresh
 * documents, each traced once right after its parse.
 *
 * The yardstick is the parse and model of the same document, timed just before: this VM's
 * speed moves by a factor of two to four from one minute to the next (the kube-proxy trace
 * took 17-20 ms when it was written and 106 ms at best in a slow CI run), and a ratio to work
 * done in the same seconds does not. Here at rest the first trace takes 1-3% of that work
 * (25-50 ms); `npm run bench` prints it in milliseconds against the 50 ms budget. The best of
 * three documents: with two, a clean-clone run read the blocklist's at 5.1% (both traces about
 * 50 ms, where they take 22-40 ms in runs of their own on either side of that commit).
 */
const FRESH_DOCUMENTS = 3;
const FIRST_TRACE_SHARE = 0.05;
const LATER_TRACE_SHARE = 0.005;

/**
 * A fresh document of `text`, and how long its parse and model took. The first call for a
 * text builds a tenth of its rules first, so that no yardstick includes the compiler's warm-up.
 */
const warmed = new Set<string>();
function freshDocument(text: string): { doc: FirewallDocument; buildMs: number } {
  if (!warmed.has(text)) {
    warmed.add(text);
    // the table's line and the last tenth of the rules
    const tail = text.slice(text.indexOf('\n-A ', text.length * 0.9) + 1);
    void new FirewallDocument(text.slice(0, text.indexOf('\n') + 1) + tail, { dialect: 'save' }).ruleSet;
  }
  const t0 = performance.now();
  const doc = new FirewallDocument(text, { dialect: 'save' });
  void doc.ruleSet;
  return { doc, buildMs: performance.now() - t0 };
}

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

test(`a 100k-rule kube-proxy-shaped dump traces after parsing in ${percent(FIRST_TRACE_SHARE)} of the parse's time, later traces in ${percent(LATER_TRACE_SHARE)}`, () => {
  const n = 100_000;
  let out = '*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n';
  for (let i = 0; i < n / 2; i++) out += `:KUBE-SVC-${i} - [0:0]\n`;
  for (let i = 0; i < n / 2; i++) {
    out += `-A KUBE-SERVICES -d 10.96.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m comment --comment "ns/svc${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-${i}\n`;
    out += `-A KUBE-SVC-${i} -m comment --comment "ns/svc${i}:http" -p tcp -m tcp -j DNAT --to-destination 10.244.${(i >> 8) & 255}.${i & 255}:8080\n`;
  }
  out += 'COMMIT\n';
  const packet = parsePacketSpec('in=eth0 proto=tcp src=10.0.0.1 dst=10.96.100.200 dport=80 local=192.168.0.1').packet!;
  const builds: number[] = [];
  const firsts: number[] = [];
  const later: number[] = [];
  for (let d = 0; d < FRESH_DOCUMENTS; d++) {
    const { doc, buildMs } = freshDocument(out);
    builds.push(buildMs);
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      const result = tracePacket(doc.ruleSet, packet);
      (k === 0 ? firsts : later).push(performance.now() - t0);
      assert.deepEqual(result[0].rewrites, { destination: '10.244.100.200:8080' });
    }
  }
  const first = Math.min(...firsts.map((t, d) => t / builds[d]));
  const next = Math.min(...later) / Math.min(...builds);
  console.log(`trace on 100k rules: parse and model ${builds.map((t) => t.toFixed(0)).join(' / ')} ms; first trace ${firsts.map((t) => t.toFixed(1)).join(' / ')} ms on those fresh documents (builds the address index, ${percent(first)} at best), then ${later.map((t) => t.toFixed(1)).join(' / ')} ms`);
  assert.ok(first < FIRST_TRACE_SHARE, `first trace ${percent(first)} of the parse`);
  assert.ok(next < LATER_TRACE_SHARE, `later traces ${percent(next)} of the parse`);
});

test(`a 100k-rule blocklist (one source network per rule) traces to its verdict after parsing in ${percent(FIRST_TRACE_SHARE)} of the parse's time`, () => {
  const n = 100_000;
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'];
  for (let i = 0; i < n; i++) lines.push(`-A FORWARD -s ${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24 -m comment --comment "blocked ${i}" -j DROP`);
  lines.push('-A FORWARD -i wan0 -o lan0 -p tcp -m tcp --dport 443 -j ACCEPT', 'COMMIT', '');
  const text = lines.join('\n');
  const cases: [string, string, number][] = [
    // a blocked network: the DROP rule for 10.200.7.0/24 (rule 1 + 200·256 + 7 after the conntrack rule)
    ['in=wan0 out=lan0 proto=tcp src=10.200.7.9 dst=192.168.1.10 dport=443', 'DROP', 1 + 200 * 256 + 7],
    // a source in no listed network: every DROP is skipped, the last rule accepts
    ['in=wan0 out=lan0 proto=tcp src=203.0.113.5 dst=192.168.1.10 dport=443', 'ACCEPT', n + 1],
  ];
  // each case first after a fresh parse, on its own documents
  for (const [spec, verdict, index] of cases) {
    const packet = parsePacketSpec(spec).packet!;
    const builds: number[] = [];
    const times: number[] = [];
    for (let d = 0; d < FRESH_DOCUMENTS; d++) {
      const { doc, buildMs } = freshDocument(text);
      builds.push(buildMs);
      const forward = doc.ruleSet.tables.get('ipv4:filter')!.chains.get('FORWARD')!;
      const t0 = performance.now();
      const result = tracePacket(doc.ruleSet, packet);
      times.push(performance.now() - t0);
      assert.equal(result.length, 1);
      assert.equal(result[0].verdict, verdict, 'decided, not cut short by the work budget');
      const step = result[0].path.find((s) => s.chain === 'FORWARD' && s.rule);
      assert.equal(step && forward.rules.indexOf(step.rule!), index);
    }
    const share = Math.min(...times.map((t, d) => t / builds[d]));
    console.log(`blocklist trace (${verdict}): parse and model ${builds.map((t) => t.toFixed(0)).join(' / ')} ms; first trace ${times.map((t) => t.toFixed(1)).join(' / ')} ms on those fresh documents (${percent(share)} at best)`);
    assert.ok(share < FIRST_TRACE_SHARE, `trace ${percent(share)} of the parse`);
  }
});

test('a branch no packet can take is not followed: rules assumed (not) to match decide the rules they cover', () => {
  const d = new FirewallDocument('*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.0.0/16 -p tcp --dport 22 -j ACCEPT\n-A INPUT -s 192.0.2.7 -j LOG\n-A INPUT -s 192.0.2.0/24 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n', { dialect: 'save' });
  const o = tracePacket(d.ruleSet, parsePacketSpec('in=eth0 proto=tcp dst=203.0.113.1 dport=22 local=203.0.113.1').packet!);
  const ways = o.map((x) => `${x.verdict} ${x.assumptions.map((a) => `${d.lines.lineOf(a.rule.span.start) + 1}${a.matched ? '+' : '-'}`).join(' ')}`);
  // the source is unknown: in 10/8 (dropped), else never in 10.1/16 (line 4 is no branch);
  // logged as 192.0.2.7, certainly in 192.0.2.0/24 (line 6 is no branch there). Before: six
  // ways, two of them no packet can take
  assert.deepEqual(ways, ['DROP 3+', 'ACCEPT 3- 5+', 'ACCEPT 3- 5- 6+', 'ACCEPT 3- 5- 6-']);
});

test('an assumption puts an unknown address inside or outside a network: tests of networks apart from it, or inside it, are decided', () => {
  const d = new FirewallDocument('*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -j LOG\n-A INPUT -s 192.0.2.0/24 -j ACCEPT\n-A INPUT ! -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.0.0/16 -j ACCEPT\n-A INPUT ! -s 10.1.0.0/16 -j REJECT\nCOMMIT\n', { dialect: 'save' });
  const o = tracePacket(d.ruleSet, parsePacketSpec('in=eth0 proto=tcp dst=203.0.113.1 dport=22 local=203.0.113.1').packet!);
  const ways = o.map((x) => `${x.verdict} ${x.assumptions.map((a) => `${d.lines.lineOf(a.rule.span.start) + 1}${a.matched ? '+' : '-'}`).join(' ')}`).sort();
  // logged (in 10/8): not in 192.0.2.0/24, `! -s 10/8` false; not logged: `! -s 10/8` true;
  // not in 10.1/16: `! -s 10.1/16` true. Ten ways before (nine with covers() alone), six of them no packet can take
  assert.deepEqual(ways, ['ACCEPT 3+ 6+', 'ACCEPT 3- 4+', 'DROP 3- 4-', 'REJECT 3+ 6-']);
});
