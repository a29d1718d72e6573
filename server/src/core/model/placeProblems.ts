import type { Span } from '../text/span.ts';
import { isBuiltinChain } from './builtinChains.ts';
import type { Command } from './types.ts';

/** A place a rule's target, match or option does not work in (see placeProblems). */
export interface PlaceProblem {
  span: Span;
  message: string;
  severity?: 'warning';
}

const outside = (hooks: readonly string[], allowed: readonly string[]) => hooks.filter((h) => !allowed.includes(h));

/**
 * A rule's target, matches and options used where they do not work (see target-not-allowed-here):
 * in a table they do not belong to, or in a built-in chain they cannot be used from; in a user
 * chain, from the built-in chains `hooksOf` says reach it (not looked at without it). Each
 * problem is reported; a warning is one only a backend refuses (TRACE outside raw, legacy).
 */
export function placeProblems(cmd: Command, hooksOf: ((chain: string) => readonly string[]) | undefined, report: (d: PlaceProblem) => void): void {
  const rule = cmd.rule;
  if (!rule || cmd.uncertain || cmd.tableDynamic) return;
  // options only some hooks accept: `-i` in OUTPUT, `-o` in INPUT, addrtype's --limit-iface-in.
  // Checked in built-in chains, where iptables refuses the rule; in a user chain an interface
  // test only never matches, and nf_tables lets --limit-iface-in through
  if (rule.chain && isBuiltinChain(cmd.table, rule.chain)) {
    for (const o of rule.options) {
      const byValue = o.spec?.chainsByValue;
      const chains = o.spec?.chains ?? (byValue && byValue[o.values[0]?.value]);
      if (!chains || chains.includes(rule.chain as never)) continue;
      // measured: the kernel takes --physdev-out in OUTPUT beside --physdev-is-bridged, not beside its negation
      const unless = o.spec?.chainsUnless;
      if (unless && rule.options.some((p) => p.owner === o.owner && p.name === unless && !p.negated)) continue;
      report({ span: o.item.nameSpan, message: `${o.item.written}${byValue ? ` ${o.values[0].value}` : ''} only works in ${chains.join(', ')}, not in ${rule.chain}.` });
    }
  }
  // matches that only exist at some hooks (`-m owner` for locally sent packets)
  for (const m of rule.matches) {
    // a match only some tables have (rpfilter: raw and mangle)
    const tables = m.spec?.tables;
    if (tables && !tables.includes(cmd.table as never)) {
      report({ span: m.span, message: `The ${m.name} match only works in the ${tables.join(' or ')} table${tables.length > 1 ? 's' : ''}, not in ${cmd.table}.` });
      continue;
    }
    const chains = m.spec?.chains;
    if (!chains || !rule.chain) continue;
    const hooks = isBuiltinChain(cmd.table, rule.chain) ? (chains.includes(rule.chain as never) ? [] : [rule.chain]) : hooksOf ? outside(hooksOf(rule.chain), chains) : [];
    if (hooks.length) report({ span: m.span, message: `The ${m.name} match only works in ${chains.join(', ')}, not in ${hooks.join(', ')}.` });
  }
  const spec = rule.target?.spec;
  if (!spec) return;
  const span = rule.target!.span;
  // measured (1.8.9, kernel 6.18): legacy's kernel refuses TRACE outside raw, nf_tables takes it anywhere
  const legacy = spec.legacyTables;
  if (legacy && !legacy.includes(cmd.table as never)) {
    report({ span, severity: 'warning', message: `With iptables-legacy ${spec.name} only works in the ${legacy.join(' or ')} table: its kernel refuses the rule in ${cmd.table} (Invalid argument). iptables-nft takes it in any table.` });
  }
  if (!spec.tables && !spec.chains) return;
  if (spec.tables && !spec.tables.includes(cmd.table as never)) {
    report({ span, message: `${spec.name} only works in the ${spec.tables.join(' or ')} table${spec.tables.length > 1 ? 's' : ''}, not in ${cmd.table}.` });
    return;
  }
  if (!spec.chains || !rule.chain) return;
  if (isBuiltinChain(cmd.table, rule.chain)) {
    if (!spec.chains.includes(rule.chain as never)) {
      report({ span, message: `${spec.name} only works in ${spec.chains.join(', ')}${spec.tables ? ` of ${spec.tables.join('/')}` : ''}, not in ${rule.chain}.` });
    }
    return;
  }
  const hooks = hooksOf ? outside(hooksOf(rule.chain), spec.chains) : [];
  if (hooks.length) {
    report({ span, message: `${spec.name} only works in ${spec.chains.join(', ')}, but chain ${rule.chain} is reached from ${cmd.table} ${hooks.join(', ')}.` });
  }
}
