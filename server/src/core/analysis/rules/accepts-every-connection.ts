import type { Chain, Rule, Table } from '../../model/types.ts';
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

/** A chain the walk went into: the jump from the chain above, and where the walk started. */
interface Path {
  /** The built-in chain (INPUT or FORWARD) the walk started in, and the index there of the rule it is at. */
  top: Chain;
  topIndex: number;
  /** The jumps taken to get here, outermost first. */
  jumps: Rule[];
  /** How the walks through chains already walked from `top` ended: a chain jumped to from many places is walked once. */
  walked: Map<Chain, WalkEnd>;
}

/** How a walk through a chain ended: no new connection goes further (a drop of all, or a RETURN of all in INPUT or FORWARD, where the policy decides), or the chain is over (its end, a RETURN of all). */
type WalkEnd = 'stopped' | 'returned';

/**
 * Walks a chain's rules as every new connection does: an accept of all of them is reported, a
 * drop of all ends the walk, and a jump of all goes into the chain jumped to (ufw's INPUT hands
 * everything to ufw-before-input and the rest: an accept of everything there opens INPUT the
 * same). A goto, a chain already on the path or a rule under a shell condition is not followed.
 */
function walk(ctx: RuleContext, t: Table, chain: Chain, path: Path, reported: Set<Rule>): WalkEnd {
  for (let k = 0; k < chain.rules.length; k++) {
    const r = chain.rules[k];
    if (!path.jumps.length) path.topIndex = k;
    const states = unconditional(r) ? undefined : onlyStates(r);
    const takesNew = unconditional(r) || !!states?.states.has('NEW');
    if (r.guard !== 0 || !takesNew) continue;
    const target = r.target?.name;
    // an earlier drop of every new connection leaves none to accept
    if (target === 'DROP' || target === 'REJECT') return 'stopped';
    if (target === 'RETURN') return path.jumps.length ? 'returned' : 'stopped';
    if (target === 'ACCEPT') {
      if (!reported.has(r)) report(ctx, r, states, path, k + 1 < chain.rules.length);
      reported.add(r);
      continue;
    }
    const into = target && !r.target!.spec && !r.target!.goto ? t.chains.get(target) : undefined;
    if (!into || into.builtin || into === path.top || path.jumps.some((j) => j.target!.name === target)) continue;
    let end = path.walked.get(into);
    if (end === undefined) {
      path.jumps.push(r);
      end = walk(ctx, t, into, path, reported);
      path.jumps.pop();
      path.walked.set(into, end);
    }
    if (end === 'stopped') return end;
  }
  return 'returned';
}

function report(ctx: RuleContext, r: Rule, states: ReturnType<typeof onlyStates>, path: Path, rulesAfter: boolean): void {
  const { top } = path;
  const closed = closing(top, path.topIndex);
  if (!closed) return;
  const who = top.name === 'INPUT' ? 'to every port of the host' : 'in every direction through the host';
  const via = path.jumps.length ? ` (${top.name} sends every new connection here)` : '';
  const after = path.jumps.length || rulesAfter ? ', and the rules after this one add nothing for them' : '';
  const narrowed = states && states.words.length === 1 && states.states.has('ESTABLISHED');
  const related = path.jumps.map((j) => ({ span: j.span, message: 'sends every new connection on' }));
  if (closed.span) related.push({ span: closed.span, message: `closes ${top.name} otherwise` });
  ctx.report({
    span: r.span,
    message: `Accepts every new connection from anywhere, ${who}${via}: ${closed.what} never applies to them${after}.`,
    related: related.length ? related : undefined,
    fixes: narrowed ? repliesOnly(ctx, states.words[0]) : unconditional(r) ? removeRuleFix(ctx, r) : undefined,
  });
}

export const acceptsEveryConnection: LintRule = {
  code: 'accepts-every-connection',
  severity: 'warning',
  summary: 'An ACCEPT in INPUT or FORWARD, or in a chain they send every packet to, that takes every new connection, from anywhere to any port (`-j ACCEPT` alone, `--ctstate NEW,ESTABLISHED -j ACCEPT`), where the chain closes otherwise.',
  docs: {
    description: 'Reports an accept of filter INPUT or FORWARD that tests nothing but, at most, connection states that include NEW: no address, interface, protocol or port. When the chain closes otherwise (a DROP policy, or a DROP or REJECT of every packet at its end), that closing never applies to new connections: the host (INPUT) or every network behind it (FORWARD) is open to anyone, and the rules after the accept add nothing for them. The same accept in a user chain that INPUT or FORWARD jumps to for every new connection (ufw\'s `ufw-before-input`, `ufw-user-input`) is reported too, with the jumps that lead there; a RETURN of everything ends that chain, a drop of everything ends the search. Accepts of one interface (`-i lo`, `-i lan0`) or of one source are not reported. Quick fixes: `NEW,ESTABLISHED` (with or without RELATED) becomes `ESTABLISHED,RELATED`, the accept of replies it most likely meant; an accept of everything is removed.',
    rationale: 'The script looks closed (a DROP policy, rules for each service) while it lets everything in: a `-j ACCEPT` left from debugging, or NEW slipped into the accept of replies.',
    bad: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n' },
    good: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n' },
  },
  check(ctx) {
    for (const t of ctx.ruleSet.tables.values()) {
      if (t.name !== 'filter') continue;
      // a rule reached from both INPUT and FORWARD is reported once, from the first
      const reported = new Set<Rule>();
      for (const name of GUARDED) {
        const chain = t.chains.get(name);
        if (chain) walk(ctx, t, chain, { top: chain, topIndex: 0, jumps: [], walked: new Map() }, reported);
      }
    }
  },
};
