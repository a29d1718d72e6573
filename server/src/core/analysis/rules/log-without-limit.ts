import type { Chain, Command, Rule } from '../../model/types.ts';
import { policyPlace } from '../../model/policyPlace.ts';
import { covers } from '../../simulate/containment.ts';
import type { Span } from '../../text/span.ts';
import { chainFacts } from '../chainGraph.ts';
import type { Fix, LintRule } from '../types.ts';
import { matchesExcess } from '../hashlimitExcess.ts';

/**
 * Matches that let through only part of the packets: under a rate (`-m limit`, `-m hashlimit`
 * without `--hashlimit-above` or `! --hashlimit-upto`, which match the excess instead) or a sample (`-m statistic`).
 */
function thinned(rule: Rule): boolean {
  return rule.matches.some((m) => m.name === 'limit' || m.name === 'statistic' || (m.name === 'hashlimit' && !matchesExcess(m)));
}

/** Targets that neither decide nor send the packet elsewhere: a rule of one of these, or without target, lets every packet go on to the next. */
const PASSING = new Set(['LOG', 'NFLOG']);

/**
 * Where every packet the LOG rule at `index` logs is dropped next: the first rule after it that
 * is not another log, when it drops or rejects and takes every packet the LOG rule matches
 * (covers: proved from the tests, or not at all), or, with nothing after it, a built-in
 * chain's DROP policy. A user chain's end returns to the chain that jumped there: not judged.
 */
function droppedNext(chain: Chain, index: number, rule: Rule): { span: Span; what: string; policy: boolean } | undefined {
  const rules = chain.rules;
  for (let k = index + 1; k < rules.length; k++) {
    const next = rules[k];
    const t = next.target;
    if (!t || PASSING.has(t.name)) continue;
    if ((t.name === 'DROP' || t.name === 'REJECT') && t.spec && !next.dynamic && covers(next, rule)) return { span: next.span, what: t.name === 'DROP' ? 'dropped' : 'rejected', policy: false };
    return undefined;
  }
  if (!chain.builtin || chain.policy !== 'DROP') return undefined;
  const span = policyPlace(chain);
  return span && { span, what: `dropped by the ${chain.name} policy`, policy: true };
}

export const logWithoutLimit: LintRule = {
  code: 'log-without-limit',
  severity: 'info',
  summary: 'A LOG rule without a rate limit whose packets are dropped right after it: every packet a scan or a flood sends writes a line to the kernel log.',
  docs: {
    description: 'Reports a rule with the LOG target and no rate limit (`-m limit`, `-m hashlimit` under a rate, or a sample with `-m statistic`) when every packet it logs is dropped next: the first rule after it that is not another log drops or rejects, and takes every packet the LOG rule matches (same tests or fewer), or nothing follows it in a built-in chain whose policy is DROP. That is the log of dropped traffic (`-j LOG` then `-j DROP`, a LOGDROP chain, a last LOG before a DROP policy). Quick fix: `-m limit --limit 5/min` in the LOG rule, before `-j LOG`.',
    rationale: 'LOG writes one kernel log line for every packet it matches. What a host drops is whatever the network sends it unasked: port scans, floods, broadcasts. Unlimited, a single scan writes thousands of lines, a flood writes as fast as packets arrive: the kernel spends its time formatting them, the log fills the disk, and the lines that matter are drowned. A limit keeps a sample (ufw logs at 3/min with a burst of 10); `-m hashlimit --hashlimit-mode srcip` keeps one per source.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j LOG --log-prefix "INPUT drop: "\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m limit --limit 5/min -j LOG --log-prefix "INPUT drop: "\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const facts = chainFacts(rs);
    for (const cmd of facts.logs) {
      const rule = cmd.rule!;
      if (rule.dynamic || rule.problems.length || thinned(rule)) continue;
      const chain = facts.table(rule.family, rule.table)?.chains.get(rule.chain);
      // a rule a later command deleted is in no chain
      const index = chain ? chain.rules.indexOf(rule) : -1;
      if (!chain || index === -1) continue;
      const dropped = droppedNext(chain, index, rule);
      if (!dropped) continue;
      ctx.report({
        span: rule.target!.span,
        message: `Every packet this rule logs is ${dropped.policy ? `then ${dropped.what}` : `${dropped.what} right after it`}, and nothing limits the log: a scan or a flood writes one kernel log line per packet. Log a sample: -m limit --limit 5/min before -j LOG.`,
        related: [{ span: dropped.span, message: `the logged packets are ${dropped.policy ? dropped.what : `${dropped.what} here`}` }],
        fixes: limitFix(cmd),
      });
    }
  },
};

/** `-m limit --limit 5/min` put before the rule's `-j LOG`: a person chooses it (the log then keeps a sample). */
function limitFix(cmd: Command): Fix[] {
  const jump = cmd.args.items.find((i) => (i.written === '-j' || i.written === '--jump') && i.values[0]?.value === 'LOG');
  if (!jump) return [];
  const at = jump.span.start;
  return [{ title: 'Log at most 5 packets a minute (-m limit --limit 5/min)', edits: [{ span: { start: at, end: at }, text: '-m limit --limit 5/min ' }] }];
}
