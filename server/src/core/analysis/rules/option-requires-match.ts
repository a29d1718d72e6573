import { getMatch, protocolNumber } from '../../knowledge/index.ts';
import { toolName } from '../../knowledge/toolName.ts';
import type { ExtensionSpec } from '../../knowledge/types.ts';
import { carriesOver } from '../../knowledge/counterparts.ts';
import type { Command } from '../../model/types.ts';
import type { OptionItem } from '../../syntax/nodes.ts';
import { ctHelperOf } from '../ctHelper.ts';
import { nearestName } from '../nearestName.ts';
import { expansionBefore } from '../../model/refusedCommand.ts';
import type { LintRule, RuleContext } from '../types.ts';

const NAT_PORTS = new Set(['DNAT', 'SNAT', 'REDIRECT', 'MASQUERADE']);
/**
 * The protocols whose ports the NAT targets translate, by number (measured with iptables
 * 1.8.9: udplite is refused, "Need TCP, UDP, SCTP or DCCP with port specification"; IPv4's
 * icmp is taken, its echo identifier being translated as a port, and ip6tables' icmpv6 is not).
 */
const natPortProtocols = (family: string): readonly number[] => (family === 'ipv4' ? [6, 17, 132, 33, 1] : [6, 17, 132, 33]);

export const optionRequiresMatch: LintRule = {
  code: 'option-requires-match',
  severity: 'error',
  summary: 'An extension\'s option without its match or target: `--dport` without `-p tcp`, `--ctstate` without `-m conntrack`.',
  docs: {
    description: 'Reports an option that belongs to a match or target the rule has not loaded before it: `--dport` with no `-p tcp`/`-p udp` (or `-m multiport`) in front, `--ctstate` without `-m conntrack`, `--to-destination` without `-j DNAT`, and the protocol a value needs: `-j CT --helper ftp` needs `-p tcp` (the kernel refuses it when loaded), `--reject-with tcp-reset` or a NAT port without `-p tcp` (tcp, udp, sctp and dccp have ports to translate, and for iptables icmp, whose echo identifier is translated; udplite has none). A match of the protocol the rule excludes (`! -p tcp -m tcp`) is a warning: it never matches, and iptables-nft takes the rule where iptables-legacy refuses it. In a script, an unquoted shell expansion written before the option that no option takes as its value (`P="-p tcp"; iptables -A INPUT $P --dport 22`) may stand for what the option needs (the shell splits it into words): not reported. A script command with a missing match or target is one iptables refuses: the rule is in no chain, and the checks that follow packets go on without it.',
    rationale: 'iptables reads options left to right and only knows those of extensions already loaded; it answers "unknown option" and the rule is not added.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT --dport 22 -j ACCEPT\n-A INPUT --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const rule = cmd.rule;
    const proto = rule?.protocol;
    if (rule && !(proto?.word.dynamic)) {
      // the protocol as written and its number, `!` or not: iptables reads it so for NAT ports
      const written = proto?.value.toLowerCase();
      const number = written === undefined ? undefined : protocolNumber(written);
      // the written protocol is one of these, by name or by number (`-p 6` is tcp)
      const names = (need: readonly string[]) => written !== undefined && need.some((x) => x === written || (number !== undefined && protocolNumber(x) === number));
      const p = proto && !proto.negated ? written : undefined;
      const given = (need: readonly string[]) => p !== undefined && names(need);
      // `-m tcp` without `-p tcp`, `-m multiport` without a port protocol
      const matches = rule.matches;
      for (let i = 0; i < matches.length; i++) {
        const m = matches[i];
        const need = m.spec?.protocols;
        if (!need || m.implicit || (m.spec?.protocolFamilies && !m.spec.protocolFamilies.includes(cmd.family))) continue;
        if (given(need)) continue;
        // `! -p tcp -m tcp`: measured with 1.8.9, iptables-nft takes it and iptables-legacy refuses it ("Invalid argument")
        if (proto?.negated && names(need)) {
          ctx.report({ span: m.span, severity: 'warning', message: `With ! -p ${proto!.value} the ${m.name} match never matches: iptables-nft takes the rule, iptables-legacy refuses it.` });
        } else ctx.report({ span: m.span, message: `The ${m.name} match needs ${need.map((x) => `-p ${x}`).slice(0, 5).join(' or ')} before it.` });
      }
      // options of their own protocol inside a wider match (`-m ecn --ecn-tcp-cwr` needs -p tcp)
      const options = rule.options;
      for (let i = 0; i < options.length; i++) {
        const o = options[i];
        const need = o.spec?.protocols;
        if (!need) continue;
        if (!given(need)) ctx.report({ span: o.item.nameSpan, message: `${o.item.written} needs ${need.map((x) => `-p ${x}`).join(' or ')} in the rule.` });
      }
      const tp = rule.target?.spec?.protocols;
      if (tp && (!p || !tp.includes(p))) ctx.report({ span: rule.target!.span, message: `The ${rule.target!.name} target needs ${tp.map((x) => `-p ${x}`).join(' or ')} in the rule.` });
      const rw = rule.target?.spec?.name === 'REJECT' ? rule.target.options.find((o) => o.name === '--reject-with') : undefined;
      // the kernel refuses it when the rule is loaded (iptables-restore --test does not see it)
      if (rw && rw.values[0] && !rw.values[0].dynamic && /^tcp-(reset|rst)$/.test(rw.values[0].value) && !(p !== undefined && number === 6)) {
        ctx.report({ span: rw.values[0].span, message: 'A TCP reset can only answer TCP: add -p tcp to the rule.' });
      }
      // the kernel finds a CT helper by its name and the rule's protocol: it refuses the rule when it is
      // loaded (measured: `-p udp -j CT --helper ftp`, no -p or `! -p udp`; iptables-restore --test passes it)
      const ct = ctHelperOf(rule);
      const known = ct?.helper;
      if (known && !(p !== undefined && known.protocols.some((x) => protocolNumber(x) === number))) {
        const want = known.protocols.map((x) => `-p ${x}`).join(' or ');
        ctx.report({ span: ct.word.span, message: `The ${known.name} helper follows ${known.protocols.join(' and ')} connections: the kernel refuses the rule without ${want}${p !== undefined ? ` (it has ${proto!.value})` : ''} when it is loaded, which iptables-restore --test does not catch.` });
      }
      // NAT targets only translate ports for protocols that have them
      const t = rule.target;
      // iptables reads the protocol's number, not its `!` (measured: `! -p tcp -j DNAT --to-destination …:80` is taken)
      if (t?.spec && NAT_PORTS.has(t.spec.name) && !(number !== undefined && natPortProtocols(cmd.family).includes(number))) {
        const targetOptions = t.options;
        for (let i = 0; i < targetOptions.length; i++) {
          const o = targetOptions[i];
          const v = o.values[0];
          if (!v || v.dynamic) continue;
          const hasPort = o.name === '--to-ports' || (t.spec.name !== 'MASQUERADE' && /\]:|^[^:]*:[^:]*$|^\d{1,3}(\.\d{1,3}){3}(-[\d.]+)?:/.test(v.value) && !/^[0-9a-fA-F:]*::/.test(v.value));
          if (hasPort) ctx.report({ span: o.item.nameSpan, message: `${t.spec.name} with a port needs -p tcp, udp, sctp or dccp${cmd.family === 'ipv4' ? ' (or icmp)' : ''} in the rule.` });
        }
      }
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
