import { isBuiltinChain } from '../../model/builtinChains.ts';
import { chainFacts, hookBoundCommand, hooksChanged, hooksReachingChain, hooksSteps, type ChainFacts } from '../chainGraph.ts';
import { keptWithFacts, prepareKept } from '../keptWithFacts.ts';
import { drain, STEP_ITEMS, type Steps } from '../../services/steps.ts';
import type { Span } from '../../text/span.ts';
import type { Command, RuleSet } from '../../model/types.ts';
import type { LintRule } from '../types.ts';

const outside = (hooks: readonly string[], allowed: readonly string[]) => hooks.filter((h) => !allowed.includes(h));

export const targetNotAllowedHere: LintRule = {
  code: 'target-not-allowed-here',
  severity: 'error',
  summary: 'A target (or a hook-bound match such as owner, or option such as `-o`) used outside the tables and chains it works in (DNAT outside nat PREROUTING/OUTPUT, MASQUERADE outside nat POSTROUTING, REJECT in nat, `-o` in INPUT…), following jumps into user chains.',
  docs: {
    description: 'Reports a target in a table it does not belong to, or in a built-in chain it cannot be used from; likewise, in a built-in chain, an option with no meaning at that hook (`-i` in OUTPUT and POSTROUTING, `-o` in PREROUTING and INPUT, addrtype\'s `--limit-iface-in` outside PREROUTING, INPUT and FORWARD). For a user chain, every built-in chain that reaches it through jumps or gotos is checked: a REJECT in a user chain called from nat PREROUTING is reported, naming the path. TRACE outside the raw table is a warning: the kernel of iptables-legacy refuses it there, iptables-nft takes it in any table.',
    rationale: 'The kernel refuses such rules ("RULE_APPEND failed (Invalid argument)"), so the restore fails or the script stops halfway.',
    bad: { dialect: 'save', text: '*filter\n-A FORWARD -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5\nCOMMIT\n' },
    good: { dialect: 'save', text: '*nat\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5\nCOMMIT\n' },
  },
  *prepare(rs) {
    yield* hooksSteps(rs);
    const facts = chainFacts(rs);
    yield* prepareKept(facts, KEPT, () => reportsOf(rs, facts, STEP_ITEMS));
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const facts = chainFacts(rs);
    const reports = keptWithFacts(
      facts,
      KEPT,
      () => drain(reportsOf(rs, facts, Infinity)),
      (out, patches) => {
        // rules replaced since, and the rules of chains whose hooks a jump that came or went
        // changed: only those are looked at again
        const gone = new Set(patches.map((p) => p.old));
        const rehooked = hooksChanged(patches, facts);
        let k = 0;
        for (const r of out) if (!gone.has(r.cmd) && !rehooked?.(r.cmd)) out[k++] = r;
        out.length = k;
        const again = new Set<Command>();
        // the rules a fresh look would check: an `-o` left without its value binds no interface
        for (const p of patches) if (p.new && !gone.has(p.new) && hookBoundCommand(p.new)) again.add(p.new);
        if (rehooked) for (const cmd of facts.hookBound) if (rehooked(cmd)) again.add(cmd);
        for (const cmd of again) checkCommand(cmd, rs, out);
        return true;
      },
    );
    // spans are the rules' own, which move with the text when an edit above them shifts the lines
    for (const r of reports) ctx.report({ span: r.span, message: r.message, severity: r.severity });
  },
};

/** The name the reports are kept under with the chain facts (see keptWithFacts). */
const KEPT = 'target-not-allowed-here';

/** The reports of the rules with a hook-bound target or match, listed while the chain facts were gathered, `perStep` rules at a time. */
function* reportsOf(rs: RuleSet, facts: ChainFacts, perStep: number): Steps<Report[]> {
  const out: Report[] = [];
  const list = facts.hookBound;
  for (let i = 0; i < list.length; i++) {
    if (i && i % perStep === 0) yield;
    checkCommand(list[i], rs, out);
  }
  return out;
}

interface Report {
  cmd: Command;
  span: Span;
  message: string;
  severity?: 'warning';
}

/** One rule's target and matches against the hooks its chain is reached from. */
function checkCommand(cmd: Command, rs: RuleSet, out: Report[]): void {
  const report = (d: { span: Span; message: string; severity?: 'warning' }) => out.push({ cmd, span: d.span, message: d.message, severity: d.severity });
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
    const hooks = isBuiltinChain(cmd.table, rule.chain) ? (chains.includes(rule.chain as never) ? [] : [rule.chain]) : outside(hooksReachingChain(rs, cmd.family, cmd.table, rule.chain), chains);
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
  const hooks = outside(hooksReachingChain(rs, cmd.family, cmd.table, rule.chain), spec.chains);
  if (hooks.length) {
    report({ span, message: `${spec.name} only works in ${spec.chains.join(', ')}, but chain ${rule.chain} is reached from ${cmd.table} ${hooks.join(', ')}.` });
  }
}
