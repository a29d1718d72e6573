import { protocolNumber } from '../knowledge/index.ts';
import type { ConntrackHelper } from '../knowledge/conntrackHelpers.ts';
import type { Span } from '../text/span.ts';
import { ctHelperOf } from './ctHelper.ts';
import { expansionBefore } from './expansionBefore.ts';
import type { BoundOption, Command, MatchUse } from './types.ts';

/**
 * A protocol a rule's match, option, target or value needs and the rule does not give with
 * `-p`: `match`, `-m tcp` or `-m multiport` (`excluded`: the rule's `! -p tcp` excludes it:
 * iptables-nft takes such a rule, iptables-legacy refuses it); `option`, an option of its own
 * protocol in a wider match (`-m ecn --ecn-tcp-cwr`); `target`, a target of one protocol (TCPMSS);
 * `tcp-reset`, `--reject-with tcp-reset`; `ct-helper`, `-j CT --helper ftp` (the kernel finds a
 * helper by name and protocol); `nat-port`, a NAT target's port where the protocol has none.
 */
export type ProtocolNeed =
  | { kind: 'match'; span: Span; match: MatchUse; protocols: readonly string[]; excluded: boolean }
  | { kind: 'option'; span: Span; option: BoundOption; protocols: readonly string[] }
  | { kind: 'target'; span: Span; protocols: readonly string[] }
  | { kind: 'tcp-reset'; span: Span }
  | { kind: 'ct-helper'; span: Span; helper: ConntrackHelper }
  | { kind: 'nat-port'; span: Span; option: BoundOption };

const NAT_PORTS = new Set(['DNAT', 'SNAT', 'REDIRECT', 'MASQUERADE']);

/**
 * The protocols whose ports the NAT targets translate, by number (measured with iptables
 * 1.8.9: udplite is refused, "Need TCP, UDP, SCTP or DCCP with port specification"; IPv4's
 * icmp is taken, its echo identifier being translated as a port, and ip6tables' icmpv6 is not).
 */
const natPortProtocols = (family: string): readonly number[] => (family === 'ipv4' ? [6, 17, 132, 33, 1] : [6, 17, 132, 33]);

/**
 * What a command's rule needs of `-p` and lacks (see ProtocolNeed); none where `-p` is a shell
 * expansion, or where one before the need may stand for it (see expansionBefore). Each refuses
 * the rule, but an `excluded` match in iptables-nft.
 */
export function protocolNeeds(cmd: Command): ProtocolNeed[] {
  const rule = cmd.rule;
  const proto = rule?.protocol;
  if (!rule || proto?.word.dynamic) return [];
  const out: ProtocolNeed[] = [];
  // the protocol as written and its number, `!` or not: iptables reads it so for NAT ports
  const written = proto?.value.toLowerCase();
  const number = written === undefined ? undefined : protocolNumber(written);
  // the written protocol is one of these, by name or by number (`-p 6` is tcp)
  const names = (need: readonly string[]) => written !== undefined && need.some((x) => x === written || (number !== undefined && protocolNumber(x) === number));
  const p = proto && !proto.negated ? written : undefined;
  const given = (need: readonly string[]) => p !== undefined && names(need);
  // `-m tcp` without `-p tcp`, `-m multiport` without a port protocol
  for (const m of rule.matches) {
    const need = m.spec?.protocols;
    if (!need || m.implicit || (m.spec?.protocolFamilies && !m.spec.protocolFamilies.includes(cmd.family)) || given(need)) continue;
    // `! -p tcp -m tcp`: measured with 1.8.9, iptables-nft takes it and iptables-legacy refuses it ("Invalid argument")
    out.push({ kind: 'match', span: m.span, match: m, protocols: need, excluded: !!proto?.negated && names(need) });
  }
  // options of their own protocol inside a wider match (`-m ecn --ecn-tcp-cwr` needs -p tcp)
  for (const o of rule.options) {
    const need = o.spec?.protocols;
    if (need && !given(need)) out.push({ kind: 'option', span: o.item.nameSpan, option: o, protocols: need });
  }
  const t = rule.target;
  const tp = t?.spec?.protocols;
  if (t && tp && (!p || !tp.includes(p))) out.push({ kind: 'target', span: t.span, protocols: tp });
  // the kernel refuses it when the rule is loaded (iptables-restore --test does not see it)
  const rw = t?.spec?.name === 'REJECT' ? t.options.find((o) => o.name === '--reject-with')?.values[0] : undefined;
  if (rw && !rw.dynamic && /^tcp-(reset|rst)$/.test(rw.value) && !(p !== undefined && number === 6)) out.push({ kind: 'tcp-reset', span: rw.span });
  // the kernel finds a CT helper by its name and the rule's protocol: it refuses the rule when it is
  // loaded (measured: `-p udp -j CT --helper ftp`, no -p or `! -p udp`; iptables-restore --test passes it)
  const ct = ctHelperOf(rule);
  if (ct && !(p !== undefined && ct.helper.protocols.some((x) => protocolNumber(x) === number))) out.push({ kind: 'ct-helper', span: ct.word.span, helper: ct.helper });
  // NAT targets only translate ports for protocols that have them; iptables reads the
  // protocol's number, not its `!` (measured: `! -p tcp -j DNAT --to-destination …:80` is taken)
  if (t?.spec && NAT_PORTS.has(t.spec.name) && !(number !== undefined && natPortProtocols(cmd.family).includes(number))) {
    for (const o of t.options) {
      const v = o.values[0];
      if (!v || v.dynamic) continue;
      const hasPort = o.name === '--to-ports' || (t.spec.name !== 'MASQUERADE' && /\]:|^[^:]*:[^:]*$|^\d{1,3}(\.\d{1,3}){3}(-[\d.]+)?:/.test(v.value) && !/^[0-9a-fA-F:]*::/.test(v.value));
      if (hasPort) out.push({ kind: 'nat-port', span: o.item.nameSpan, option: o });
    }
  }
  return out.length ? out.filter((n) => !expansionBefore(cmd, n.span.start)) : out;
}
