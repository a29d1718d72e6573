import type { Chain, Rule, RuleSet, Table, TargetUse } from '../model/types.ts';
import { chainEnds, changesWhatDecides, decidesByItself } from './chainDecides.ts';
import { chainFacts, DECIDING, type ChainFacts, type ChainGraph } from './chainGraph.ts';
import { keptWithFacts } from './keptWithFacts.ts';
import { covers, stateTest, statesCovered, statesOf } from '../simulate/containment.ts';
import { untracks } from '../simulate/evaluate.ts';
import { PACKET_STATES } from '../simulate/packet.ts';
import { protocolNumber } from '../knowledge/protocols.ts';
import { dominates } from './dominates.ts';
import { unconditional } from './unconditional.ts';
import { formatIPv6, ipv6Network } from '../knowledge/values/addresses.ts';
import { inPlace, type RulePatch } from '../model/patchRuleSet.ts';

export interface Shadow {
  rule: Rule;
  by: Rule;
  /** Both decide alike: the same target with the same options (DNAT to the same address). */
  same: boolean;
  /** The table of their chain. */
  table: string;
  /**
   * Where no one rule decides them all: the earlier rules that decide the rule's packets by
   * their connection state, together every state (`by` is the first of them), and the states
   * each decides, in their order.
   */
  byState?: { rule: Rule; states: readonly string[] }[];
}

/**
 * What an earlier rule does to the packets of a later one, for a message: `drops every packet
 * this rule matches`, `sends every connection this rule matches to 192.168.1.10:8080 (DNAT)`
 * (nat sees the first packet of each connection only).
 */
export function decision(t: TargetUse, table: string): string {
  const what = table === 'nat' ? 'every connection this rule matches' : 'every packet this rule matches';
  // a user chain: a goto, or a jump to one that decides every packet (see chainEnds)
  if (!t.spec) return t.goto ? `sends ${what} on to ${t.name} with -g: they never come back to this chain` : `sends ${what} to ${t.name}, which decides every packet it gets`;
  const to = (name: string) => t.options.find((o) => o.name === name)?.values.map((v) => v.value).join(' ');
  switch (t.name) {
    case 'ACCEPT':
      return table === 'nat' ? `leaves ${what} untranslated in this chain (ACCEPT)` : `accepts ${what}`;
    case 'DROP':
      return `drops ${what}`;
    case 'REJECT':
      return `rejects ${what}`;
    case 'DNAT':
      return `sends ${what} to ${to('--to-destination') ?? 'its address'} (DNAT)`;
    case 'SNAT':
      return `gives ${what} the source ${to('--to-source') ?? 'of its choice'} (SNAT)`;
    case 'MASQUERADE':
      return `gives ${what} the outgoing interface's address as source (MASQUERADE)`;
    case 'REDIRECT':
      return `sends ${what} to the host itself${to('--to-ports') ? `, port ${to('--to-ports')}` : ''} (REDIRECT)`;
    case 'RETURN':
      return `sends ${what} back out of this chain (RETURN)`;
    default:
      return `translates ${what} (${t.name})`;
  }
}

/** The states each rule of a Shadow's `byState` decides, for a message: `ESTABLISHED,RELATED; INVALID; NEW`. */
export function statesSplit(byState: NonNullable<Shadow['byState']>): string {
  return byState.map((p) => p.states.join(',')).join('; ');
}

/** The same target with the same options, in any order. */
function sameDecision(a: TargetUse, b: TargetUse | undefined): boolean {
  if (!b || a.name !== b.name || a.options.length !== b.options.length) return false;
  const key = (t: TargetUse) => t.options.map((o) => `${o.negated ? '!' : ''}${o.name}=${o.values.map((v) => v.value).join(' ')}`).sort().join('\n');
  return a.options.length === 0 || key(a) === key(b);
}

/** Chains longer than this are compared only between rules with identical tests (kube-proxy dumps). */
const PAIRWISE_LIMIT = 1500;

function testKey(r: Rule): string {
  return [r.protocol?.value, r.protocol?.negated, r.source?.value, r.destination?.value, r.inInterface?.value, r.outInterface?.value, r.matches.map((m) => `${m.name}:${m.options.map((o) => `${o.negated ? '!' : ''}${o.name}=${o.values.map((v) => v.value).join(' ')}`).join(' ')}`).join('|')].join('§');
}

/**
 * Rules whose every packet an earlier rule of the same chain already decides: with a verdict,
 * in nat with a translation (a second DNAT for the same port never applies), by leaving the
 * chain with RETURN or a goto, or by a jump to a chain that decides every packet it gets.
 * Computed once per rule set and shared by shadowed-rule and redundant-rule.
 */
const cache = new WeakMap<RuleSet, Shadow[]>();
export function shadows(rs: RuleSet): Shadow[] {
  const hit = cache.get(rs);
  if (hit) return hit;
  const out: Shadow[] = [];
  const facts = chainFacts(rs);
  for (const t of rs.tables.values()) {
    // a shadow takes a deciding rule with a rule after it: the chains of a kube-proxy dump
    // mostly have none, its KUBE-SEP chains one DNAT each as their last rule (the graph lists
    // none of them: visiting their 27k chains after each keystroke took 4-8 ms)
    const graph = facts.graph(t);
    const { chains, deciders } = chainsToSearch(facts, t, graph);
    const decidesHere = decidesIn(deciders);
    for (const c of chains) {
      const rules = c.rules;
      if (rules.length > PAIRWISE_LIMIT) {
        const first = new Map<string, Rule>();
        for (const r of rules) {
          if (r.dynamic) continue;
          const k = testKey(r);
          const prev = first.get(k);
          if (prev && dominates(rs, prev, r)) out.push({ rule: r, by: prev, same: sameDecision(prev.target!, r.target), table: t.name });
          // a rule a script may not add decides first only for rules under its own condition
          else if (decidesHere(r) && (!prev || r.guard === 0)) first.set(k, r);
        }
        continue;
      }
      // rules after an unconditional verdict that is there whenever they are (see dominates)
      // are unreachable-rule's finding, not shadowed
      const stop = rules.findIndex(decidesAll);
      const keys = rules.map(keysOf);
      const candidates = new CoverCandidates(keys);
      // the rules that test a connection state (most of a long chain's rules test none)
      const stateTested = rules.map((r) => stateTest(r) !== undefined);
      // whether some packet of the family may be UNTRACKED: asked once a rule needs it
      let untrackedHere: boolean | undefined;
      // any rule after a deciding one that covers it: a LOG or MARK, a jump, a counter without
      // target never sees those packets either
      for (let j = 1; j < rules.length; j++) {
        const b = rules[j];
        if (stop !== -1 && j > stop && decidedBefore(rs, rules, j)) continue;
        const kb = keys[j];
        // b's states not yet decided by the rules above that decide some by state
        let left: Set<string> | undefined;
        let byState: { rule: Rule; states: string[] }[] | undefined;
        // the rules above in order, less those whose values rule them out (cannotCover)
        for (let i = candidates.first(kb, j); i !== -1; i = candidates.next()) {
          const a = rules[i];
          const ka = keys[i];
          if (!mayDecide(rs, decidesHere, a, ka, b, kb)) continue;
          if (covers(a, b)) {
            out.push({ rule: b, by: a, same: sameDecision(a.target!, b.target), table: t.name });
            break;
          }
          if (!stateTested[i] || b.dynamic) continue;
          const states = statesCovered(a, b);
          if (!states) continue;
          left ??= new Set(packetStates(b, (untrackedHere ??= untrackable(rs, t.family)) || untrackedIcmpv6(b)));
          const taken = states.filter((x) => left!.delete(x));
          if (!taken.length) continue;
          (byState ??= []).push({ rule: a, states: taken });
          if (left.size) continue;
          out.push({ rule: b, by: byState[0].rule, same: byState.every((p) => sameDecision(p.rule.target!, b.target)), table: t.name, byState });
          break;
        }
      }
    }
  }
  cache.set(rs, out);
  return out;
}

/** A rule that decides its packets in a table whose deciding user chains are `deciders`. */
function decidesIn(deciders: ReadonlySet<string>): (r: Rule) => boolean {
  // a jump to a chain that decides every packet it gets (a log-and-drop chain) decides too
  return (r) => decides(r) || (!!r.target && !r.target.spec && (r.target.goto || deciders.has(r.target.name)));
}

/**
 * For the chain: the rule above index `end` that decides every packet of the rule at `j`, as
 * shadows() judges it (moved up to `end`, that rule would still never take effect), or
 * undefined, also where it was not looked for. shadows() leaves out the rules after an
 * unconditional verdict, unreachable-rule's findings; a chain may have a thousand of them
 * after a thousand others, so the rules above are walked through the chain's CoverCandidates, as
 * in shadows(), and past PAIRS_ABOVE pairs handed to covers() a chain is not searched further
 * (1,500 rules matching interfaces only after a catch-all and 1,500 before it cost 250 ms a keystroke).
 */
export function decidedAboveIn(rs: RuleSet, t: Table, chain: Chain): (j: number, end: number) => Rule | undefined {
  const facts = chainFacts(rs);
  const decidesHere = decidesIn(chainsToSearch(facts, t, facts.graph(t)).deciders);
  const rules = chain.rules;
  const keys = rules.map(keysOf);
  const candidates = new CoverCandidates(keys);
  let pairs = 0;
  return (j, end) => {
    const b = rules[j];
    const kb = keys[j];
    for (let i = candidates.first(kb, end); i !== -1 && pairs < PAIRS_ABOVE; i = candidates.next()) {
      const a = rules[i];
      const ka = keys[i];
      if (!mayDecide(rs, decidesHere, a, ka, b, kb)) continue;
      pairs++;
      if (covers(a, b)) return a;
    }
    return undefined;
  };
}

const PAIRS_ABOVE = 50_000;

/**
 * Whether rule `a`, above `b` in their chain, may decide every packet of `b`: their keys do
 * not rule it out, `a` has tests and decides its packets, and is there whenever `b` is. What
 * is left to ask is covers(a, b), the costly part.
 */
function mayDecide(rs: RuleSet, decidesHere: (r: Rule) => boolean, a: Rule, ka: Keys, b: Rule, kb: Keys): boolean {
  if (cannotCover(ka.dst, kb.dst) || cannotCover(ka.src, kb.src) || cannotCover(ka.dport, kb.dport)) return false;
  return !unconditional(a) && decidesHere(a) && dominates(rs, a, b);
}

/**
 * The chains where an early rule may decide the packets of a later one: those the graph lists
 * (a verdict, translation, RETURN or goto before the last rule; in a built-in chain a jump
 * too), and the user chains that jump, before their last rule, to a chain that decides every
 * packet it gets (`-A wan-in -s 10.0.0.0/8 -j LOGDROP`); and the names of those deciding
 * chains. Both are kept with the chain facts across edits of rules in place, and found again
 * only after an edit that can change them: of a rule without tests, a RETURN or goto (which
 * decide whether a chain decides every packet), or a jump to a deciding chain.
 */
function chainsToSearch(facts: ChainFacts, t: Table, graph: ChainGraph): { chains: Iterable<Chain>; deciders: ReadonlySet<string> } {
  const { deciders, jumping } = keptWithFacts(
    facts,
    `shadow-jumping:${t.family}:${t.name}`,
    () => jumpingToDeciders(t, graph),
    (kept, patches) => patches.every((p) => keepsDeciders(p, kept.deciders)),
  );
  if (!jumping.length) return { chains: graph.firstDecision.keys(), deciders };
  return { chains: [...graph.firstDecision.keys(), ...jumping.filter((c) => !graph.firstDecision.has(c))], deciders };
}

/**
 * Whether an edit leaves the deciding chains and the chains jumping to them as they were. A
 * rule that came or went moves the rules after it, which may make a jump to a deciding chain
 * the last rule of its chain or no longer the last: only where some chain decides every
 * packet (none in a kube-proxy dump, where a rule typed or deleted keeps them).
 */
function keepsDeciders(p: RulePatch, deciders: ReadonlySet<string>): boolean {
  if (!inPlace(p) && deciders.size && p.chain) return false;
  return !changesDeciders(p.old?.rule, deciders) && !changesDeciders(p.new?.rule, deciders);
}

/** A rule that may decide whether its chain decides every packet (see changesWhatDecides), or that jumps to one that does. */
function changesDeciders(r: Rule | undefined, deciders: ReadonlySet<string>): boolean {
  return changesWhatDecides(r) || (!!r?.target && deciders.has(r.target.name));
}

/** The user chains that decide every packet they get (none unless one decides by a verdict of its own), and the chains that jump to them before their last rule. */
function jumpingToDeciders(t: Table, graph: ChainGraph): { deciders: ReadonlySet<string>; jumping: Chain[] } {
  const deciders = new Set<string>();
  const jumping: Chain[] = [];
  const unconditionalRules = graph.unconditional;
  let some = false;
  for (const c of unconditionalRules.keys()) if (!c.builtin && decidesByItself(c, unconditionalRules)) some = true;
  if (!some) return { deciders, jumping };
  const { jumpDecides } = chainEnds(t, unconditionalRules);
  for (const c of unconditionalRules.keys()) if (!c.builtin && jumpDecides(c.name)) deciders.add(c.name);
  if (!deciders.size) return { deciders, jumping };
  for (const [c, jumps] of graph.jumps) {
    if (c.builtin || !jumps.some((j) => deciders.has(j.name))) continue;
    const rules = c.rules;
    for (let i = 0; i < rules.length - 1; i++) {
      const target = rules[i].target;
      if (target && !target.spec && deciders.has(target.name)) {
        jumping.push(c);
        break;
      }
    }
  }
  return { deciders, jumping };
}

/**
 * The connection states a packet of rule `r` may be in: those its state test names (or leaves
 * out, with `!`), every one where it has none. UNTRACKED only where the rule set untracks some
 * packets (`untrackable`): conntrack tracks every other packet. None where `r`'s test is not
 * one of a packet's states (conntrack's SNAT, DNAT) or it has several.
 */
function packetStates(r: Rule, untrackable: boolean): string[] {
  const all = PACKET_STATES.filter((x) => untrackable || x !== 'UNTRACKED');
  let tests = 0;
  for (const m of r.matches) for (const o of m.options) if (o.name === '--ctstate' || o.name === '--state') tests++;
  if (!tests) return all;
  const o = stateTest(r);
  const named = o && statesOf(o);
  if (!o || !named) return [];
  return o.negated ? all.filter((x) => !named.includes(x)) : all.filter((x) => named.includes(x));
}

/**
 * An ip6tables rule that may match ICMPv6 (no protocol, or ICMPv6's): conntrack leaves neighbour
 * discovery, router advertisements and MLD UNTRACKED without any raw rule (measured, see
 * missing-ndp-accept).
 */
function untrackedIcmpv6(r: Rule): boolean {
  if (r.family !== 'ipv6') return false;
  const p = r.protocol;
  if (!p || p.negated || p.word.dynamic) return true;
  const n = protocolNumber(p.value);
  return n === undefined || n === 0 || n === 58;
}

/**
 * Some packet of `family` may be UNTRACKED: its raw table has a NOTRACK or `CT --notrack` rule,
 * or a rule with a shell expansion that may be one.
 */
function untrackable(rs: RuleSet, family: string): boolean {
  const raw = rs.tables.get(`${family}:raw`);
  if (!raw) return false;
  for (const c of raw.chains.values()) if (c.rules.some((r) => r.dynamic || untracks(r))) return true;
  return false;
}

/** A rule whose target decides the packets it matches (see DECIDING). */
function decides(r: Rule): boolean {
  return !!r.target && DECIDING.has(r.target.name);
}

/** A rule without tests and with a verdict: it decides every packet that reaches it. */
function decidesAll(r: Rule): boolean {
  return unconditional(r) && decides(r);
}

/** A rule that decides every packet comes before rule `j` and is there whenever it is. */
function decidedBefore(rs: RuleSet, rules: Rule[], j: number): boolean {
  for (let i = 0; i < j; i++) if (decidesAll(rules[i]) && dominates(rs, rules[i], rules[j])) return true;
  return false;
}

/**
 * What a rule tests in the fields most rules of a long chain tell apart: its destination,
 * source and destination port, each as one exact value, WIDE (some other test: a network, a
 * list, a range, a negation, an expansion) or undefined (no test). A router script's 1500
 * FORWARD rules, one per host, are otherwise compared pairwise by covers(): a million pairs,
 * over a second.
 */
export interface Keys {
  dst: string | undefined;
  src: string | undefined;
  dport: string | undefined;
}

const WIDE = '';

function keysOf(r: Rule): Keys {
  return { dst: addressKey(r.destination), src: addressKey(r.source), dport: portKey(r) };
}

function addressKey(c: Rule['source']): string | undefined {
  if (!c) return undefined;
  if (c.negated || c.word.dynamic || c.value.includes(',')) return WIDE;
  const v = c.value;
  if (!v.includes(':')) return v.endsWith('/32') ? v.slice(0, -3) : v.includes('/') ? WIDE : v;
  // IPv6: one address is written in many ways (`2001:DB8:0::5`, `2001:db8::5/128`); a /32 is a network
  const n = ipv6Network(v);
  if (!n) return v.includes('/') ? WIDE : v;
  return n.bits === 128 ? formatIPv6(n.groups) : WIDE;
}

function portKey(r: Rule): string | undefined {
  let key: string | undefined;
  for (const o of r.options) {
    if (o.name !== '--destination-port' && o.name !== '--destination-ports' && o.name !== '--ports') continue;
    if (key !== undefined) return WIDE;
    const v = o.values[0];
    key = o.name === '--destination-port' && !o.negated && v && !v.dynamic && /^\d+$/.test(v.value) ? String(Number(v.value)) : WIDE;
  }
  return key;
}

/**
 * The rules of a chain by the values they test (see Keys), to go through the rules above a
 * rule that may cover it, in their order, without asking every pair: a router script's
 * FORWARD chain of 1,500 rules, one per host, and its nat PREROUTING of 1,500 port forwards,
 * one per port, made a million pairs each that cannotCover turned down one by one (40 of the
 * 180 ms an analysis of a 3,000-rule script took). A rule above can cover a rule only where
 * each value it tests exactly is the rule's own or one the rule tests WIDE (cannotCover): the
 * rules are grouped by which fields they test exactly and by those values, and a walk merges
 * the groups that may hold such rules. It may still hand over rules cannotCover turns down
 * (a WIDE value of the rule below opens its whole group), never leaves one out. One walk at
 * a time: first() starts it, next() goes on, -1 ends it.
 */
export class CoverCandidates {
  /** By which fields the rules test exactly (a bit each, see FIELDS): the rules, and by the values joined. */
  private readonly groups: { mask: number; all: number[]; byValues: Map<string, number[]> }[] = [];
  private readonly lists: (readonly number[])[] = [];
  private readonly at: number[] = [];
  private end = 0;

  constructor(keys: readonly Keys[]) {
    const byMask = new Map<number, (typeof this.groups)[number]>();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      let mask = 0;
      let values = '';
      for (let f = 0; f < FIELDS.length; f++) {
        const v = k[FIELDS[f]];
        if (v === undefined || v === WIDE) continue;
        mask |= 1 << f;
        values += `${v}\u0000`;
      }
      let g = byMask.get(mask);
      if (!g) byMask.set(mask, (g = { mask, all: [], byValues: new Map() }));
      g.all.push(i);
      const list = g.byValues.get(values);
      if (list) list.push(i);
      else g.byValues.set(values, [i]);
    }
    this.groups = [...byMask.values()];
  }

  /** The first index below `end` whose rule may cover a rule with keys `k`, or -1. */
  first(k: Keys, end: number): number {
    this.end = end;
    this.lists.length = 0;
    this.at.length = 0;
    for (const g of this.groups) {
      let values = '';
      let wide = false;
      let none = false;
      for (let f = 0; f < FIELDS.length; f++) {
        if (!(g.mask & (1 << f))) continue;
        const v = k[FIELDS[f]];
        // an exact test above, none here: cannotCover
        if (v === undefined) none = true;
        else if (v === WIDE) wide = true;
        else values += `${v}\u0000`;
      }
      if (none) continue;
      const list = wide ? g.all : g.byValues.get(values);
      if (list) {
        this.lists.push(list);
        this.at.push(0);
      }
    }
    return this.next();
  }

  next(): number {
    let best = -1;
    let min = this.end;
    for (let l = 0; l < this.lists.length; l++) {
      const list = this.lists[l];
      const i = this.at[l];
      if (i < list.length && list[i] < min) {
        min = list[i];
        best = l;
      }
    }
    if (best === -1) return -1;
    this.at[best]++;
    return min;
  }
}

/** The fields of Keys the candidates are grouped by. */
const FIELDS = ['dst', 'src', 'dport'] as const;

/**
 * A rule testing one exact value cannot cover one without that test, nor one testing another
 * exact value: covers() would say no. A WIDE test on either side is left to covers().
 */
export function cannotCover(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && a !== WIDE && (b === undefined || (b !== WIDE && b !== a));
}
