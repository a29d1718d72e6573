import type { Command, MatchUse, Rule, RuleSet, Table } from '../../model/types.ts';
import { evaluateChain, decidingStep, type Outcome } from '../../simulate/evaluate.ts';
import { packetMatchedBy } from '../../simulate/packetFromRule.ts';
import type { Span } from '../../text/span.ts';
import { commandIndent, lineAfter } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { policyPlace } from '../../model/policyPlace.ts';
import { commandOfRule } from '../commandOfRule.ts';
import { rateLimitedRules } from '../underRate.ts';

/**
 * The ways the packets the rule is written for go when they are over the rate: those on which
 * the evaluator found the rule and assumed it did not match, followed from the built-in chains
 * `hooks` (the rule's own, or those that jump to its user chain: the excess returns there).
 */
function excessOutcomes(rs: RuleSet, hooks: readonly string[], rule: Rule): Outcome[] {
  return hooks.flatMap((hook) => evaluateChain(rs, 'filter', hook, packetMatchedBy(rule)).filter((o) => o.assumptions.some((a) => a.rule === rule && !a.matched)));
}

/** The rule or policy that decided what became of the excess, for the related information. */
function decider(o: Outcome, table: Table): { span: Span; what: string } | undefined {
  const step = decidingStep(o);
  if (step?.rule) return { span: step.rule.span, what: `accepted here (${step.rule.chain})` };
  const chain = step && table.chains.get(step.chain);
  const span = policyPlace(chain);
  return span && { span, what: `accepted by the ${chain!.name} policy` };
}

export const ineffectiveLimit: LintRule = {
  code: 'ineffective-limit',
  severity: 'warning',
  summary: 'A rate limit (-m limit, -m hashlimit) whose excess is accepted anyway further on: it limits nothing, or drops only what stays under the rate.',
  docs: {
    description: 'For each rule of filter that takes packets under a rate (`-m limit`, or `-m hashlimit` without `--hashlimit-above`), follows the packets it is written for through the chain as if they were over the rate (from the built-in chains that jump to it, for a user chain): such packets do not match and go on to the next rule, or back to the chain that jumped. When the rule accepts and every way on for the excess accepts too (a later rule, or an ACCEPT policy), the limit limits nothing. When the rule drops or rejects and every way on accepts the excess, it drops the packets under the rate and lets the flood through. Quick fix for the first: a rule right after it that drops the same packets without the limit.',
    rationale: 'A limit only says which packets match; what becomes of the others is up to the rules after it. `-p icmp --icmp-type echo-request -m limit --limit 1/s -j ACCEPT` in a chain whose policy is ACCEPT answers every ping of a flood, and `-p tcp --syn -m limit --limit 10/s -j DROP` drops the first ten SYNs of each second and accepts the rest. Accept under the rate and drop after it, or match the excess with `-m hashlimit --hashlimit-above`.',
    bad: { dialect: 'save', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp --icmp-type echo-request -m limit --limit 1/s --limit-burst 5 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp --icmp-type echo-request -m limit --limit 1/s --limit-burst 5 -j ACCEPT\n-A INPUT -p icmp --icmp-type echo-request -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const { table, rule, limit, verdict, hooks } of rateLimitedRules(rs)) {
      const excess = excessOutcomes(rs, hooks, rule);
      if (!excess.length || !excess.every((o) => o.verdict === 'ACCEPT')) continue;
      const d = decider(excess[0], table);
      const message =
        verdict === 'ACCEPT'
          ? `The packets over this rule's ${limit.name} are accepted further on anyway: the limit limits nothing. Drop them right after this rule.`
          : `This rule ${verdict === 'DROP' ? 'drops' : 'rejects'} only the packets under its ${limit.name}; those over it go on and are accepted further on: the flood gets through. Accept under the rate and drop after it, or match the excess with -m hashlimit --hashlimit-above.`;
      ctx.report({
        span: limit.span,
        message,
        related: d ? [{ span: d.span, message: `the excess is ${d.what}` }] : undefined,
        fixes: verdict === 'ACCEPT' ? dropAfter(ctx, rule, limit) : undefined,
      });
    }
  },
};

/**
 * The rule's own text with the limit and its options cut out and its target made DROP, on the
 * line after it (save), or after the command that appended it (script): the excess the limit
 * leaves is dropped there.
 */
function dropAfter(ctx: RuleContext, rule: Rule, limit: MatchUse): Fix[] {
  const cmd: Command | undefined = commandOfRule(ctx.ruleSet, rule);
  if (!cmd || (ctx.ruleSet.dialect === 'script' && cmd.kind !== 'append')) return [];
  const target = cmd.args.items.find((i) => (i.written === '-j' || i.written === '--jump') && i.values[0]?.value === 'ACCEPT');
  // the `-m limit` group: its word and the options bound to it
  const group = cmd.args.items.filter((i) => (i.span.start <= limit.span.start && limit.span.end <= i.span.end) || limit.options.some((o) => o.item === i));
  if (!target || !group.length) return [];
  // spans of a save file are read through getters (see LineSpan): copied field by field
  const cuts = [...group.map((i) => ({ start: i.span.start, end: i.span.end, text: '' })), { start: target.span.start, end: target.span.end, text: '-j DROP' }].sort((a, b) => b.start - a.start);
  let line = ctx.text.slice(cmd.span.start, cmd.span.end);
  for (const c of cuts) line = line.slice(0, c.start - cmd.span.start).replace(/[ \t]+$/, c.text ? ' ' : '') + c.text + line.slice(c.end - cmd.span.start);
  line = line.trimEnd();
  const indent = commandIndent(ctx.text, cmd);
  const { at, newline } = lineAfter(ctx.text, cmd);
  return [{ title: `Drop the packets over the ${limit.name} right after this rule`, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${indent}${line}\n` }] }];
}
