import type { Family } from '../../knowledge/types.ts';
import type { BoundOption, Command, MatchUse, Rule } from '../../model/types.ts';
import { chainFacts } from '../chainGraph.ts';
import { nearestName } from '../nearestName.ts';
import type { Fix, LintRule } from '../types.ts';

/** What a `-m recent` use does with its list. */
const READS = new Set(['--rcheck', '--update', '--remove']);

interface ListUse {
  rule: Rule;
  match: MatchUse;
  /** The list's name: `--name`, or DEFAULT without it. */
  name: string;
  nameOption?: BoundOption;
  /** --rcheck, --update or --remove. */
  action: string;
  family: Family;
}

/** A list some `--set` fills: the first rule that does, and whether it names the list or leaves it DEFAULT. */
interface Filled {
  rule: Rule;
  named: boolean;
}

/** Every `-m recent` of the rules the commands add. */
function listUses(commands: readonly Command[]): { sets: Map<Family, Map<string, Filled>>; reads: ListUse[]; dynamic: boolean } {
  const sets = new Map<Family, Map<string, Filled>>();
  const reads: ListUse[] = [];
  let dynamic = false;
  for (let i = 0; i < commands.length; i++) {
    const cmd = commands[i];
    const rule = cmd.rule;
    // `-D` and `-C` add nothing
    if (!rule || cmd.kind === 'delete' || cmd.kind === 'check') continue;
    const ms = rule.matches;
    for (let j = 0; j < ms.length; j++) {
      const m = ms[j];
      if (m.name !== 'recent') continue;
      const nameOption = m.options.find((o) => o.name === '--name');
      const word = nameOption?.values[0];
      if (word?.dynamic) dynamic = true;
      const name = word?.value ?? 'DEFAULT';
      // `! --set` still adds the address: only the match is inverted
      if (m.options.some((o) => o.name === '--set')) {
        let s = sets.get(cmd.family);
        if (!s) sets.set(cmd.family, (s = new Map()));
        if (!s.has(name)) s.set(name, { rule, named: !!nameOption });
        continue;
      }
      const action = m.options.find((o) => READS.has(o.name))?.name;
      if (action && word?.dynamic !== true) reads.push({ rule, match: m, name, nameOption, action, family: cmd.family });
    }
  }
  return { sets, reads, dynamic };
}

export const recentListNeverSet: LintRule = {
  code: 'recent-list-never-set',
  severity: 'warning',
  summary: 'A -m recent --rcheck, --update or --remove of a list no rule adds addresses to (a misspelt --name): it never matches.',
  docs: {
    description: 'Collects the lists that `-m recent --set` rules fill (by `--name`, DEFAULT without one, per address family) and reports each `--rcheck`, `--update` or `--remove` of a list none of them fills, when a filled list is clearly the one meant: a near name (letter case counts for the kernel), or the only filled list when one of the two rules has no `--name`. Such a list stays empty, so the rule never matches (and a negated test always does). The fix renames. A list no rule fills and no filled list resembles is left alone: it may be fed from outside (`/proc/net/xt_recent/NAME`); so is one whose /proc file the script names. Rules whose list name is a shell expansion make the check stand down.',
    rationale: 'The usual SSH brute-force guard is two rules, one that records each new connection (`--set --name ssh`) and one that drops an address seen too often (`--update --name ssh --hitcount 4`). When the names differ (`SSH` and `ssh`, or one rule without `--name`, which is DEFAULT), the guard silently never fires, and nothing in iptables says so.',
    bad: { dialect: 'script', text: 'iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name SSH\niptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 4 --name ssh -j DROP\n' },
    good: { dialect: 'script', text: 'iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name SSH\niptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 4 --name SSH -j DROP\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // the rules with a recent match, gathered in the analysis' walk over the commands (a
    // function's body at its calls, the instances) and kept across edits that leave them be
    const { sets, reads, dynamic } = listUses(chainFacts(rs).sharedByName);
    // a list named by an expansion could be any of them
    if (dynamic) return;
    // lists a script feeds or reads through /proc/net/xt_recent/NAME: read only when a finding is near
    let fromProc: Set<string> | undefined;
    for (const u of reads) {
      const filled = sets.get(u.family);
      if (!filled || filled.has(u.name)) continue;
      if (rs.dialect === 'script' && (fromProc ??= procLists(ctx.text)).has(u.name)) continue;
      const where = u.nameOption ? u.nameOption.item.span : u.match.span;
      const near = nearestName(u.name, filled.keys());
      const only = filled.size === 1 ? [...filled][0] : undefined;
      // a list no rule fills may be fed from outside (/proc/net/xt_recent/NAME, a blocklist
      // daemon): reported only where a filled list is the one meant, a near name, or the one
      // list there is when one side has no --name
      if (near) {
        const fixes: Fix[] = [{ title: `Use list ${near}`, edits: [u.nameOption ? { span: u.nameOption.values[0].span, text: near } : { span: { start: u.match.span.end, end: u.match.span.end }, text: ` --name ${near}` }] }];
        ctx.report({ span: where, message: `No rule adds addresses to the recent list ${u.name} with --set: it stays empty and this ${u.action} never matches. Did you mean ${near}? List names are case-sensitive.`, fixes });
      } else if (only && !u.nameOption) {
        const fixes: Fix[] = [{ title: `Use list ${only[0]}`, edits: [{ span: { start: u.match.span.end, end: u.match.span.end }, text: ` --name ${only[0]}` }] }];
        ctx.report({ span: where, message: `Without --name this ${u.action} reads the list DEFAULT, which no rule fills: the --set rule fills ${only[0]}. It never matches.`, related: [{ span: only[1].rule.span, message: `fills ${only[0]}` }], fixes });
      } else if (only && !only[1].named) {
        ctx.report({ span: where, message: `No rule adds addresses to the recent list ${u.name}: the --set rule has no --name, so it fills DEFAULT. This ${u.action} never matches.`, related: [{ span: only[1].rule.span, message: 'fills DEFAULT' }] });
      }
    }
  },
};

/** The recent lists a script names by their /proc file (`echo +203.0.113.7 > /proc/net/xt_recent/ssh`): filled from outside the rules. */
function procLists(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\/proc\/net\/xt_recent\/([^\s"'`;|&<>)]+)/g)) out.add(m[1]);
  return out;
}
