import { isBuiltinChain } from '../model/builtinChains.ts';
import { FORWARDING_KEY, forwardingOf, routeLocalnetOff } from '../model/sysctlFacts.ts';
import type { Chain, Rule, RuleSet } from '../model/types.ts';
import { ruleMatches } from './conditions.ts';
import { covers } from './containment.ts';
import { addressVerdict } from './addressFacts.ts';
import { candidateRules } from './addressIndex.ts';
import { addressWithPort, natAddressAndPort } from '../knowledge/values/addresses.ts';
import { isLoopbackAddress, type Packet } from './packet.ts';
import type { Family } from '../knowledge/types.ts';
import type { Span } from '../text/span.ts';

/** One step of the packet's path: a chain entered and what decided there. */
export interface Step {
  table: string;
  chain: string;
  /** The netfilter hook (built-in chain name) the step belongs to; set by tracePacket. */
  hook?: string;
  /** The rule that decided in this chain (jump, verdict or NAT), if any, or the NOTRACK of an `untracked` step. */
  rule?: Rule;
  /** The rule untracked the packet (raw's NOTRACK, `CT --notrack`) and the chain went on: a step of its own, so a trace names it. */
  untracked?: true;
  /** The chain's policy decided. */
  policy?: string;
  /** Rules assumed to match (or not) on this branch because they could not be evaluated. */
  assumed?: { rule: Rule; matched: boolean }[];
}

export interface Outcome {
  verdict: string;
  path: Step[];
  packet: Packet;
  rewrites: { destination?: string; source?: string };
  /** The uncertain rules this outcome depends on. */
  assumptions: { rule: Rule; matched: boolean }[];
  /** The hooks the packet entered, in order (tracePacket only): PREROUTING, INPUT… */
  hooks?: string[];
  /** What the routing decision did that no rule shows (tracePacket only): a loopback destination from another host. */
  routing?: string;
  /** An UNKNOWN verdict that stands for the ways left unfollowed once a chain's walk had split into as many as it follows (MAX_BRANCHES). */
  waysLeft?: true;
}

const VERDICTS = new Set(['ACCEPT', 'DROP', 'REJECT', 'QUEUE', 'NFQUEUE', 'SYNPROXY', 'TPROXY']);
const NAT = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);
const MAX_BRANCHES = 64;

/**
 * A rule whose target neither decides nor sends the packet elsewhere (LOG, MARK and the like):
 * the walk goes on to the next rule whether it matches or not (see walkChain).
 */
export function passesOn(rule: Rule): boolean {
  const t = rule.target;
  return !!t?.spec && !VERDICTS.has(t.name) && !t.spec.terminating && !NAT.has(t.name) && t.name !== 'RETURN' && !untracks(rule);
}

interface State {
  packet: Packet;
  path: Step[];
  assumptions: { rule: Rule; matched: boolean }[];
  rewrites: Outcome['rewrites'];
}

type ChainResult = { kind: 'verdict'; verdict: string; state: State; waysLeft?: true } | { kind: 'return'; state: State };

/**
 * A branch's own copy of a state. Of the path only the last step is copied: a walk sets the
 * rule that decided on the chain's current step alone, and the steps before it stay as they
 * were (copying each made a walk through 2,500 user chains, one split in each, allocate
 * millions of steps).
 */
function clone(s: State): State {
  const path = s.path.slice();
  const last = path.length - 1;
  if (last >= 0) path[last] = { ...path[last] };
  return { packet: { ...s.packet }, path, assumptions: [...s.assumptions], rewrites: { ...s.rewrites } };
}

/**
 * What the branch's assumptions about earlier rules prove of `rule`, for the same packet: it
 * cannot match where every packet it matches would have matched a rule assumed not to
 * (`-s 10.1.0.0/16` after `-s 10.0.0.0/8` was assumed not to match), nor where an assumption
 * puts the address it tests elsewhere (see addressVerdict); it matches where it takes every
 * packet of a rule assumed to match, or tests only an address an assumption puts inside. Without this, a packet of unknown source took a branch
 * no packet can take, and a trace that has one answer gave several. The
 * assumptions are those of one table's walk (evaluateChain starts each with none): between
 * tables, branches of the same packet are merged (mergeSamePackets) and theirs would mix, and
 * a NAT, which changes the packet, ends the walk. A NOTRACK changes the state, which is known:
 * a test of it is decided without assumptions.
 */
function provenByAssumptions(s: State, rule: Rule): 'yes' | 'no' | undefined {
  for (let k = 0; k < s.assumptions.length; k++) {
    const a = s.assumptions[k];
    if (a.matched ? covers(rule, a.rule) : covers(a.rule, rule)) return a.matched ? 'yes' : 'no';
    const byAddress = addressVerdict(a.rule, a.matched, rule);
    if (byAddress) return byAddress;
  }
  return undefined;
}

function lowerBound(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A raw table's NOTRACK, or CT --notrack: the packets it matches are not tracked (state UNTRACKED). */
export function untracks(rule: Rule): boolean {
  const t = rule.target;
  return rule.table === 'raw' && !!t && (t.name === 'NOTRACK' || (t.name === 'CT' && t.options.some((o) => o.name === '--notrack')));
}

/** Applies a NAT target's rewrite to the packet (first address of a range, first port). */
function applyNat(rule: Rule, s: State, table: string, chain: string): void {
  const t = rule.target!;
  const opt = (name: string) => t.options.find((o) => o.name === name)?.values[0];
  const p = s.packet;
  if (t.name === 'DNAT' || t.name === 'REDIRECT') {
    if (t.name === 'REDIRECT') {
      const ports = opt('--to-ports');
      p.dst = p.local[0] ?? (p.origin === 'local' ? '127.0.0.1' : undefined);
      // redirected to the host: routing sends it to INPUT even when its address is unknown
      p.toHost = true;
      if (ports && !ports.dynamic) p.dport = Number(ports.value.split('-')[0]);
    } else {
      // the new destination may be the host's own: what was known of the old one no longer holds
      p.toHost = undefined;
      const to = opt('--to-destination');
      if (!to || to.dynamic) {
        p.dst = undefined;
      } else {
        const { address, port } = natAddressAndPort(to.value);
        if (address) p.dst = address;
        if (port && /^\d/.test(port)) p.dport = parseInt(port, 10);
      }
    }
    s.rewrites.destination = addressWithPort(p.dst ?? '?', p.dport);
  } else if (t.name === 'SNAT') {
    const to = opt('--to-source');
    const addr = to && !to.dynamic ? natAddressAndPort(to.value).address : undefined;
    p.src = addr;
    s.rewrites.source = addr ?? '?';
  } else if (t.name === 'MASQUERADE') {
    s.rewrites.source = `address of ${p.out ?? 'the outgoing interface'}`;
    p.src = undefined;
  } else if (t.name === 'NETMAP') {
    s.rewrites[chain === 'POSTROUTING' || chain === 'INPUT' ? 'source' : 'destination'] = opt('--to')?.value ?? '?';
  }
  void table;
}

/**
 * Follows a packet through one chain: rules in order, jumps into user chains, goto,
 * RETURN, the policy at the end. A rule that can neither be proved to match nor not to
 * splits the evaluation into both branches (up to a limit).
 */
/** Shared by one evaluation: a bound on the work done, and the chains being traversed. */
interface Budget {
  steps: number;
  stack: string[];
  /** Stop at the first verdict this takes (see evaluateChain): the ways after it are not followed. */
  stopAt?: (verdict: string) => boolean;
  stopped?: true;
}

function runChain(rs: RuleSet, table: string, chain: Chain, state: State, depth: number, budget: Budget = { steps: 50_000, stack: [] }): ChainResult[] {
  // each chain entered may be walked once in full: a blocklist of 100k `-s … -j DROP` rules
  // is one long walk, not an explosion; the fixed margin is what branches may add
  budget.steps += chain.rules.length;
  budget.stack.push(chain.name);
  try {
    return walkChain(rs, table, chain, state, depth, budget);
  } finally {
    budget.stack.pop();
  }
}

function walkChain(rs: RuleSet, table: string, chain: Chain, state: State, depth: number, budget: Budget): ChainResult[] {
  const out: ChainResult[] = [];
  const decide = (r: ChainResult & { kind: 'verdict' }) => {
    out.push(r);
    if (budget.stopAt?.(r.verdict)) budget.stopped = true;
  };
  let branches: { state: State; index: number }[] = [{ state, index: 0 }];
  const step: Step = { table, chain: chain.name };
  /** A branch was left unfollowed for MAX_BRANCHES: one UNKNOWN outcome stands for them all. */
  let cut = false;
  for (const b of branches) b.state.path.push({ ...step });
  while (branches.length) {
    const next: { state: State; index: number }[] = [];
    for (const { state: s, index } of branches) {
      if (budget.stopped) return out;
      let i = index;
      let done = false;
      const cands = candidateRules(chain, s.packet.dst, s.packet.src, s.packet.dport);
      let ci = cands ? lowerBound(cands, i) : 0;
      while (!done) {
        if (budget.stopped) return out;
        if (cands) {
          if (ci >= cands.length) break;
          i = cands[ci++];
        } else if (i >= chain.rules.length) break;
        const rule = chain.rules[i++];
        // a rule without a target (a counter) changes nothing whether it matches or not: no
        // branch for it. An accounting chain of 512 per-host counters in FORWARD made 262,000
        // comparisons of assumptions for one packet and ran out of branches into UNKNOWN
        if (!rule.target) continue;
        // an evaluation that explodes (many unknowns in nested chains) stops with "unknown"
        if (--budget.steps < 0) {
          decide({ kind: 'verdict', verdict: 'UNKNOWN', state: s });
          done = true;
          break;
        }
        let m = ruleMatches(rule, s.packet);
        if (m === 'maybe') m = provenByAssumptions(s, rule) ?? m;
        if (m === 'no') continue;
        if (m === 'maybe') {
          if (branches.length + next.length + out.length < MAX_BRANCHES) {
            const skip = clone(s);
            skip.assumptions.push({ rule, matched: false });
            next.push({ state: skip, index: i });
          } else if (!cut) {
            // the packets this rule does not match are not followed: their verdict is unknown.
            // Left out, a blocklist of 64 `-s … -j REJECT` rules made every packet rejected
            cut = true;
            const skip = clone(s);
            skip.assumptions.push({ rule, matched: false });
            decide({ kind: 'verdict', verdict: 'UNKNOWN', state: skip, waysLeft: true });
          }
          s.assumptions.push({ rule, matched: true });
        }
        const t = rule.target;
        const here = s.path[s.path.length - 1];
        if (!t) continue;
        if (VERDICTS.has(t.name) || (t.spec?.terminating && t.name !== 'RETURN' && !NAT.has(t.name))) {
          here.rule = rule;
          decide({ kind: 'verdict', verdict: t.name, state: s });
          done = true;
        } else if (NAT.has(t.name)) {
          here.rule = rule;
          applyNat(rule, s, table, chain.name);
          decide({ kind: 'verdict', verdict: 'ACCEPT', state: s });
          done = true;
        } else if (t.name === 'RETURN') {
          here.rule = rule;
          out.push({ kind: 'return', state: s });
          done = true;
        } else if (!t.spec) {
          const callee = rs.tables.get(`${s.packet.family}:${table}`)?.chains.get(t.name);
          // a jump back into a chain being traversed is a loop the kernel refuses (chain-loop)
          if (!callee || depth > 30 || budget.stack.includes(callee.name)) continue;
          here.rule = rule;
          for (const r of runChain(rs, table, callee, s, depth + 1, budget)) {
            // (the callee's walk asked stopAt about its verdicts already)
            if (r.kind === 'verdict') out.push(r);
            else if (t.goto) out.push({ kind: 'return', state: r.state });
            else {
              // back in this chain after the jump
              r.state.path.push({ table, chain: chain.name });
              next.push({ state: r.state, index: i });
            }
          }
          done = true;
        } else if (untracks(rule)) {
          // conntrack runs after raw: the packet is UNTRACKED from here on, and skips nat
          s.packet.state = 'UNTRACKED';
          here.rule = rule;
          here.untracked = true;
          // the chain goes on: what decides next is a step of its own, as after a jump
          s.path.push({ table, chain: chain.name });
        }
        // other targets (LOG, MARK…) do not decide: the next rule sees the packet
      }
      if (!done) out.push({ kind: 'return', state: s });
    }
    branches = next;
  }
  return out;
}

/**
 * When every way through ends in DROP or REJECT, the plainest of them (see plainestOutcome):
 * the packet is certainly refused. Undefined when some way lets it on or is unknown.
 */
export function certainlyRefused(outcomes: readonly Outcome[]): Outcome | undefined {
  return outcomes.length && outcomes.every((o) => o.verdict === 'DROP' || o.verdict === 'REJECT') ? plainestOutcome(outcomes) : undefined;
}

/** A verdict that lets the packet on, or may (UNKNOWN): neither DROP nor REJECT. */
export const letsOn = (verdict: string): boolean => verdict !== 'DROP' && verdict !== 'REJECT';

/** An ACCEPT verdict. */
export const accepted = (verdict: string): boolean => verdict === 'ACCEPT';

/**
 * certainlyRefused of the ways through a chain, its walk stopped at the first way that is not
 * refused (which answers it: not certainly refused).
 */
export function refusedEveryWay(rs: RuleSet, table: string, chainName: string, packet: Packet): Outcome | undefined {
  return certainlyRefused(evaluateChain(rs, table, chainName, packet, letsOn));
}

/** Whether some way through a chain ends in a verdict `wanted` takes, its walk stopped at the first. */
export function someWay(rs: RuleSet, table: string, chainName: string, packet: Packet, wanted: (verdict: string) => boolean): boolean {
  return evaluateChain(rs, table, chainName, packet, wanted).some((o) => wanted(o.verdict));
}

/**
 * Of several outcomes, the one that assumes the fewest uncertain rules matched: the way most
 * packets go (past a rate limit, not through it), which a finding points at.
 */
export function plainestOutcome(outcomes: readonly Outcome[]): Outcome | undefined {
  let best: Outcome | undefined;
  let fewest = Infinity;
  for (const o of outcomes) {
    let n = 0;
    for (const a of o.assumptions) if (a.matched) n++;
    if (n < fewest) {
      fewest = n;
      best = o;
    }
  }
  return best;
}

/** The step that decided an outcome: the last that holds a rule (not one that only untracked the packet) or a policy. */
export function decidingStep(o: Outcome): Step | undefined {
  for (let i = o.path.length - 1; i >= 0; i--) {
    const s = o.path[i];
    if ((s.rule && !s.untracked) || s.policy) return s;
  }
  return undefined;
}

/** The rule that decided an outcome, or undefined when a policy did. */
export function decidingRule(o: Outcome): Rule | undefined {
  return decidingStep(o)?.rule;
}

/**
 * The verdict of one built-in chain of a table (its policy when the end is reached): every
 * way through. With `stopAt`, the walk ends at the first verdict it takes, and the ways are
 * those followed until then: the first way `stopAt` takes is the one every way's list has
 * first. A question about some way (does anything get through?) needs no more: an INPUT that
 * jumps to 2,500 user chains each accepting one port splits a packet of any protocol 2,500
 * times, each way carrying every rule it passed, and the first accept answers it.
 */
export function evaluateChain(rs: RuleSet, table: string, chainName: string, packet: Packet, stopAt?: (verdict: string) => boolean): Outcome[] {
  const chain = rs.tables.get(`${packet.family}:${table}`)?.chains.get(chainName);
  const start: State = { packet: { ...packet }, path: [], assumptions: [], rewrites: {} };
  if (!chain) return [{ verdict: 'ACCEPT', path: [], packet: start.packet, rewrites: {}, assumptions: [] }];
  return runChain(rs, table, chain, start, 0, { steps: 50_000, stack: [], ...(stopAt ? { stopAt } : {}) }).map((r) => {
    if (r.kind === 'verdict') return { verdict: r.verdict, path: r.state.path, packet: r.state.packet, rewrites: r.state.rewrites, assumptions: r.state.assumptions, ...(r.waysLeft ? { waysLeft: true as const } : {}) };
    const policy = chain.builtin ? chain.policy : 'ACCEPT';
    if (isBuiltinChain(table, chainName)) {
      const last = r.state.path[r.state.path.length - 1];
      // after a goto the walk ends in the user chain, yet the built-in chain's policy decides:
      // the path says so with a step of its own
      if (last && last.chain === chainName) last.policy = policy;
      else r.state.path.push({ table, chain: chainName, policy });
    }
    return { verdict: policy, path: r.state.path, packet: r.state.packet, rewrites: r.state.rewrites, assumptions: r.state.assumptions };
  });
}

/**
 * The tables each hook calls, in the kernel's order: by priority, lowest first (NF_IP_PRI_*
 * of linux/netfilter_ipv4.h: raw -300, mangle -150, nat for destinations -100, filter 0,
 * security 50, nat for sources 100). So INPUT and POSTROUTING run their nat (source NAT)
 * last: a packet that filter INPUT drops never reaches nat INPUT.
 */
export const HOOK_TABLES: Readonly<Record<string, readonly string[]>> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'security', 'nat'],
  FORWARD: ['mangle', 'filter', 'security'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
  POSTROUTING: ['mangle', 'nat'],
};

/**
 * The routing decision after PREROUTING: the host's own packets go to INPUT, others to
 * FORWARD. A loopback destination (a DNAT to 127.0.0.1) is the host's own; that routing drops
 * it when it came from another host without route_localnet is dnat-to-loopback's finding.
 */
function routeOf(p: Packet): string[] {
  if (p.toHost || (p.dst !== undefined && (p.local.includes(p.dst) || isLoopbackAddress(p.dst)))) return ['INPUT'];
  // an unknown destination with known host addresses may be either; with none, assume routed
  if (p.dst === undefined && p.local.length > 0) return ['INPUT', 'FORWARD'];
  return ['FORWARD'];
}

/**
 * The kernel settings of the host a save file is loaded on, where the workspace keeps them
 * (its sysctl.conf and sysctl.d files, as the save-file checks read them): given by the front
 * end, which reads files. Without them a save file's host is not known.
 */
export interface HostSysctl {
  forwarding: readonly { family: Family; value?: string; file: string }[];
  routeLocalnet: readonly { iface: string; value?: string; file: string }[];
}

/** Who set something, as a note names it: a sysctl file by its name (the front end gives paths). */
function setter(setting: { file?: string }): string {
  const f = setting.file;
  return f ? f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1) : 'this script';
}

/**
 * What routing does with a packet from another host whose destination a DNAT made a loopback
 * address: IPv6 never delivers it (a drop), IPv4 only where route_localnet is on for the
 * interface it arrived on. Settings that turn it off there (a script's, read as
 * dnat-to-loopback reads them, or for a save file the workspace's sysctl files) have it
 * dropped, ones that may turn it on let it through; otherwise it is said beside the way on to
 * INPUT. Measured in test/oracle/dnatToLoopback.test.ts.
 */
function loopbackRouting(rs: RuleSet, p: Packet, host: HostSysctl | undefined): { drop: boolean; note: string } | undefined {
  if (p.origin !== 'remote' || p.in === 'lo' || p.dst === undefined || !isLoopbackAddress(p.dst)) return undefined;
  if (p.family === 'ipv6') return { drop: true, note: `routing drops it: IPv6 does not deliver packets for ${p.dst} that arrive on another interface` };
  const key = `net.ipv4.conf.${p.in ?? '<interface>'}.route_localnet`;
  const settings = rs.dialect === 'script' ? rs.routeLocalnet : host?.routeLocalnet;
  if (settings) {
    const off = routeLocalnetOff<{ iface?: string; value?: string; span?: Span; file?: string }>(settings, p.in);
    if (!off) return undefined;
    if (off.span || off.file) return { drop: true, note: `routing drops it: for ${p.dst} it needs ${key}=1 (or all), and ${setter(off)} turns it off` };
  }
  return { drop: false, note: `for ${p.dst}: routing takes it to INPUT only where ${key}=1 (or all), and drops it otherwise` };
}

/**
 * What routing does with a packet it would forward, by what the settings of forwarding say
 * (a script's, or for a save file the workspace's sysctl files; read as missing-ip-forward
 * reads them): off drops it; never set leaves it to the host (the kernel starts with 0), said
 * beside the way on. A save file whose workspace was not searched does not say.
 */
function forwardRouting(rs: RuleSet, p: Packet, host: HostSysctl | undefined): { drop: boolean; note: string } | undefined {
  if (p.origin !== 'remote') return undefined;
  const facts: readonly { family: Family; value?: string; file?: string }[] | undefined = rs.dialect === 'script' ? rs.forwarding : host?.forwarding;
  if (!facts) return undefined;
  const key = FORWARDING_KEY[p.family];
  const forwarding = forwardingOf(facts, p.family);
  if (forwarding.state === 'off') return { drop: true, note: `routing drops it: ${setter(forwarding.off)} sets ${key}=0, so the host forwards nothing` };
  if (forwarding.state === 'unset') {
    const where = rs.dialect === 'script' ? 'this script does not set' : 'no sysctl file of the workspace sets';
    return { drop: false, note: `not for this host: routing forwards it only where ${key}=1, which ${where} (the kernel starts with 0)` };
  }
  return undefined;
}

/**
 * The whole path through the hooks: PREROUTING → routing → INPUT or FORWARD → POSTROUTING,
 * or OUTPUT → POSTROUTING for local packets. nat chains only see NEW connections.
 */
export function tracePacket(rs: RuleSet, packet: Packet, host?: HostSysctl): Outcome[] {
  const hooks = packet.origin === 'local' ? ['OUTPUT', 'POSTROUTING'] : ['PREROUTING', 'ROUTE', 'POSTROUTING'];
  let states: Outcome[] = [{ verdict: 'ACCEPT', path: [], packet: { ...packet }, rewrites: {}, assumptions: [], hooks: [] }];
  const final: Outcome[] = [];
  for (const hook of hooks) {
    const next: Outcome[] = [];
    for (const st of states) {
      const loopback = hook === 'ROUTE' ? loopbackRouting(rs, st.packet, host) : undefined;
      if (loopback?.drop) {
        final.push({ ...st, verdict: 'DROP', routing: loopback.note });
        continue;
      }
      if (loopback) st.routing = loopback.note;
      for (const h of hook === 'ROUTE' ? routeOf(st.packet) : [hook]) {
        const forward = h === 'FORWARD' ? forwardRouting(rs, st.packet, host) : undefined;
        if (forward?.drop) {
          final.push({ ...st, verdict: 'DROP', routing: forward.note });
          continue;
        }
        let cur: Outcome[] = [{ ...st, path: [...st.path], rewrites: { ...st.rewrites }, assumptions: [...st.assumptions], hooks: [...(st.hooks ?? []), h], ...(forward ? { routing: forward.note } : {}) }];
        for (const table of HOOK_TABLES[h]) {
          if (!rs.tables.has(`${packet.family}:${table}`)) continue;
          const after: Outcome[] = [];
          for (const c of cur) {
            // nat chains see only the first packet of a tracked connection (raw's NOTRACK may have untracked it)
            if (table === 'nat' && c.packet.state !== 'NEW') {
              after.push(c);
              continue;
            }
            for (const o of evaluateChain(rs, table, h, c.packet)) {
              for (const step of o.path) step.hook = h;
              const merged: Outcome = { verdict: o.verdict, path: [...c.path, ...o.path], packet: o.packet, rewrites: { ...c.rewrites, ...o.rewrites }, assumptions: [...c.assumptions, ...o.assumptions], hooks: c.hooks };
              if (c.routing) merged.routing = c.routing;
              if (o.verdict === 'ACCEPT') after.push(merged);
              else final.push(merged);
            }
          }
          cur = after.length > MERGE_ABOVE ? mergeSamePackets(after, final) : after;
        }
        // a packet for this host ends at INPUT
        if (h === 'INPUT') final.push(...cur);
        else next.push(...cur);
      }
    }
    states = next;
  }
  final.push(...states);
  return final;
}

/** Above this many branches going on to the next table, those carrying the same packet are merged (see mergeSamePackets). */
const MERGE_ABOVE = 8;

/**
 * The branches a table let through, one per distinct packet: what the next tables do depends
 * on the packet alone, so branches that differ only in the rules they assumed (a mangle chain
 * of rate limits and marks, each of which may or may not match) would have the same future.
 * Walked one by one, each table multiplied them: a random 24-rule script took 6 s and 420 MB
 * in one check, and 800 rules ran out of memory. The first of each kind stands for the
 * others. Past MAX_BRANCHES distinct packets, the rest end as one UNKNOWN outcome in `final`.
 */
function mergeSamePackets(branches: Outcome[], final: Outcome[]): Outcome[] {
  const seen = new Set<string>();
  const kept: Outcome[] = [];
  for (const o of branches) {
    const key = `${JSON.stringify(o.packet)}|${o.rewrites.destination}|${o.rewrites.source}|${o.routing}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (kept.length < MAX_BRANCHES) kept.push(o);
    else {
      final.push({ ...o, verdict: 'UNKNOWN' });
      break;
    }
  }
  return kept;
}

/** A verdict proven for every branch, or undefined when the branches disagree. */
export function definiteVerdict(outcomes: Outcome[]): string | undefined {
  const v = new Set(outcomes.map((o) => o.verdict));
  return v.size === 1 ? [...v][0] : undefined;
}
