import type { Family } from '../knowledge/types.ts';
import type { Command, RuleSet } from '../model/types.ts';
import { ruleMatches } from '../simulate/conditions.ts';
import { decidingRule, evaluateChain, untracks, type Outcome } from '../simulate/evaluate.ts';
import type { Packet } from '../simulate/packet.ts';

/**
 * Where some evaluations of filter chains went (see waysThrough): per chain, the packets of
 * the ways through that entered it (`entering`) and of those that reached its end (`open`: its
 * policy, or the return from a user chain). filter rewrites no packet, so each is the outcome's.
 */
export interface WaysThrough {
  entering: Map<string, Packet[]>;
  open: Map<string, Packet[]>;
}

/** The ways through of these evaluations; undefined when one is unknown (the evaluation gave up, or the chain was not there). */
export function waysThrough(runs: readonly Outcome[][]): WaysThrough | undefined {
  const entering = new Map<string, Packet[]>();
  const open = new Map<string, Packet[]>();
  const add = (map: Map<string, Packet[]>, chain: string, p: Packet) => {
    const list = map.get(chain);
    if (list) {
      if (list[list.length - 1] !== p) list.push(p);
    } else map.set(chain, [p]);
  };
  for (const outcomes of runs) {
    for (const o of outcomes) {
      if (o.verdict === 'UNKNOWN' || !o.path.length) return undefined;
      for (const step of o.path) {
        add(entering, step.chain, o.packet);
        if (!step.rule || step.policy) add(open, step.chain, o.packet);
      }
    }
  }
  return { entering, open };
}

const BUILTIN_FILTER = new Set(['INPUT', 'FORWARD', 'OUTPUT']);
/** Targets that end a packet's way through a chain (see evaluateChain), or send it on to a user chain. */
const DECIDING = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'QUEUE', 'NFQUEUE', 'SYNPROXY', 'TPROXY', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);

/**
 * Whether adding this filter rule (`step`: `-A`, or `-I` anywhere in the chain) leaves every
 * way through of the evaluations made before it as it was, so that evaluating them again (in
 * `rs`, with the rule) would decide the same, by the same rules: the rule has no target, or of
 * the packets that reach it (those at the chain's end for `-A`, all that enter it for `-I`) it
 * matches none, or those it matches certainly and it decides nothing for them (LOG and the
 * like, or a jump to a user chain that sends each back undecided, one way each). A rule that
 * may match a packet (an address the packet does not have) splits its way in two, and with it
 * the evaluation's bound on ways: that is judged again. A user chain no way entered:
 * unchanged while no rule of a chain they entered jumps to it (a jump to a chain that did not
 * exist yet was passed over; one added since was judged here).
 */
export function unchangedByAdding(ways: WaysThrough, step: Command, rs: RuleSet): boolean {
  const chain = step.chain;
  const rule = step.rule;
  if ((step.kind !== 'append' && step.kind !== 'insert') || chain === undefined || !rule) return false;
  if (!ways.entering.has(chain) && !BUILTIN_FILTER.has(chain)) return !jumpedTo(ways, rs, step.family, chain);
  const t = rule.target;
  if (!t) return true;
  const matched: Packet[] = [];
  for (const p of (step.kind === 'append' ? ways.open : ways.entering).get(chain) ?? []) {
    const m = ruleMatches(rule, p);
    if (m === 'maybe') return false;
    if (m === 'yes') matched.push(p);
  }
  if (!matched.length || (t.spec && !t.spec.terminating && !DECIDING.has(t.name) && !untracks(rule))) return true;
  // a goto ends the chain's walk when the callee comes back: the same as its end only at the end
  if (t.spec || (t.goto && step.kind !== 'append')) return false;
  return matched.every((p) => backUndecided(rs, t.name, p));
}

/** Whether a rule of a chain the ways through entered jumps or goes to `name`. */
function jumpedTo(ways: WaysThrough, rs: RuleSet, family: Family, name: string): boolean {
  const table = rs.tables.get(`${family}:filter`);
  for (const entered of ways.entering.keys()) {
    for (const r of table?.chains.get(entered)?.rules ?? []) if (r.target?.name === name) return true;
  }
  return false;
}

/** Whether the packet goes one way through the user chain `name`, and comes back from it with nothing decided. */
function backUndecided(rs: RuleSet, name: string, p: Packet): boolean {
  const callee = rs.tables.get(`${p.family}:filter`)?.chains.get(name);
  if (!callee || callee.builtin) return false;
  const ways = evaluateChain(rs, 'filter', name, p);
  if (ways.length !== 1 || ways[0].verdict === 'UNKNOWN') return false;
  const by = decidingRule(ways[0]);
  return !by || by.target?.name === 'RETURN';
}
