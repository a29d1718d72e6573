import type { Family } from '../../knowledge/types.ts';
import { toolName } from '../../knowledge/toolName.ts';
import type { Word } from '../../syntax/nodes.ts';
import { nearestName } from '../nearestName.ts';
import { eachRuleAfterSets, stateAt } from '../setState.ts';
import { setsNamedBy } from '../setsNamed.ts';
import type { LintRule, RuleContext } from '../types.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';

const FAMILY_WORD: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

export const undefinedSet: LintRule = {
  code: 'undefined-set',
  severity: 'warning',
  summary: 'A script\'s rule or `ipset add` naming an ipset the script creates only further down, destroyed above it, of the other address family, or misspelt; in a save file, a set the ipset file restored before it at boot does not create.',
  docs: {
    description: 'Follows a script\'s `ipset` commands (`create`, `destroy`, `rename`, `ipset restore` here-documents; through sudo or a variable such as `$IPSET`) in the order the script runs them, a function\'s body at its calls, and checks each set an iptables rule names (`-m set --match-set NAME`, `-j SET --add-set/--del-set/--map-set NAME`) and each `ipset add` or `del`: a set the script creates only further down, a set a `destroy` (or `rename`) above took away without a `create` since, and a set created for the other address family (`family inet6` used by iptables, a set of IPv4 addresses used by ip6tables; list:set, bitmap:port and hash:mac hold no addresses and work with both). A set the script never creates is reported only where the script creates one with a near name (a typo): other sets may be made by the host (ipset-persistent, fail2ban, an `ipset restore` at boot). In a save file the sets are the host\'s, and are checked only against the ipset file its boot loader restores first, when one lies beside it (`ipsets` of Debian\'s ipset-persistent beside rules.v4 in /etc/iptables, `ipset` of RHEL\'s ipset-service beside /etc/sysconfig/iptables): a set it does not create, or creates for the other family, makes iptables-restore refuse the whole file. A script that restores sets from a file, or names them with variables the model cannot read, makes the check stand down from there on; a destroy under a condition the command is not under may not have run.',
    rationale: 'iptables refuses a rule naming a set that does not exist ("Set NAME doesn\'t exist") and one of the other family ("The protocol family of set NAME is IPv4, which is not applicable"); `ipset add` to a missing set fails as well. Measured with iptables 1.8.9 and ipset 7.17 in a network namespace: a script that adds its blocklist rule before `ipset create` runs without that rule on the first boot, and under `set -e` stops there, before the rules after it.',
    bad: { dialect: 'script', text: 'iptables -A INPUT -m set --match-set blocklist src -j DROP\nipset create blocklist hash:net\n' },
    good: { dialect: 'script', text: 'ipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    if (rs.dialect === 'save') return checkAgainstIpsetFile(ctx);
    const sets = rs.ipsets;
    if (!sets?.length || !rs.steps) return;
    const created = new Set<string>();
    for (const s of sets) {
      if (s.kind === 'create' && s.name !== undefined) created.add(s.name);
      if (s.kind === 'rename' && s.to !== undefined) created.add(s.to);
    }
    // a set of a restore read from a file, or named by an expansion, could be any
    const anyUnknown = sets.some((s) => s.kind === 'unknown');
    /** A set named by a command that runs after the first `upto` ipset steps, under `guard`. */
    const check = (word: Word, upto: number, guard: number, family: Family | undefined, what: string, stops: boolean) => {
      const name = word.value;
      const state = stateAt(rs, sets, upto, name, guard);
      if (state.kind === 'unknown') return;
      if (state.kind === 'created') {
        const made = state.by.family;
        if (family && made && made !== family) {
          ctx.report({
            span: word.span,
            severity: 'error',
            message: `Set ${name} holds ${FAMILY_WORD[made]} addresses (created ${made === 'ipv6' ? 'with' : 'without'} family inet6): ${toolName(family)} refuses ${what} naming it. Use a set created for ${FAMILY_WORD[family]}.`,
            related: [{ span: state.by.span, message: `${name} is created here for ${FAMILY_WORD[made]}` }],
          });
        }
        return;
      }
      if (state.kind === 'destroyed') {
        const renamed = state.by.kind === 'rename';
        ctx.report({
          span: word.span,
          message: `Set ${name} is ${renamed ? 'renamed' : 'destroyed'} above and not created again before this: ${what} fails (the set does not exist)${stops ? ' and the script stops here (set -e)' : ''}.`,
          related: [{ span: state.by.span, message: `${name} is ${renamed ? 'renamed' : 'destroyed'} here` }],
        });
        return;
      }
      // the host's as far as the script has gone: made further down, or never
      const later = sets.slice(upto).find((s) => (s.kind === 'create' && s.name === name) || (s.kind === 'rename' && s.to === name));
      if (later) {
        ctx.report({
          span: word.span,
          message: `Set ${name} is created only further down: where it does not exist yet (the script's first run, after a reboot) ${what} fails${stops ? ', and the script stops here (set -e)' : ''}. Create the set first.`,
          related: [{ span: later.span, message: `${name} is created here` }],
        });
        return;
      }
      if (created.has(name) || anyUnknown || rs.sourcesFiles) return;
      // a set the script never makes may be the host's: reported where a set it makes is the one meant
      const near = nearestName(name, created);
      if (near) {
        ctx.report({
          span: word.span,
          message: `No ipset command of this script creates set ${name}: ${what} fails unless the host has it. Did you mean ${near}? Set names are case-sensitive.`,
          fixes: [{ title: `Use set ${near}`, edits: [{ span: word.span, text: near }] }],
        });
      }
    };
    eachRuleAfterSets(rs, sets, (cmd, upto) => {
      const guard = cmd.rule?.guard ?? 0;
      for (const w of cmd.rule ? setsNamedBy(cmd.rule) : []) check(w, upto, guard, cmd.family, 'the rule', !!cmd.stopsOnFailure);
    });
    sets.forEach((s, i) => {
      if (s.kind === 'fill' && !s.failureHandled && s.name !== undefined) {
        check({ text: s.name, value: s.name, span: s.span, quoted: false, dynamic: false }, i, s.guard, undefined, 'this ipset command', !!s.stopsOnFailure);
      }
    });
  },
};

/**
 * A save file with the ipset file its boot loader restores first beside it (see
 * AnalysisSettings.workspaceSets): each rule's set must be one that file creates, for the
 * rule's family, or iptables-restore refuses the whole file at boot.
 */
function checkAgainstIpsetFile(ctx: RuleContext): void {
  const ws = ctx.settings.workspaceSets;
  if (!ws) return;
  const sets = new Map(ws.sets.map((s) => [s.name, s]));
  const file = ws.file.slice(ws.file.lastIndexOf('/') + 1);
  for (const cmd of commandsAsRun(ctx.ruleSet)) {
    if (!cmd.rule || !(cmd.kind === 'append' || cmd.kind === 'insert' || cmd.kind === 'replace')) continue;
    for (const w of setsNamedBy(cmd.rule)) {
      const set = sets.get(w.value);
      if (set?.family && set.family !== cmd.family) {
        ctx.report({ span: w.span, severity: 'error', message: `Set ${w.value} holds ${FAMILY_WORD[set.family]} addresses (${file} beside this file creates it${set.family === 'ipv6' ? ' with family inet6' : ' without family inet6'}): ${toolName(cmd.family)}-restore refuses the whole file. Use a set created for ${FAMILY_WORD[cmd.family]}.` });
      } else if (!set) {
        const near = nearestName(w.value, sets.keys());
        ctx.report({
          span: w.span,
          message: `${file} beside this file, restored before it at boot, does not create set ${w.value}: where nothing else has made it by then, ${toolName(cmd.family)}-restore refuses the whole file and the host boots without these rules.${near ? ` Did you mean ${near}? Set names are case-sensitive.` : ` Add it to ${file} (ipset save), or load the rules after what creates it.`}`,
          ...(near ? { fixes: [{ title: `Use set ${near}`, edits: [{ span: w.span, text: near }] }] } : {}),
        });
      }
    }
  }
}