import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FirewallDocument } from '../../../server/src/core/facade.ts';

/**
 * 100,000 random and mutated inputs through both dialects: nothing throws (the facade would
 * turn a throw into an internal-error diagnostic, which counts as a failure here) and no
 * single input takes over a second (a pathological blow-up, not a timing budget: those live in `npm run bench`).
 */
const seeds = [
  '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n',
  '*nat\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\nCOMMIT\n',
  'IPT=/sbin/iptables\n$IPT -A INPUT -s "$NET" -j ACCEPT\niptables-restore <<-EOF\n\t*filter\n\tCOMMIT\n\tEOF\nsysctl -w net.ipv4.ip_forward=1\n',
  'for p in 22 80; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\necho 1 > /proc/sys/net/ipv4/ip_forward\n',
  'ipset destroy bl 2>/dev/null\nipset create bl hash:net family inet6\nipset restore -exist <<EOF\ncreate t hash:ip timeout 0\nEOF\nip6tables -A INPUT -m set --match-set bl src --packets-gt 3 -j DROP\niptables -A INPUT -j SET --add-set t src --timeout 60\nipset rename bl b2\n',
];
const alphabet = ['*', ':', '-', '--', '!', '"', "'", '\\', '\n', '\r', ' ', '\t', '#', '$', '(', ')', '`', '[', ']', '<<', 'EOF', '-A', '-j', '-m', 'tcp', '--dport', 'COMMIT', '*filter', '=', ';', '|', '&', '{', '}', 'INPUT', '\u0000', '\uFEFF'];

const fragment = fc.oneof(fc.constantFrom(...alphabet), fc.string({ maxLength: 8 }));
const randomDoc = fc.array(fragment, { maxLength: 60 }).map((a) => a.join(''));
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(6), fragment), { maxLength: 6 }))
  .map(([seed, edits]) => {
    let s = seed;
    for (const [pos, del, ins] of edits) {
      const at = pos % (s.length + 1);
      s = s.slice(0, at) + ins + s.slice(at + del);
    }
    return s;
  });

function lint(text: string, dialect: 'save' | 'script') {
  const t0 = performance.now();
  const diags = new FirewallDocument(text, { dialect }).diagnostics();
  return { diags, ms: performance.now() - t0 };
}

function check(text: string): void {
  for (const dialect of ['save', 'script'] as const) {
    let { diags, ms } = lint(text, dialect);
    // a blow-up is slow every time; a pause of the machine (a collection, the browser tests
    // running beside) is not: a slow input is timed once more before it counts
    if (ms >= 1000) ({ diags, ms } = lint(text, dialect));
    assert.ok(!diags.some((d) => d.code === 'internal-error'), `internal error on ${JSON.stringify(text)}: ${diags.find((d) => d.code === 'internal-error')?.message}`);
    assert.ok(ms < 1000, `${ms.toFixed(1)} ms on ${JSON.stringify(text.slice(0, 200))}`);
    for (const d of diags) assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, `bad span ${JSON.stringify(d.span)}`);
  }
}

test('50,000 random documents in both dialects', () => {
  fc.assert(fc.property(randomDoc, (text) => check(text)), { numRuns: 50_000 });
});

test('50,000 mutated real documents in both dialects', () => {
  fc.assert(fc.property(mutated, (text) => check(text)), { numRuns: 50_000 });
});
