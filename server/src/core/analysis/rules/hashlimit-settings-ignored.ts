import type { Family } from '../../knowledge/types.ts';
import { chainFacts } from '../chainGraph.ts';
import { differingSettings, tableUses, type TableUse } from '../hashlimitTables.ts';
import { presentWhenAdded } from '../presentWhenAdded.ts';
import { spanInRule } from '../spanInRule.ts';
import type { Fix, LintRule } from '../types.ts';

/** A name no hashlimit rule of the family uses: the fix's table of its own. */
function freeName(name: string, taken: Set<string>): string {
  let n = 2;
  while (taken.has(`${name}-${n}`)) n++;
  return `${name}-${n}`;
}

export const hashlimitSettingsIgnored: LintRule = {
  code: 'hashlimit-settings-ignored',
  severity: 'warning',
  summary: 'A hashlimit match naming a table an earlier rule creates with another rate, burst, mode, mask or table size: the kernel keeps the first rule\'s settings and ignores this rule\'s (with and without --hashlimit-rate-match, it refuses the rule).',
  docs: {
    description: 'Collects the hashlimit matches of the rules added, in the order they are added, by `--hashlimit-name` and address family, and compares each rule\'s settings with those of the first rule naming the same table, where that rule is certainly in place when this one is added (a script adds it whenever it adds this one, and does not take it away). The settings compared are the ones the table keeps: the rate (`--hashlimit-upto` or `--hashlimit-above` alike; `300/minute` is `5/second`), the burst, the mode, the source and destination masks and the table\'s size, maximum, expiry and garbage collection interval, each with iptables\' default where it is not written (a default written out is the same setting). A rule that differs gets a warning naming what is ignored and what the table runs with; a rule with `--hashlimit-rate-match` beside one without, on one table, is an error: iptables refuses it. The fix gives the rule a table of its own. IPv4 and IPv6 rules have separate tables; the filter, mangle and raw tables share them.',
    rationale: 'The kernel keeps one hash table per name and family, created by the first rule that names it with that rule\'s settings; a later rule naming it uses the table as it is, and its own rate and burst are never read. Measured with iptables 1.8.9 in a network namespace: a rule asking for `--hashlimit-upto 1000/s --hashlimit-burst 1000` on a table a `1/min` rule created let 1 of 20 packets through, the same rule on a table of its own all 20, and `iptables -S` lists the rule with the rate it was written with. The same holds across a reload: iptables-restore of a file with a new rate for a table that rules on the host hold keeps the old rate, as the old rules are still there when the new ones are checked; changing the name (or removing the rules first) applies it. Mixing `--hashlimit-rate-match` and plain limits on one name is refused: "RULE_APPEND failed (Invalid argument)".',
    bad: { dialect: 'save', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m hashlimit --hashlimit-above 1000/sec --hashlimit-mode srcip --hashlimit-name icmp -j DROP\n-A INPUT -p udp -m hashlimit --hashlimit-above 125/sec --hashlimit-mode srcip --hashlimit-name icmp -j DROP\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m hashlimit --hashlimit-above 1000/sec --hashlimit-mode srcip --hashlimit-name icmp -j DROP\n-A INPUT -p udp -m hashlimit --hashlimit-above 125/sec --hashlimit-mode srcip --hashlimit-name udp -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // the rules with a hashlimit match, gathered in the analysis' walk over the commands and
    // kept across edits that leave them be
    const uses = tableUses(chainFacts(rs).sharedByName);
    if (uses.length < 2) return;
    const first = new Map<string, TableUse>();
    const taken = new Map<Family, Set<string>>();
    for (const u of uses) {
      let names = taken.get(u.family);
      if (!names) taken.set(u.family, (names = new Set()));
      names.add(u.name);
    }
    for (const u of uses) {
      const key = `${u.family} ${u.name}`;
      const made = first.get(key);
      if (!made) {
        first.set(key, u);
        continue;
      }
      if (made.rule === u.rule || !presentWhenAdded(rs, made.rule, u.rule)) continue;
      const other = freeName(u.name, taken.get(u.family)!);
      const fixes: Fix[] = [{ title: `Give this rule a table of its own (${other})`, edits: [{ span: u.nameOption.values[0].span, text: other }] }];
      const related = [{ span: made.rule.span, message: `creates the hashlimit table ${u.name}` }];
      const span = spanInRule(u.rule, u.nameOption.item.span, u.nameOption.values[0].span);
      if (made.rateMatch !== u.rateMatch) {
        ctx.report({
          span,
          severity: 'error',
          message: `iptables refuses this rule (Invalid argument): the hashlimit table ${u.name} is created by a rule ${made.rateMatch ? 'with' : 'without'} --hashlimit-rate-match, and this one ${u.rateMatch ? 'has' : 'does not have'} it. A table either measures rates or limits them: give this rule a table of its own.`,
          related,
          fixes,
        });
        continue;
      }
      const { mine, theirs } = differingSettings(made, u);
      if (!mine.length) continue;
      ctx.report({
        span,
        message: `The hashlimit table ${u.name} is created by an earlier rule with other settings, and rules naming it share it as it was made: this rule's ${mine.join(', ')} ${mine.length > 1 ? 'are' : 'is'} ignored, and it runs with ${theirs.join(', ')}. Give it a table of its own, or the same settings.`,
        related,
        fixes,
      });
    }
  },
};
