import { placeProblems } from '../../model/placeProblems.ts';
import { chainFacts, hookBoundCommand, hooksChanged, hooksReachingChain, hooksSteps, type ChainFacts } from '../chainGraph.ts';
import { keptWithFacts, prepareKept } from '../keptWithFacts.ts';
import { drain, STEP_ITEMS, type Steps } from '../../services/steps.ts';
import type { Span } from '../../text/span.ts';
import type { Command, RuleSet } from '../../model/types.ts';
import type { LintRule } from '../types.ts';

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

/** One rule's target, matches and options against the hooks its chain is reached from. */
function checkCommand(cmd: Command, rs: RuleSet, out: Report[]): void {
  placeProblems(cmd, (chain) => hooksReachingChain(rs, cmd.family, cmd.table, chain), (d) => out.push({ cmd, span: d.span, message: d.message, severity: d.severity }));
}
