import { BUILTIN_CHAINS } from '../../model/builtinChains.ts';
import { TableState } from '../../model/tableState.ts';
import type { RestoreInput, Table } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

export const restoreResetsPolicy: LintRule = {
  code: 'restore-resets-policy',
  severity: 'warning',
  summary: 'An `iptables-restore` here-document that drops a DROP policy set before it: iptables-nft resets the built-in chains its input leaves out to ACCEPT.',
  docs: {
    description: 'Follows a script in the order it runs and reports an `iptables-restore` here-document (without `--noflush`) whose input names a table but has no chain line for a built-in chain of it whose policy the script set to DROP before. iptables-nft, the backend `iptables` is on current distributions, empties the table and gives such a chain the policy ACCEPT; iptables-legacy keeps the policy (both measured with iptables 1.8.9). The fix adds the chain line with the policy to the input.',
    rationale: 'The script reads as if the host drops what it does not accept, and on iptables-legacy it does; with iptables-nft everything the rules do not drop is let in. iptables -S shows `-P INPUT ACCEPT` afterwards, where nobody looks.',
    bad: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables-restore <<EOF\n*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n' },
    good: { dialect: 'script', text: 'iptables-restore <<EOF\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    if (rs.dialect !== 'script' || rs.wrapsTool || !rs.restores?.some((r) => r.flushes)) return;
    // the tables as each step finds them (a function called at the top at its call)
    const state = new TableState();
    for (const step of rs.steps ?? []) {
      if (!('ruleSet' in step)) {
        state.apply(step);
        continue;
      }
      if (step.flushes) {
        for (const t of step.ruleSet.tables.values()) {
          const before = state.tables.get(`${t.family}:${t.name}`);
          if (before) reportLost(ctx, step, t, before);
        }
      }
      state.restore(step);
    }
  },
};

/** Each built-in chain of `t` the input leaves out while its policy is not ACCEPT before it. */
function reportLost(ctx: RuleContext, step: RestoreInput, t: Table, before: Table): void {
  for (const name of BUILTIN_CHAINS[t.name] ?? []) {
    if (t.chains.get(name)?.declarations.length) continue;
    const c = before.chains.get(name);
    if (!c?.policySpan || c.policy === 'ACCEPT') continue;
    const line = `:${name} ${c.policy} [0:0]`;
    ctx.report({
      span: firstLine(ctx.text, step.span),
      message: `iptables-nft resets ${name}'s policy to ACCEPT here: the input names the ${t.name} table but has no :${name} line, so the ${c.policy} policy set before is lost (iptables-legacy keeps it). Add '${line}' to the input.`,
      related: [{ span: c.policySpan, message: `${name} policy ${c.policy} set here` }],
      fixes: headerFix(ctx, t, line),
    });
  }
}

/** The restore command's first line (the here-document follows it). */
function firstLine(text: string, span: Span): Span {
  const nl = text.indexOf('\n', span.start);
  return { start: span.start, end: nl === -1 || nl > span.end ? span.end : nl };
}

/** The chain line, right below the input's `*table` line. */
function headerFix(ctx: RuleContext, t: Table, line: string): Fix[] | undefined {
  const header = t.spans[0];
  if (!header) return undefined;
  const nl = ctx.text.indexOf('\n', header.end);
  if (nl === -1) return undefined;
  return [{ title: `Add '${line}' to the input`, edits: [{ span: { start: nl + 1, end: nl + 1 }, text: `${line}\n` }] }];
}
