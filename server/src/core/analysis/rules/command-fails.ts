import type { Command, Refusal } from '../../model/types.ts';
import type { OptionItem } from '../../syntax/nodes.ts';
import type { Span } from '../../text/span.ts';
import { commandIndent, commandTool, lineAfter, lineStartOf } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** The command's own option group with a rule number: `-I CHAIN 5`. */
function numbered(cmd: Command): OptionItem | undefined {
  return cmd.args.items.find((i) => i.values.length > 1 && i.values[0].value === cmd.chain && /^\d+$/.test(i.values[1].value));
}

/** The word of a rule number (`-I CHAIN 5`), or the whole command. */
function positionSpan(cmd: Command): Span {
  return numbered(cmd)?.values[1].span ?? cmd.span;
}

/** The refusals this rule reports: a chain that exists is duplicate-chain's finding, one that does not undefined-chain's. */
type OwnRefusal = Refusal & { reason: 'chain-has-rules' | 'chain-jumped-to' | 'index-too-big' | 'rule-not-found' | 'replace-crashes' };

function isOwn(r: Refusal): r is OwnRefusal {
  return r.reason === 'chain-has-rules' || r.reason === 'chain-jumped-to' || r.reason === 'index-too-big' || r.reason === 'rule-not-found' || r.reason === 'replace-crashes';
}

function message(r: OwnRefusal): string {
  const cmd = r.command;
  switch (r.reason) {
    case 'chain-has-rules':
      return `iptables refuses to delete chain ${r.chain}: it still has rules here (flush it first, -F ${r.chain}). The command fails${cmd.chain ? '' : ', and deletes none of the chains'}.`;
    case 'chain-jumped-to':
      return `iptables refuses to delete chain ${r.chain}: a rule still jumps to it here (delete that rule first). The command fails${cmd.chain ? '' : ', and deletes none of the chains'}.`;
    case 'rule-not-found':
      return `No rule of chain ${r.chain} here can be the one this -D names (none has its target, protocol, addresses, interfaces, matches in that order and the values of their options): iptables refuses it with "Bad rule (does a matching rule exist in that chain?)".`;
    case 'replace-crashes':
      return `iptables-restore with the nf_tables backend (1.8.9, Debian 12's) crashes on a -R of a rule the same input added (segmentation fault): nothing of the input is loaded, and the host keeps its old rules, or none at boot. Write the rule as it should be where rule ${cmd.position} of ${r.chain} is added.`;
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
  summary: 'A command iptables refuses for what the tables hold when it runs: -X of a chain still in use, a rule number past the end, -D of a rule that is not there, a -R that crashes iptables-restore.',
  docs: {
    description: 'Follows the tables command by command and reports `-X` of a chain that certainly still has rules, or that a rule certainly still jumps to (iptables deletes nothing then, not even the other chains of a `-X` without a name), `-I`, `-R` or `-D` with a rule number past the end of a chain whose every rule is known (a chain the file or an `iptables-restore` input declares, which empties it, one a script makes with `-N` after a top-level `-F` and `-X` removed every chain of the table, or one a flush outside any condition emptied, built-in chains too), and `-D CHAIN rule-spec` when no rule of such a chain can be the one named (in a file a boot service loads without `--noflush`, rules.v4 and the like, the built-in chains hold the file\'s rules only; iptables-restore --test takes all of these, the real load fails): none has the same target, protocol, networks (IPv6 ones by their address alone: ip6tables-nft 1.8.9 finds `-s 2001:db8:1::/48` by a `-D` with `2001:db8:1::/56`), interfaces and matches (in the order they load: `-p tcp --dport 22` loads tcp where `--dport` stands), and the same values of the options both give, of the matches and of the target, among those whose every spelling is known here (ports, connection states, comments, marks, limit and hashlimit rates, iprange ranges, log prefixes and levels, reject types, NAT addresses and ports, conntrack\'s addresses as networks: `--mark 16/240` is `0x10/0xf0`, `--limit 60/min` is `1/s`, `--log-level warning` is `4`, `--reject-with tcp-rst` is `tcp-reset`, `--to-destination 10.0.0.5:8080` is `10.0.0.5-10.0.0.5:8080-8080` but not `10.0.0.5`; hashlimit keeps the unit a rate is written in, so `60/min` is not `1/s` there). iptables finds a rule written with other words or with options left at their defaults, so only values read as iptables stores them are compared. A `-D` whose failure the script expects (`2>/dev/null`, `|| true`, the test of an `if` or `while`) is left alone: when it fails it changes nothing. A rule counts as certainly there when it was added where the command runs or around it (not under a condition of its own), was written without shell expansions, and nothing under a condition, with a chain given by an expansion, or through an `iptables-restore` of a file may have removed it since. Chains filled before the script runs are not known, so a script is only judged on what it did itself. A `-R` in iptables-restore input (a restore file, a here-document) of a rule the same input added crashes iptables-nft-restore 1.8.9 when it commits (a segmentation fault; legacy loads it): the fix writes the rule in place of the `-A` that added the one replaced.',
    rationale: 'The command fails with "Directory not empty", "Too many links", "Device or resource busy", "Index of insertion too big" or "Bad rule (does a matching rule exist in that chain?)": under `set -e` the script stops there, half applied; without it the chain stays and the rules go on as they were, which is rarely what the script meant. In a restore file the whole file fails to load.',
    bad: { dialect: 'script', text: 'iptables -N blocklist\niptables -A blocklist -s 203.0.113.0/24 -j DROP\niptables -A INPUT -j blocklist\niptables -F blocklist\niptables -X blocklist\n' },
    good: { dialect: 'script', text: 'iptables -N blocklist\niptables -A blocklist -s 203.0.113.0/24 -j DROP\niptables -A INPUT -j blocklist\niptables -D INPUT -j blocklist\niptables -F blocklist\niptables -X blocklist\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // a function named like the tool decides what each call does
    if (rs.wrapsTool || !rs.refusals?.length) return;
    for (const r of rs.refusals) {
      if (!isOwn(r)) continue;
      const cmd = r.command;
      // deleting a rule that may not be there, knowing it (a script that can run twice): the
      // delete changes nothing when it fails
      if (r.reason === 'rule-not-found' && cmd.failureHandled) continue;
      const span = r.reason === 'index-too-big' || r.reason === 'replace-crashes' ? positionSpan(cmd) : r.reason === 'rule-not-found' ? cmd.span : (cmd.chainWord?.span ?? cmd.span);
      const related = r.rule ? [{ span: r.rule.span, message: r.reason === 'chain-has-rules' ? `still in ${r.chain}` : r.reason === 'replace-crashes' ? `the rule it replaces, added by the same input` : `jumps to ${r.chain}` }] : undefined;
      const fixes = fixFor(ctx, r);
      ctx.report({ span, message: message(r), ...(related ? { related } : {}), ...(fixes.length ? { fixes } : {}) });
    }
  },
};

/**
 * For a `-X`: flush the chain first (every user chain, for a `-X` without a name), or delete
 * the rule that jumps to it, on a line of its own before the command. The flush is written
 * with the command's own tool word (`$IPT` stays `$IPT`); the delete is the jumping `-A`
 * command as written with `-A` turned into `-D`.
 */
function fixFor(ctx: RuleContext, r: Refusal): Fix[] {
  const cmd = r.command;
  if (r.reason === 'index-too-big') {
    // an insert past the end meant the end: `-I CHAIN 9` becomes `-A CHAIN`
    const item = cmd.kind === 'insert' ? numbered(cmd) : undefined;
    if (!item) return [];
    return [{ title: `Append to ${r.chain} instead`, edits: [{ span: { start: item.nameSpan.start, end: item.values[1].span.end }, text: `-A ${item.values[0].text}` }] }];
  }
  if (r.reason === 'replace-crashes') return replacedInPlace(ctx, r);
  const lineStart = lineStartOf(ctx.text, cmd);
  const indent = commandIndent(ctx.text, cmd);
  const own = ctx.text.slice(cmd.span.start, cmd.span.end);
  const save = ctx.ruleSet.dialect === 'save' || /^-/.test(own);
  const insert = (title: string, line: string): Fix[] => [{ title, edits: [{ span: { start: lineStart, end: lineStart }, text: `${indent}${line}\n` }] }];
  if (r.reason === 'chain-has-rules') {
    const tool = save ? '' : commandTool(ctx.text, cmd);
    if (tool === undefined) return [];
    const table = save || cmd.table === 'filter' ? '' : ` -t ${cmd.table}`;
    const flush = `${tool ? `${tool}${table} ` : ''}-F${cmd.chain ? ` ${cmd.chain}` : ''}`;
    return insert(cmd.chain ? `Flush ${cmd.chain} first` : 'Flush every chain first', flush);
  }
  const jump = r.rule && [...ctx.ruleSet.commands, ...(ctx.ruleSet.instances ?? [])].find((c) => c.rule === r.rule && c.kind === 'append');
  if (!jump) return [];
  const text = ctx.text.slice(jump.span.start, jump.span.end);
  const m = /(^|\s)(-A|--append)(?=\s)/.exec(text);
  if (!m || text.includes('\n')) return [];
  const at = m.index + m[1].length;
  return insert(`Delete the jump from ${jump.chain} first`, `${text.slice(0, at)}-D${text.slice(at + m[2].length)}`);
}

/**
 * For a `-R` of a rule the input added with `-A`: that `-A` line written with the `-R`'s rule,
 * and the `-R` line gone. Offered where both are lines of their own.
 */
function replacedInPlace(ctx: RuleContext, r: Refusal): Fix[] {
  const cmd = r.command;
  const text = ctx.text;
  if (!r.rule) return [];
  const own = text.slice(cmd.span.start, cmd.span.end);
  const replaced = text.slice(r.rule.span.start, r.rule.span.end);
  const m = /^(?:-R|--replace)\s+(\S+)\s+\d+(?=\s|$)/.exec(own);
  const a = /^(?:-A|--append)\s+(\S+)(?=\s|$)/.exec(replaced);
  if (!m || !a || m[1] !== a[1] || own.includes('\n') || replaced.includes('\n')) return [];
  const lineEnd = lineAfter(text, cmd).at;
  const lineStart = lineStartOf(text, cmd);
  // only whitespace around the -R on its line
  if (text.slice(lineStart, cmd.span.start).trim() || text.slice(cmd.span.end, lineEnd).trim()) return [];
  return [{
    title: `Write rule ${cmd.position} of ${r.chain} as the -R has it`,
    // the tables come out the same: the rule stands where the one it replaced stood
    safe: true,
    edits: [
      { span: r.rule.span, text: `-A ${a[1]}${own.slice(m[0].length)}` },
      { span: { start: lineStart, end: lineEnd }, text: '' },
    ],
  }];
}
