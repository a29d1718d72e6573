import type { Chain, Rule } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import { removeRuleFix } from '../removeRule.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { unconditional } from '../unconditional.ts';

/** The chains where an accept of everything opens the host, or the networks behind it. */
const GUARDED = ['INPUT', 'FORWARD'];

/**
 * The state list of a rule whose only tests are connection states (`-m conntrack --ctstate
 * NEW,ESTABLISHED`, `-m state --state …`), each given once, plainly; undefined for any other
 * test, a negation, a shell expansion.
 */
function onlyStates(r: Rule): { words: Span[]; states: Set<string> } | undefined {
  if (r.protocol || r.source || r.destination || r.inInterface || r.outInterface || r.fragment || r.dynamic || r.problems.length) return undefined;
  const words: Span[] = [];
  let states: Set<string> | undefined;
  for (const m of r.matches) {
    if (m.name === 'comment') continue;
    if (m.name !== 'conntrack' && m.name !== 'state') return undefined;
    for (const o of m.options) {
      const w = o.values[0];
      if ((o.name !== '--ctstate' && o.name !== '--state') || o.negated || o.values.length !== 1 || w.dynamic) return undefined;
      const listed = new Set(w.value.toUpperCase().split(','));
      // two state tests: a packet must pass both
      states = states ? new Set([...states].filter((s) => listed.has(s))) : listed;
      words.push(w.span);
    }
  }
  return states ? { words, states } : undefined;
}

/** What closes the chain for new connections that no accept takes: its DROP policy, or a later rule that drops or rejects every packet. */
function closing(chain: Chain, after: number): { span?: Span; what: string } | undefined {
  for (let k = after + 1; k < chain.rules.length; k++) {
    const r = chain.rules[k];
    if (r.guard === 0 && unconditional(r) && (r.target?.name === 'DROP' || r.target?.name === 'REJECT')) return { span: r.span, what: `the ${r.target.name} of every packet at the end of ${chain.name}` };
  }
  return chain.policy === 'DROP' ? { span: chain.policySpan, what: `the DROP policy of ${chain.name}` } : undefined;
}

/** The accept of new and established connections was most likely meant for replies: the states narrowed to ESTABLISHED,RELATED. */
function repliesOnly(ctx: RuleContext, word: Span): Fix[] {
  const text = ctx.read(word.start, word.end);
  const quote = /^(["'])(.*)\1$/.exec(text);
  return [{ title: 'Accept only replies (ESTABLISHED,RELATED)', edits: [{ span: word, text: quote ? `${quote[1]}ESTABLISHED,RELATED${quote[1]}` : 'ESTABLISHED,RELATED' }] }];
}

export const acceptsEveryConnection: LintRule = {
  code: 'accepts-every-connection',
  severity: 'warning',
  summary: 'An ACCEPT in INPUT or FORWARD that takes every new connection, from anywhere to any port (`-j ACCEPT` alone, `--ctstate NEW,ESTABLISHED -j ACCEPT`), where the chain closes otherwise.',
  docs: {
    description: 'Reports an accept of filter INPUT or FORWARD that tests nothing but, at most, connection states that include NEW: no address, interface, protocol or port. When the chain closes otherwise (a DROP policy, or a DROP or REJECT of every packet at its end), that closing never applies to new connections: the host (INPUT) or every network behind it (FORWARD) is open to anyone, and the rules after the accept add nothing for them. Accepts of one interface (`-i lo`, `-i lan0`) or of one source are not reported. Quick fixes: `NEW,ESTABLISHED` (with or without RELATED) becomes `ESTABLISHED,RELATED`, the accept of replies it most likely meant; an accept of everything is removed.',
    rationale: 'The script looks closed (a DROP policy, rules for each service) while it lets everything in: a `-j ACCEPT` left from debugging, or NEW slipped into the accept of replies.',
    bad: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n' },
    good: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n' },
  },
  check(ctx) {
    for (const t of ctx.ruleSet.tables.values()) {
      if (t.name !== 'filter') continue;
      for (const name of GUARDED) {
        const chain = t.chains.get(name);
        if (!chain) continue;
        // an earlier drop of every new connection leaves none to accept
        let newDropped = false;
        chain.rules.forEach((r, k) => {
          if (newDropped) return;
          const states = unconditional(r) ? undefined : onlyStates(r);
          const takesNew = unconditional(r) || !!states?.states.has('NEW');
          if ((r.target?.name === 'DROP' || r.target?.name === 'REJECT') && r.guard === 0 && takesNew) newDropped = true;
          if (r.target?.name !== 'ACCEPT' || r.guard !== 0 || !takesNew) return;
          const closed = closing(chain, k);
          if (!closed) return;
          const who = name === 'INPUT' ? 'to every port of the host' : 'in every direction through the host';
          const narrowed = states && states.words.length === 1 && states.states.has('ESTABLISHED');
          ctx.report({
            span: r.span,
            message: `Accepts every new connection from anywhere, ${who}: ${closed.what} never applies to them${k + 1 < chain.rules.length ? ', and the rules after this one add nothing for them' : ''}.`,
            related: closed.span ? [{ span: closed.span, message: `closes ${name} otherwise` }] : undefined,
            fixes: narrowed ? repliesOnly(ctx, states.words[0]) : unconditional(r) ? removeRuleFix(ctx, r) : undefined,
          });
        });
      }
    }
  },
};
