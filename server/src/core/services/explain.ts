import { managedChain, type ManagedChain } from '../knowledge/managedChains.ts';
import { chains, COMMAND_WORDS, genericOptions, getChain, getMatch, getTable, getTarget, matches, tables, targets } from '../knowledge/index.ts';
import { toolName } from '../knowledge/toolName.ts';
import type { ChainSpec, ExtensionSpec, GenericOptionSpec, OptionSpec, TableSpec } from '../knowledge/types.ts';
import { rules } from '../analysis/registry.ts';
import type { LintRule, RuleDocs } from '../analysis/types.ts';

/**
 * Markdown documentation for what a user points at, from the knowledge base (and for a
 * diagnostic code, from its rule): the same text for hover in the editor and for
 * `iptables-lint explain TERM`.
 */

function argList(o: OptionSpec): string {
  return o.args.map((a) => (a.optional ? `[${a.name}]` : a.name)).join(' ');
}

export function explainOption(o: OptionSpec, owner?: ExtensionSpec): string {
  const names = [o.name, ...(o.aliases ?? [])].join(', ');
  const head = `**${names}**${o.args.length ? ` \`${argList(o)}\`` : ''}${owner ? ` — ${owner.kind} \`${owner.name}\`` : ''}`;
  const parts = [head, '', o.summary];
  if (o.doc) parts.push('', o.doc);
  const facts: string[] = [];
  for (const a of o.args) facts.push(`value \`${a.name}\`: ${a.type}${a.values ? ` (${a.values.join(', ')})` : ''}`);
  facts.push(o.negation === 'prefix' ? 'can be negated with `!` before it' : 'cannot be negated');
  if (o.required) facts.push('required by the extension');
  if (o.excludes?.length) facts.push(`not together with ${o.excludes.join(', ')}`);
  if (o.family) facts.push(`${toolName(o.family)} only`);
  const commands = (o as GenericOptionSpec).commands;
  if (commands) facts.push(`only with ${commands.map((c) => COMMAND_WORDS[c]).join(', ')}`);
  parts.push('', facts.map((f) => `- ${f}`).join('\n'));
  if (o.example) parts.push('', 'Example:', '```sh', o.example, '```');
  if (o.mistakes?.length) parts.push('', '**Common mistakes**', ...o.mistakes.map((m) => `- ${m}`));
  return parts.join('\n');
}

export function explainExtension(e: ExtensionSpec): string {
  const parts = [`**${e.name}** — ${e.kind === 'match' ? 'match (`-m ' + e.name + '`)' : 'target (`-j ' + e.name + '`)'}`, '', e.summary, '', e.doc];
  const facts: string[] = [];
  if (e.implicitForProtocol) facts.push(`loaded by \`-p ${e.implicitForProtocol}\` without \`-m\``);
  if (e.protocols?.length) facts.push(`needs \`-p ${e.protocols.join('` or `-p ')}\``);
  if (e.tables?.length) facts.push(`only in the ${e.tables.join(', ')} table${e.tables.length > 1 ? 's' : ''}`);
  if (e.chains?.length) facts.push(`only in ${e.chains.join(', ')} (and user chains reached from them)`);
  if (e.kind === 'target') facts.push(e.terminating ? 'ends the traversal: later rules do not see the packet' : 'does not end the traversal: the next rule sees the packet');
  if (e.families.length === 1) facts.push(`${toolName(e.families[0])} only${e.counterpart ? `: ${toolName(e.families[0] === 'ipv4' ? 'ipv6' : 'ipv4')} has \`${e.kind === 'match' ? '-m' : '-j'} ${e.counterpart.name}\`` : ''}`);
  if (e.hostDependent) facts.push(`depends on the host: ${e.hostDependent}`);
  if (e.deprecatedBy) facts.push(`superseded by \`${e.deprecatedBy}\``);
  if (facts.length) parts.push('', facts.map((f) => `- ${f}`).join('\n'));
  if (e.options.length) parts.push('', 'Options: ' + e.options.map((o) => `\`${o.name}\``).join(', '));
  parts.push('', 'Example:', '```sh', e.example, '```');
  if (e.mistakes?.length) parts.push('', '**Common mistakes**', ...e.mistakes.map((m) => `- ${m}`));
  return parts.join('\n');
}

export function explainTable(t: TableSpec): string {
  return [`**${t.name}** table`, '', t.summary, '', t.doc, '', `Built-in chains: ${t.chains.join(', ')}`].join('\n');
}

export function explainChain(c: ChainSpec): string {
  return [`**${c.name}** — built-in chain`, '', c.summary, '', c.doc, '', `In the tables: ${c.tables.join(', ')}`].join('\n');
}

/** A chain Docker, kube-proxy, ufw or fail2ban makes (see managedChains). */
export function explainManagedChain(name: string, m: ManagedChain): string {
  const what = m.forUsers
    ? `${m.owner} makes it for rules of your own and leaves them alone.`
    : `${m.owner} makes it and rewrites it ${m.rewritten}: rules added to it by hand are lost then. For rules of your own, ${m.instead}.`;
  return [`**${name}** — chain made by ${m.owner}`, '', what, '', 'A script that names it counts on that program having run: on a host without it, or before it starts, the command fails.'].join('\n');
}

/**
 * A diagnostic code's documentation, from its rule: what it flags, why, and an example of each
 * side (the rule's own examples, which its table test checks). For `explain CODE` and hover on a
 * code in an `# iptables-lint disable…` comment.
 */
export function explainRule(rule: LintRule): string {
  const d = rule.docs;
  const example = (e: RuleDocs['bad']) => ['```' + (e.dialect === 'script' ? 'sh' : 'text'), e.text.replace(/\n$/, ''), '```'];
  return [
    `**${rule.code}** — diagnostic (${rule.severity})`, '', rule.summary, '', d.description, '', `**Why it matters.** ${d.rationale}`,
    '', 'Flagged:', ...example(d.bad), '', 'Not flagged:', ...example(d.good),
  ].join('\n');
}

/** The rule of a diagnostic code. */
export function ruleOfCode(code: string): LintRule | undefined {
  return rules.find((r) => r.code === code);
}

/** Every match of a term: a diagnostic code, a table, a chain, a target, a match, or an option of any of them. */
export function explainTerm(term: string): string | undefined {
  const out: string[] = [];
  const rule = ruleOfCode(term);
  if (rule) out.push(explainRule(rule));
  const t = getTable(term);
  if (t) out.push(explainTable(t));
  const c = getChain(term);
  if (c) out.push(explainChain(c));
  const managed = managedChain(term, 'filter') ?? managedChain(term, 'nat');
  if (managed) out.push(explainManagedChain(term, managed));
  const target = getTarget(term);
  if (target) out.push(explainExtension(target));
  const match = getMatch(term);
  if (match && match !== target) out.push(explainExtension(match));
  if (term.startsWith('-')) {
    const g = genericOptions.find((o) => o.name === term || o.aliases?.includes(term));
    if (g) out.push(explainGeneric(g));
    for (const e of [...matches, ...targets]) {
      for (const o of e.options) if (o.name === term || o.aliases?.includes(term)) out.push(explainOption(o, e));
    }
  }
  return out.length ? out.join('\n\n---\n\n') : undefined;
}

export function explainGeneric(g: GenericOptionSpec): string {
  return explainOption(g);
}

/** Names `explain` knows, for did-you-mean on an unknown term. */
export function explainableTerms(): string[] {
  const names = new Set<string>();
  for (const r of rules) names.add(r.code);
  for (const t of tables) names.add(t.name);
  for (const c of chains) names.add(c.name);
  for (const e of [...matches, ...targets]) {
    names.add(e.name);
    for (const o of e.options) names.add(o.name);
  }
  for (const g of genericOptions) names.add(g.name);
  return [...names];
}
