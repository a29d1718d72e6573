import type { Command, Refusal } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import type { LintRule } from '../types.ts';

/** The word of a rule number (`-I CHAIN 5`), or the whole command. */
function positionSpan(cmd: Command): Span {
  const word = cmd.args.items.find((i) => i.values.length > 1 && i.values[0].value === cmd.chain && /^\d+$/.test(i.values[1].value))?.values[1];
  return word?.span ?? cmd.span;
}

function message(r: Refusal): string {
  const cmd = r.command;
  switch (r.reason) {
    case 'chain-has-rules':
      return `iptables refuses to delete chain ${r.chain}: it still has rules here (flush it first, -F ${r.chain}). The command fails${cmd.chain ? '' : ', and deletes none of the chains'}.`;
    case 'chain-jumped-to':
      return `iptables refuses to delete chain ${r.chain}: a rule still jumps to it here (delete that rule first). The command fails${cmd.chain ? '' : ', and deletes none of the chains'}.`;
    case 'index-too-big': {
      const most = cmd.kind === 'insert' ? (r.length ?? 0) + 1 : (r.length ?? 0);
      const verb = cmd.kind === 'insert' ? 'insert at' : cmd.kind === 'replace' ? 'replace' : 'delete';
      return `Chain ${r.chain} has ${r.length === 1 ? '1 rule' : `${r.length} rules`} here, so there is no rule number ${cmd.position} to ${verb}${most ? ` (at most ${most})` : ''}: iptables refuses the command.`;
    }
  }
}

export const commandFails: LintRule = {
  code: 'command-fails',
  severity: 'error',
  summary: 'A command iptables refuses for what the tables hold when it runs: -X of a chain still in use, a rule number past the end.',
  docs: {
    description: 'Follows the tables command by command and reports `-X` of a chain that certainly still has rules, or that a rule certainly still jumps to (iptables deletes nothing then, not even the other chains of a `-X` without a name), and `-I`, `-R` or `-D` with a rule number past the end of a chain whose every rule is known (a chain the file or an `iptables-restore` input declares, which empties it). A rule counts as certainly there when it was added where the command runs or around it (not under a condition of its own), was written without shell expansions, and nothing under a condition, with a chain given by an expansion, or through an `iptables-restore` of a file may have removed it since. Chains filled before the script runs are not known, so a script is only judged on what it did itself.',
    rationale: 'The command fails with "Directory not empty", "Too many links", "Device or resource busy" or "Index of insertion too big": under `set -e` the script stops there, half applied; without it the chain stays and the rules go on as they were, which is rarely what the script meant. In a restore file the whole file fails to load.',
    bad: { dialect: 'script', text: 'iptables -N blocklist\niptables -A blocklist -s 203.0.113.0/24 -j DROP\niptables -A INPUT -j blocklist\niptables -F blocklist\niptables -X blocklist\n' },
    good: { dialect: 'script', text: 'iptables -N blocklist\niptables -A blocklist -s 203.0.113.0/24 -j DROP\niptables -A INPUT -j blocklist\niptables -D INPUT -j blocklist\niptables -F blocklist\niptables -X blocklist\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // a function named like the tool decides what each call does
    if (rs.wrapsTool || !rs.refusals?.length) return;
    for (const r of rs.refusals) {
      const cmd = r.command;
      const span = r.reason === 'index-too-big' ? positionSpan(cmd) : (cmd.chainWord?.span ?? cmd.span);
      const related = r.rule ? [{ span: r.rule.span, message: r.reason === 'chain-has-rules' ? `still in ${r.chain}` : `jumps to ${r.chain}` }] : undefined;
      ctx.report(related ? { span, message: message(r), related } : { span, message: message(r) });
    }
  },
};
