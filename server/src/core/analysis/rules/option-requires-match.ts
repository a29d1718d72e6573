import { getMatch } from '../../knowledge/index.ts';
import { toolName } from '../../knowledge/toolName.ts';
import type { ExtensionSpec } from '../../knowledge/types.ts';
import { carriesOver } from '../../knowledge/counterparts.ts';
import type { Command } from '../../model/types.ts';
import type { OptionItem } from '../../syntax/nodes.ts';
import { protocolNeeds } from '../../model/protocolNeeds.ts';
import { nearestName } from '../nearestName.ts';
import { expansionBefore } from '../../model/expansionBefore.ts';
import type { LintRule, RuleContext } from '../types.ts';

export const optionRequiresMatch: LintRule = {
  code: 'option-requires-match',
  severity: 'error',
  summary: 'An extension\'s option without its match or target: `--dport` without `-p tcp`, `--ctstate` without `-m conntrack`.',
  docs: {
    description: 'Reports an option that belongs to a match or target the rule has not loaded before it: `--dport` with no `-p tcp`/`-p udp` (or `-m multiport`) in front, `--ctstate` without `-m conntrack`, `--to-destination` without `-j DNAT`, and the protocol a value needs: `-j CT --helper ftp` needs `-p tcp` (the kernel refuses it when loaded), `--reject-with tcp-reset` or a NAT port without `-p tcp` (tcp, udp, sctp and dccp have ports to translate, and for iptables icmp, whose echo identifier is translated; udplite has none). A match of the protocol the rule excludes (`! -p tcp -m tcp`) is a warning: it never matches, and iptables-nft takes the rule where iptables-legacy refuses it. In a script, an unquoted shell expansion written before the option, match or value that no option takes as its value (`P="-p tcp"; iptables -A INPUT $P --dport 22`) may stand for what it needs (the shell splits it into words): not reported. A script command with a missing match, target or protocol (but `! -p tcp -m tcp`, which iptables-nft takes) is one iptables or the kernel refuses: the rule is in no chain, and the checks that follow packets go on without it (a `-j REJECT --reject-with tcp-reset` without `-p tcp` rejects nothing).',
    rationale: 'iptables reads options left to right and only knows those of extensions already loaded; it answers "unknown option" and the rule is not added.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT --dport 22 -j ACCEPT\n-A INPUT --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const needs = protocolNeeds(cmd);
    for (let i = 0; i < needs.length; i++) {
      const n = needs[i];
      const any = (protocols: readonly string[]) => protocols.map((x) => `-p ${x}`).join(' or ');
      if (n.kind === 'match') {
        if (n.excluded) ctx.report({ span: n.span, severity: 'warning', message: `With ! -p ${cmd.rule!.protocol!.value} the ${n.match.name} match never matches: iptables-nft takes the rule, iptables-legacy refuses it.` });
        else ctx.report({ span: n.span, message: `The ${n.match.name} match needs ${any(n.protocols.slice(0, 5))} before it.` });
      } else if (n.kind === 'option') ctx.report({ span: n.span, message: `${n.option.item.written} needs ${any(n.protocols)} in the rule.` });
      else if (n.kind === 'target') ctx.report({ span: n.span, message: `The ${cmd.rule!.target!.name} target needs ${any(n.protocols)} in the rule.` });
      else if (n.kind === 'tcp-reset') ctx.report({ span: n.span, message: 'A TCP reset can only answer TCP: add -p tcp to the rule.' });
      else if (n.kind === 'ct-helper') {
        const proto = cmd.rule!.protocol;
        const known = n.helper;
        ctx.report({ span: n.span, message: `The ${known.name} helper follows ${known.protocols.join(' and ')} connections: the kernel refuses the rule without ${any(known.protocols)}${proto && !proto.negated ? ` (it has ${proto.value})` : ''} when it is loaded, which iptables-restore --test does not catch.` });
      } else ctx.report({ span: n.span, message: `${cmd.rule!.target!.name} with a port needs -p tcp, udp, sctp or dccp${cmd.family === 'ipv4' ? ' (or icmp)' : ''} in the rule.` });
    }
    const problems = cmd.problems;
    for (let i = 0; i < problems.length; i++) {
      const p = problems[i];
      // `$P --dport 22` where P="-p tcp": the expansion may load what the option needs
      if ((p.kind === 'needs-match' || p.kind === 'needs-target') && expansionBefore(cmd, p.option.nameSpan.start)) continue;
      if (p.kind === 'needs-match') {
        if (otherFamilyOption(ctx, cmd, p.option, p.candidates)) continue;
        // `iptables -p mh --mh-type …`: the match exists, in the other family's tool only
        if (p.candidates.every((m) => !m.families.includes(cmd.family))) {
          const names = [...new Set(p.candidates.map((m) => m.name))];
          ctx.report({ span: p.option.nameSpan, message: `${p.option.written} belongs to the ${names.join(' / ')} match, which only ${toolName(p.candidates[0].families[0])} has.` });
          continue;
        }
        const via = p.candidates.map((m) => (m.implicitForProtocol ? `-p ${m.implicitForProtocol}` : `-m ${m.name}`));
        const unique = [...new Set(via)];
        const list = unique.length > 3 ? `${unique.slice(0, 3).join(', ')}…` : unique.join(' or ');
        ctx.report({ span: p.option.nameSpan, message: `${p.option.written} belongs to ${p.candidates.length === 1 ? 'the ' + p.candidates[0].name + ' match' : 'a match'}: put ${list} before it.` });
      } else if (p.kind === 'needs-target') {
        const names = p.candidates.map((t) => t.name);
        // `-j DANT --to-destination …`: the misspelt target is the finding, not its option
        const written = cmd.rule?.target;
        if (written && !written.spec && nearestName(written.name, names)) continue;
        ctx.report({ span: p.option.nameSpan, message: `${p.option.written} is an option of the ${names.join(' / ')} target${names.length > 1 ? 's' : ''}: it must come after -j ${names[0]}.` });
      }
    }
  },
};

/**
 * An option of a match the rule's family does not have, whose counterpart it has (`--icmp-type`
 * in ip6tables is `--icmpv6-type`): said so, with a fix that renames it where its values mean
 * the same there (ICMP types only by name: the numbers differ).
 */
function otherFamilyOption(ctx: RuleContext, cmd: Command, option: OptionItem, candidates: readonly ExtensionSpec[]): boolean {
  const spec = candidates.length === 1 ? candidates[0] : undefined;
  if (!spec?.counterpart || spec.families.includes(cmd.family)) return false;
  const mine = spec.options.find((o) => o.name === option.written) ?? spec.options.find((o) => o.name.startsWith(option.written));
  const name = mine && spec.counterpart.options[mine.name];
  const other = name ? getMatch(spec.counterpart.name) : undefined;
  const theirs = other?.options.find((o) => o.name === name);
  if (!mine || !name || !other || !theirs) return false;
  const via = other.implicitForProtocol ? `-p ${other.implicitForProtocol}` : `-m ${other.name}`;
  const values = option.values;
  const fits = !values.some((w) => w.dynamic) && carriesOver(mine, theirs, values.map((w) => w.value), cmd.family);
  ctx.report({
    span: option.nameSpan,
    message: `${option.written} belongs to the ${spec.name} match, which only ${toolName(spec.families[0])} has: ${toolName(cmd.family)} writes ${name} (with ${via}).`,
    fixes: fits ? [{ title: `Change to ${name}`, edits: [{ span: option.nameSpan, text: name }] }] : undefined,
  });
  return true;
}
