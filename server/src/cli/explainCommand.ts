import { explainableTerms, explainTerm } from '../core/services/explain.ts';
import { nearestName } from '../core/analysis/nearestName.ts';
import type { CliIO } from './io.ts';

/** `iptables-lint explain TERM`: the hover text for a table, chain, target, match, option or diagnostic code. Exit 1 when unknown. */
export function explainCommand(args: string[], io: CliIO): number {
  const term = args[0];
  if (!term || args.length > 1) {
    io.stderr('usage: iptables-lint explain TERM   (a table, chain, target, match, option or diagnostic code: DNAT, PREROUTING, conntrack, --ctstate, ssh-lockout-risk)\n');
    return 2;
  }
  const text = explainTerm(term);
  if (!text) {
    const terms = explainableTerms();
    const lower = term.toLowerCase();
    const close = nearestName(term, terms);
    const near = [...new Set([...(close ? [close] : []), ...terms.filter((t) => t.toLowerCase().startsWith(lower))])].slice(0, 5);
    io.stderr(`iptables-lint: nothing known as '${term}'${near.length ? `; did you mean ${near.join(', ')}?` : ''}\n`);
    return 1;
  }
  io.stdout(text + '\n');
  return 0;
}
