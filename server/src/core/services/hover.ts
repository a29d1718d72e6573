import { getChain, getMatch, getTable, getTarget, implicitMatchForProtocol } from '../knowledge/index.ts';
import { dnatChecks } from '../analysis/dnatPaths.ts';
import type { FirewallDocument } from '../facade.ts';
import type { Rule } from '../model/types.ts';
import type { Span } from '../text/span.ts';
import { commandAt } from './commandAt.ts';
import { explainChain, explainExtension, explainOption, explainTable } from './explain.ts';
import { valueHover } from './valueHover.ts';

export interface Hover {
  span: Span;
  markdown: string;
}

const inside = (s: Span, o: number) => o >= s.start && o <= s.end;

/** Documentation for the word under the cursor: table, chain, option, match, target, value. */
export function hoverAt(doc: FirewallDocument, offset: number): Hover | undefined {
  const rs = doc.ruleSet;
  for (const t of rs.tables.values()) {
    for (const s of t.spans) {
      const spec = getTable(t.name);
      if (inside(s, offset) && spec) return { span: s, markdown: explainTable(spec) };
    }
  }
  const ref = doc.chains.at(offset);
  if (ref) {
    const builtin = getChain(ref.name);
    if (doc.chains.isBuiltin(ref) && builtin) return { span: ref.span, markdown: explainChain(builtin) };
    return { span: ref.span, markdown: userChainHover(doc, ref.family, ref.table, ref.name) };
  }
  const cmd = commandAt(rs, offset);
  if (!cmd) return undefined;
  if (cmd.tableSpan && inside(cmd.tableSpan, offset)) {
    const spec = getTable(cmd.table);
    if (spec) return { span: cmd.tableSpan, markdown: explainTable(spec) };
  }
  const rule = cmd.rule;
  for (const item of cmd.args.items) {
    const bound = rule?.options.find((o) => o.item === item) ?? undefined;
    if (inside(item.nameSpan, offset)) {
      if (bound?.spec) {
        const owner = bound.owner === 'generic' ? undefined : bound.owner.spec;
        return { span: item.nameSpan, markdown: explainOption(bound.spec, owner) };
      }
      return undefined;
    }
    for (const w of item.values) {
      if (!inside(w.span, offset) || w.dynamic) continue;
      const name = bound?.name;
      if (name === '--match') {
        const m = getMatch(w.value);
        if (m) return { span: w.span, markdown: explainExtension(m) };
      } else if (name === '--jump') {
        const t = getTarget(w.value);
        if (t) return { span: w.span, markdown: (t.name === 'DNAT' && rule ? dnatSummary(doc, rule) : '') + explainExtension(t) };
      } else if (name === '--protocol') {
        const m = implicitMatchForProtocol(w.value);
        const text = m ? `Protocol **${w.value}**. Loads the \`${m.name}\` match, so its options work without \`-m ${m.name}\`.\n\n${m.summary}` : `Protocol **${w.value}**.`;
        return { span: w.span, markdown: text };
      } else if (bound?.spec) {
        const arg = bound.spec.args[item.values.indexOf(w)];
        const md = arg ? valueHover(arg, w.value) : undefined;
        if (md) return { span: w.span, markdown: md };
      }
    }
  }
  return undefined;
}

/** What happens to the connections this DNAT rule forwards, from the packet evaluator. */
function dnatSummary(doc: FirewallDocument, rule: Rule): string {
  const check = dnatChecks(doc.ruleSet).find((c) => c.dnat === rule);
  if (!check) return '';
  const p = check.packet;
  const where = `${p.dst}${p.dport !== undefined ? `:${p.dport}` : ''}`;
  const line = (s: { start: number }) => doc.lines.lineOf(s.start) + 1;
  const verdicts = new Set(check.forward.map((o) => o.verdict));
  let text: string;
  if (verdicts.size === 1 && verdicts.has('ACCEPT')) {
    const step = [...check.forward[0].path].reverse().find((s) => s.rule || s.policy);
    text = step?.rule ? `reaches ${where} via ${step.chain} rule at line ${line(step.rule.span)}` : `reaches ${where} (FORWARD policy ACCEPT)`;
  } else if (verdicts.size === 1) {
    const step = [...check.forward[0].path].reverse().find((s) => s.rule || s.policy);
    text = step?.rule ? `${check.forward[0].verdict === 'REJECT' ? 'rejected' : 'dropped'} by ${step.chain} rule at line ${line(step.rule.span)}` : `dropped by FORWARD policy ${check.forward[0].verdict}`;
  } else text = `may reach ${where}: it depends on rules the trace cannot decide (${check.forward.length} branches)`;
  return `**This forward:** a new connection ${text}.\n\n---\n\n`;
}

function userChainHover(doc: FirewallDocument, family: string, table: string, name: string): string {
  const lines = doc.lines;
  const t = doc.ruleSet.tables.get(`${family}:${table}`);
  const chain = t?.chains.get(name);
  const refs = doc.chains.of(family as 'ipv4', table, name);
  const jumps = refs.filter((r) => r.kind === 'jump' || r.kind === 'goto');
  const decl = chain?.declarations[0];
  const parts = [`**${name}** — user chain in the ${table} table`];
  if (decl) parts.push('', `Declared on line ${lines.lineOf(decl.span.start) + 1}.`);
  else parts.push('', 'Never declared: iptables refuses rules and jumps to it.');
  if (chain) parts.push(`${chain.rules.length} rule${chain.rules.length === 1 ? '' : 's'}; a packet that reaches its end returns to the calling chain.`);
  if (jumps.length) {
    parts.push('', 'Reached from:');
    for (const j of jumps.slice(0, 20)) {
      parts.push(`- line ${lines.lineOf(j.span.start) + 1}${j.from ? ` in ${j.from}` : ''} (${j.kind === 'goto' ? '-g' : '-j'})`);
    }
    if (jumps.length > 20) parts.push(`- … and ${jumps.length - 20} more`);
  } else parts.push('', 'Nothing jumps to it.');
  return parts.join('\n');
}
