import type { Family } from '../knowledge/types.ts';
import type { Command, RuleSet } from '../model/types.ts';
import { ruleMatches } from '../simulate/conditions.ts';
import { decidingRule, evaluateChain, passesOn, type Outcome } from '../simulate/evaluate.ts';
import type { Packet } from '../simulate/packet.ts';

/**
 * Where an evaluation of a filter chain went (see waysThrough): per chain, the packets of the
 * ways through that entered it (`entering`) and of those that reached its end (`open`: its
 * policy, or the return from a user chain); filter rewrites no packet, so each is the
 * outcome's. `waysLeft`: the chain whose walk split into as many ways as the evaluation follows
 * and left the others (an UNKNOWN verdict among the outcomes).
 */
export interface WaysOfOne {
  entering: Map<string, Packet[]>;
  open: Map<string, Packet[]>;
  waysLeft?: string;
}

/** The ways through of these evaluations, one each; undefined when one is unknown otherwise (it ran out of work, or the chain was not there). */
export function waysThrough(runs: readonly Outcome[][]): WaysOfOne[] | undefined {
  const add = (map: Map<string, Packet[]>, chain: string, p: Packet) => {
    const list = map.get(chain);
    if (list) {
      if (list[list.length - 1] !== p) list.push(p);
    } else map.set(chain, [p]);
  };
  const out: WaysOfOne[] = [];
  for (const outcomes of runs) {
    const one: WaysOfOne = { entering: new Map(), open: new Map() };
    for (const o of outcomes) {
      if (!o.path.length) return undefined;
      if (o.verdict === 'UNKNOWN') {
        if (!o.waysLeft) return undefined;
        one.waysLeft = o.path[o.path.length - 1].chain;
        continue;
      }
      for (const step of o.path) {
        add(one.entering, step.chain, o.packet);
        if (!step.rule || step.policy) add(one.open, step.chain, o.packet);
      }
    }
    out.push(one);
  }
  return out;
}

const BUILTIN_FILTER = new Set(['INPUT', 'FORWARD', 'OUTPUT']);

/**
 * Whether adding or deleting this filter rule (`step`: `-A`, `-I` anywhere in the chain, `-D`
 * of a rule given by its specification) leaves each evaluation made before it deciding as it
 * did, by the same rules, were it made again (in `rs`, after the step): the rule has no target,
 * or of the packets that reach it (those at the chain's end for `-A`, all that enter it
 * otherwise) it matches none, or those it matches certainly and it decides nothing for them
 * (LOG and the like, or a jump to a user chain that sends each back undecided, one way each). A rule that may match a packet (an address the packet does not
 * have) splits its way in two, and counts against the evaluation's bound on ways: judged again.
 * An evaluation that left ways unfollowed in a built-in chain stays undecided (UNKNOWN) when a
 * rule is appended to that chain: its ways split no later than before. A user chain no way
 * entered: unchanged while no rule of a chain they entered jumps to it (a jump to a chain that
 * did not exist yet was passed over; one added since was judged here).
 */
export function leavesWaysThrough(ways: readonly WaysOfOne[], step: Command, rs: RuleSet): boolean {
  const chain = step.chain;
  const rule = step.rule;
  if ((step.kind !== 'append' && step.kind !== 'insert' && step.kind !== 'delete') || chain === undefined || !rule) return false;
  const builtin = BUILTIN_FILTER.has(chain);
  if (!builtin && !ways.some((w) => w.entering.has(chain))) return !jumpedTo(ways, rs, step.family, chain);
  const t = rule.target;
  if (!t) return true;
  const decidesNothing = passesOn(rule);
  return ways.every((one) => {
    if (one.waysLeft !== undefined) return step.kind === 'append' && builtin && one.waysLeft === chain;
    const matched: Packet[] = [];
    for (const p of (step.kind === 'append' ? one.open : one.entering).get(chain) ?? []) {
      const m = ruleMatches(rule, p);
      if (m === 'maybe') return false;
      if (m === 'yes') matched.push(p);
    }
    if (!matched.length || decidesNothing) return true;
    // a goto ends the chain's walk when the callee comes back: the same as its end only at the end
    if (t.spec || (t.goto && step.kind !== 'append')) return false;
    return matched.every((p) => backUndecided(rs, t.name, p));
  });
}

/** Whether a rule of a chain the ways through entered jumps or goes to `name`. */
function jumpedTo(ways: readonly WaysOfOne[], rs: RuleSet, family: Family, name: string): boolean {
  const table = rs.tables.get(`${family}:filter`);
  const entered = new Set(ways.flatMap((w) => [...w.entering.keys()]));
  for (const c of entered) {
    for (const r of table?.chains.get(c)?.rules ?? []) if (r.target?.name === name) return true;
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
