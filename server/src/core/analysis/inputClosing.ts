import type { Chain, Rule, Table } from '../model/types.ts';
import { policyPlace } from '../model/policyPlace.ts';
import type { Span } from '../text/span.ts';
import { unconditional } from './unconditional.ts';

const REFUSE = new Set(['DROP', 'REJECT']);

/**
 * Where a filter INPUT chain ends closed: its last rule when that drops or rejects every
 * packet, itself or through the user chain it sends every packet to (`-A INPUT -j LOGDROP`,
 * LOGDROP logging and then dropping), else its DROP or REJECT policy; undefined when packets no
 * rule decides are accepted. `refuses` is the rule that drops or rejects them (the chain's last
 * rule, or the user chain's). `table` is the chain's, where the user chains are looked up (without
 * it only the chain's own last rule counts). ipv6-left-open compares the two families with it,
 * and the front end reads an IPv6 rules file kept beside an IPv4 one with it.
 */
export function inputClosing(input: Chain | undefined, table?: Table): { span: Span; rule?: Rule; refuses?: Rule } | undefined {
  if (!input) return undefined;
  const last = input.rules[input.rules.length - 1];
  const refuses = last && endsClosed(last, table, new Set([input.name]));
  if (refuses) return { span: last.span, rule: last, refuses };
  if (!REFUSE.has(input.policy)) return undefined;
  const span = policyPlace(input);
  return span && { span };
}

/**
 * The rule that drops or rejects every packet reaching `rule`: itself, or the last rule of the
 * user chain it sends every packet to, where no rule of that chain returns (a RETURN, even
 * under a condition, sends some back to the chain that jumped). `seen`: the chains on the way.
 */
function endsClosed(rule: Rule, table: Table | undefined, seen: Set<string>): Rule | undefined {
  const t = rule.target;
  if (!t || !unconditional(rule)) return undefined;
  if (REFUSE.has(t.name)) return rule;
  const chain = !t.spec && table ? table.chains.get(t.name) : undefined;
  if (!chain || chain.builtin || seen.has(chain.name) || chain.rules.some((r) => r.target?.name === 'RETURN')) return undefined;
  const last = chain.rules[chain.rules.length - 1];
  seen.add(chain.name);
  return last && endsClosed(last, table, seen);
}
