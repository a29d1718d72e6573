import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { getMatch, getTarget } from '../../server/src/core/knowledge/index.ts';
import { corpusRoot, repoRoot } from '../support/paths.ts';
import { NamespaceIptables, pool } from './realIptables.ts';
import { generateCases } from './ruleGenerator.ts';

/**
 * The real iptables-restore decides whether a rule is valid; our verdict (any error-level
 * finding) must agree on at least 99% of the cases. Disagreements are written, with the
 * reason we know of, to test/oracle/disagreements.txt.
 */
interface Case {
  source: string;
  family: 'ipv4' | 'ipv6';
  table: string;
  chain: string;
  rule: string;
}

function tCases(): Case[] {
  const dir = join(corpusRoot, 'iptables-tests', 'extensions');
  if (!existsSync(dir)) return [];
  const out: Case[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.t') || /^lib(arpt|ebt)_/.test(f)) continue;
    const family = f.startsWith('libip6t_') ? 'ipv6' : 'ipv4';
    let table = 'filter';
    let chains = ['INPUT'];
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line.startsWith('*')) table = line.slice(1).trim();
      else if (line.startsWith(':')) chains = line.slice(1).trim().split(',');
      else if (line && !line.startsWith('#')) {
        const rule = line.split(';')[0];
        out.push({ source: `${f}`, family, table, chain: chains[0], rule });
      }
    }
  }
  return out;
}

function restoreText(c: Case): string {
  return `*${c.table}\n-A ${c.chain} ${c.rule}\nCOMMIT\n`;
}

/** Why we may legitimately differ: the rule needs something of the host, not of the rules. */
function hostReason(c: Case): string | undefined {
  for (const m of c.rule.matchAll(/(?:^|\s)(?:-m|--match)\s+(\S+)/g)) {
    const spec = getMatch(m[1]);
    if (spec?.hostDependent) return `-m ${m[1]}: ${spec.hostDependent}`;
  }
  const j = /(?:^|\s)-j\s+(\S+)/.exec(c.rule);
  const t = j ? getTarget(j[1]) : undefined;
  if (t?.hostDependent) return `-j ${j![1]}: ${t.hostDependent}`;
  return undefined;
}

const { ns, skip } = NamespaceIptables.forTests('the oracle in a namespace');

test('our verdicts agree with the real iptables-restore on ≥ 99% of the cases', { skip, timeout: 15 * 60_000 }, async () => {
  const cases: Case[] = [...tCases(), ...generateCases(5000).map((g) => ({ source: `generated:${g.kind}`, family: g.family, table: g.table, chain: g.chain, rule: g.rule }))];
  assert.ok(cases.length >= 6000, `${cases.length} cases`);
  const kernel = await pool(cases, 4, (c) => ns.load(restoreText(c), c.family));
  let agree = 0;
  const lines: string[] = [];
  const byReason = new Map<string, number>();
  cases.forEach((c, i) => {
    const text = restoreText(c);
    const doc = new FirewallDocument(text, { dialect: 'save', family: c.family });
    const errors = doc.diagnostics().filter((d) => d.severity === 'error');
    const ours = errors.length === 0;
    if (ours === kernel[i].ok) {
      agree++;
      return;
    }
    const reason = hostReason(c) ?? (kernel[i].ok ? `we report ${errors.map((e) => e.code).join(', ')} but iptables accepts` : `iptables refuses: ${kernel[i].message}`);
    const key = reason.replace(/'[^']*'|"[^"]*"|`[^']*'/g, '…').slice(0, 60);
    byReason.set(key, (byReason.get(key) ?? 0) + 1);
    lines.push(`${c.source}\t${c.family}\t*${c.table} -A ${c.chain} ${c.rule}\n\tiptables: ${kernel[i].ok ? 'accepts' : kernel[i].message}\n\tours: ${ours ? 'no error' : errors.map((e) => `${e.code}: ${e.message}`).join(' | ')}\n\treason: ${reason}`);
  });
  const pct = (100 * agree) / cases.length;
  const header = `# Cases where iptables-lint and the real iptables-restore (1.8.9, nf_tables, in a network\n# namespace) disagree. Written by test/oracle/oracle.test.ts; ${cases.length} cases, ${agree} agree (${pct.toFixed(2)}%).\n\n`;
  writeFileSync(join(repoRoot, 'test', 'oracle', 'disagreements.txt'), header + lines.join('\n\n') + '\n');
  console.log(`oracle: ${cases.length} cases, agreement ${pct.toFixed(2)}% (${cases.length - agree} disagreements, see test/oracle/disagreements.txt)`);
  for (const [k, n] of [...byReason].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`oracle:   ${n}\t${k}`);
  assert.ok(pct >= 99, `agreement ${pct.toFixed(2)}%`);
});
