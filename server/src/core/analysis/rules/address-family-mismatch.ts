import { carriesOver } from '../../knowledge/counterparts.ts';
import { getMatch, getTarget } from '../../knowledge/index.ts';
import { toolName } from '../../knowledge/toolName.ts';
import { isNullMask } from '../../knowledge/values/addresses.ts';
import type { ExtensionSpec, Family, ValueTypeName } from '../../knowledge/types.ts';
import { ctHelperOf } from '../../model/ctHelper.ts';
import type { LintRule, RuleContext } from '../types.ts';
import type { BoundOption } from '../../model/types.ts';
import type { Word } from '../../syntax/nodes.ts';
import type { Span } from '../../text/span.ts';

/** The family an address literal belongs to, when it plainly is one (hostnames are neither). */
export function literalFamily(value: string): Family | undefined {
  const v = value.replace(/^!/, '').split('/')[0];
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return 'ipv4';
  if (/^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(v) && v.includes(':')) return 'ipv6';
  return undefined;
}

/** The address in `a.b.c.d/n`, `a.b.c.d:port`, `a-b` ranges and `[v6]:port`; none in a NAT target's `:port` (the packet's own address, a new port). */
function addressPart(s: string): string {
  if (s.startsWith('[')) return s.slice(1, s.indexOf(']') === -1 ? undefined : s.indexOf(']'));
  if (/^:\d+(-\d+)?$/.test(s)) return '';
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})/.exec(s);
  if (v4) return v4[1];
  return s.split('-')[0].split('/')[0];
}

/**
 * The first entry of an address value (`-s` list, NAT destination, range) written in the
 * other family's notation; invalid-value asks it too, to leave such values to this rule.
 */
export function otherFamilyPart(value: string, family: Family): string | undefined {
  return value.split(',').find((part) => {
    const f = literalFamily(addressPart(part));
    return f !== undefined && f !== family;
  });
}

const ICMP4 = new Set(['icmp', '1']);
const ICMP6 = new Set(['icmpv6', 'ipv6-icmp', 'icmp6', '58']);
/**
 * Values iptables reads as addresses of the rule's family (getaddrinfo for its family alone): by
 * the option's value type, so a new address option (policy's tunnel ends, TPROXY's --on-ip, srh's
 * segments) is checked without a list to keep.
 */
const ADDRESS_TYPES: ReadonlySet<ValueTypeName> = new Set<ValueTypeName>(['address', 'address-list', 'host', 'address-range', 'address-or-range', 'nat-destination']);

export const addressFamilyMismatch: LintRule = {
  code: 'address-family-mismatch',
  severity: 'error',
  summary: 'An IPv6 address in `iptables`, an IPv4 address in `ip6tables`, `icmp` in ip6tables, or an extension of the other family.',
  docs: {
    description: 'Reports addresses of the other family in address options, `-p icmp` with ip6tables and `-p icmpv6` with iptables (a warning: the tool takes the protocol number, and the rule never matches; the quick fix writes this family\'s ICMP), match or target extensions (or options) that exist only for the other family, a conntrack helper the kernel has for IPv4 only (`ip6tables -j CT --helper irc`), such as `-m icmp6` in iptables or `-j REJECT --reject-with icmp6-adm-prohibited` in iptables.',
    rationale: 'iptables and ip6tables are separate tools with separate tables: the command fails ("host/network not found", "unknown option") and the rule never exists for the family you meant. The other family\'s ICMP as `-p` is a warning: the tool takes it as a protocol number, and the rule loads but never matches.',
    bad: { dialect: 'script', text: 'ip6tables -A INPUT -s 192.0.2.0/24 -j DROP\niptables -A INPUT -p icmpv6 -j ACCEPT\n' },
    good: { dialect: 'script', text: 'iptables -A INPUT -s 192.0.2.0/24 -j DROP\nip6tables -A INPUT -p icmpv6 -j ACCEPT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const rule = cmd.rule;
    if (!rule) return;
    const fam = cmd.family;
    const options = rule.options;
    for (let i = 0; i < options.length; i++) {
      const o = options[i];
      const type = o.spec?.args[0]?.type;
      if (type === undefined || !ADDRESS_TYPES.has(type)) continue;
      // a value kept as text is read as text: its word is made for a finding only
      const kept = o.keptValue;
      if (kept !== undefined) checkAddress(ctx, fam, o, kept, undefined);
      else for (const w of o.values) if (!w.dynamic) checkAddress(ctx, fam, o, w.value, w);
    }
    const p = rule.protocol;
    if (p && !p.word.dynamic) {
      const v = p.value.toLowerCase();
      // measured (1.8.9): the tools take the other family's ICMP as a protocol number, and the
      // rule loads but never meets such a packet (`icmp6` is no name iptables knows: invalid-value's)
      // not beside a match of the other family (`-p icmpv6 -m icmp6`): that one's finding comes first
      const otherMatch = rule.matches.some((m) => m.spec && !m.spec.families.includes(fam) && !m.implicit);
      const fix = (to: string) => (otherMatch ? undefined : [{ title: `Change to -p ${to}`, edits: [{ span: p.word.span, text: to }] }]);
      if (fam === 'ipv6' && ICMP4.has(v)) {
        ctx.report({ span: p.word.span, severity: 'warning', message: `'${p.value}' is IPv4's ICMP: ip6tables takes it, but the rule never matches. ICMPv6 is -p ipv6-icmp (or icmpv6).`, fixes: fix('ipv6-icmp') });
      }
      if (fam === 'ipv4' && ICMP6.has(v) && v !== 'icmp6') {
        ctx.report({ span: p.word.span, severity: 'warning', message: `'${p.value}' is ICMPv6: iptables takes it, but the rule never matches. Use -p icmp with iptables, or ip6tables for ICMPv6.`, fixes: fix('icmp') });
      }
    }
    const matches = rule.matches;
    for (let i = 0; i < matches.length; i++) {
      const m = matches[i];
      if (m.spec && !m.spec.families.includes(fam) && !m.implicit) reportOtherFamily(ctx, fam, 'match', m);
    }
    const t = rule.target;
    if (t?.spec && !t.spec.families.includes(fam)) reportOtherFamily(ctx, fam, 'target', t);
    for (let i = 0; i < options.length; i++) {
      const o = options[i];
      if (o.spec?.family && o.spec.family !== fam) ctx.report({ span: o.item.nameSpan, message: `${o.item.written} only exists in ${toolName(o.spec.family)}.` });
    }
    // measured (1.8.9): the kernel has irc, pptp, netbios-ns and the snmp helpers for IPv4 only, and
    // refuses `ip6tables -j CT --helper irc` when the rule is loaded
    const ct = ctHelperOf(rule);
    const known = ct?.helper;
    if (known && !known.families.includes(fam)) ctx.report({ span: ct.word.span, message: `The kernel has the ${known.name} helper for ${known.families.map((f) => (f === 'ipv4' ? 'IPv4' : 'IPv6')).join(' and ')} only: ${toolName(fam)} fails to load the rule.` });
  },
};

/**
 * A match or target of the other family; where that family has a counterpart (ttl and hl), the
 * message names it and the fix writes it, options included.
 */
function reportOtherFamily(ctx: RuleContext, fam: Family, kind: 'match' | 'target', use: { name: string; span: Span; spec?: ExtensionSpec; options: readonly BoundOption[] }): void {
  const spec = use.spec!;
  const other = spec.counterpart;
  const message = `The ${use.name} ${kind} only exists in ${toolName(spec.families[0])}${other ? `: ${toolName(fam)} has ${other.name}${Object.keys(other.options).length ? ` (${Object.values(other.options).join(', ')})` : ''}.` : '.'}`;
  if (!other) return ctx.report({ span: use.span, message });
  const theirs = kind === 'match' ? getMatch(other.name) : getTarget(other.name);
  const edits = [{ span: use.span, text: other.name }];
  for (const o of use.options) {
    const to = theirs?.options.find((x) => x.name === other.options[o.name]);
    // an option with no counterpart, or values that mean something else there: no fix
    if (!o.spec || !to || o.values.some((w) => w.dynamic) || !carriesOver(o.spec, to, o.values.map((w) => w.value), fam)) return ctx.report({ span: use.span, message });
    edits.push({ span: o.item.nameSpan, text: to.name });
  }
  ctx.report({ span: use.span, message, fixes: [{ title: `Change to ${kind === 'match' ? '-m' : '-j'} ${other.name}`, edits }] });
}

/** An address value (`w`, or the one `o` keeps as text when undefined) written in the other family's notation. */
function checkAddress(ctx: RuleContext, fam: Family, o: BoundOption, v: string, w: Word | undefined): void {
  // `0.0.0.0/0` in ip6tables: with a null mask the address is not read (any address)
  const slash = v.lastIndexOf('/');
  if (slash !== -1 && isNullMask(v.slice(slash + 1), fam)) return;
  // an IPv6 literal has a colon, an IPv4 one a dot: most values are settled by that alone
  const colon = v.indexOf(':');
  if (fam === 'ipv4' ? colon === -1 : !v.includes('.')) return;
  // `10.0.0.5:8080`: a dot before the first colon is an IPv4 address with a port (an
  // IPv6 address has its dotted tail after the last colon)
  if (fam === 'ipv4' && !v.includes(',') && v.lastIndexOf('.', colon) !== -1) return;
  const bad = otherFamilyPart(v, fam);
  if (bad) ctx.report({ span: (w ?? o.values[0]).span, message: `${bad} is an ${fam === 'ipv4' ? 'IPv6' : 'IPv4'} address; ${toolName(fam)} only handles ${fam === 'ipv4' ? 'IPv4' : 'IPv6'} (use ${toolName(fam === 'ipv4' ? 'ipv6' : 'ipv4')} for it).` });
}
