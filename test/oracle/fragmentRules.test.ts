import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { getMatch, getTarget } from '../../server/src/core/knowledge/index.ts';
import { fragmentRules } from './fragmentRules.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Rules put together at random from fragments (see fragmentRules.ts), each added on its own by
 * the real iptables in a namespace of this test's own, then flushed: the rules iptables
 * refuses are exactly those with an error-level finding. These found a parameter given twice,
 * DROP in the nat table, udp's ports past 65535 (taken, modulo 65536), RATEEST's averages and
 * the hooks of socket, realm and the policy match's directions, and an explosion of the
 * packet simulator on rules that may or may not match.
 */
const { ns, skip } = NamespaceIptables.forTests('rules from random fragments in a namespace');

/** A rule whose fate depends on the host, not on the rules: a kernel module, an object made elsewhere. */
function hostDependent(line: string): boolean {
  for (const m of line.matchAll(/ -m (\S+)/g)) if (getMatch(m[1])?.hostDependent) return true;
  const j = / -j (\S+)/.exec(line);
  return !!(j && getTarget(j[1])?.hostDependent);
}

test('rules made from random fragments fail for real exactly where the product reports an error', { skip, timeout: 5 * 60_000 }, () => {
  const wrong: string[] = [];
  let loaded = 0;
  let refused = 0;
  for (const seed of [1, 2, 3]) {
    const rules = fragmentRules(seed, 600);
    const text = rules.map((r) => r.line).join('\n') + '\n';
    const starts: number[] = [];
    for (let at = 0, i = 0; i < rules.length; at += rules[i].line.length + 1, i++) starts.push(at);
    const lineOf = (offset: number) => starts.findLastIndex((s) => s <= offset);
    const reported = new Map<number, string>();
    for (const d of lintText(text, { dialect: 'script' }).diagnostics) if (d.severity === 'error' && !reported.has(lineOf(d.span.start))) reported.set(lineOf(d.span.start), `${d.code}: ${d.message}`);
    // one shell on standard input (the rules are too long for one argument), each rule's status after it
    const script = rules.map((r, i) => `${r.line} >/dev/null 2>/tmp/fragment.err; echo "@@${i} $? $(head -1 /tmp/fragment.err)"; ${r.tool} -t ${r.table} -F`).join('\n');
    const run = ns.run(['sh'], script);
    const failed = new Map<number, string>();
    for (const m of run.out.matchAll(/^@@(\d+) (\d+) ?(.*)$/gm)) if (m[2] !== '0') failed.set(Number(m[1]), m[3]);
    assert.equal([...run.out.matchAll(/^@@/gm)].length, rules.length, 'every rule ran');
    rules.forEach((r, i) => {
      if (failed.has(i)) refused++;
      else loaded++;
      if (hostDependent(r.line) || /missing kernel module/.test(failed.get(i) ?? '')) return;
      if (reported.has(i) !== failed.has(i)) wrong.push(`${r.line}\n  iptables: ${failed.get(i) ?? 'adds it'}\n  product: ${reported.get(i) ?? 'no error'}`);
    });
  }
  assert.deepEqual(wrong, []);
  assert.ok(loaded > 100 && refused > 1000, `${loaded} loaded, ${refused} refused`);
});
