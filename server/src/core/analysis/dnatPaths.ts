import { inPlace, type RulePatch } from '../model/patchRuleSet.ts';
import type { Command, Rule, RuleSet, Table } from '../model/types.ts';
import { chainFacts, dnatCommand, hooksChanged, hooksReachingChain } from './chainGraph.ts';
import { isBuiltinChain } from '../model/builtinChains.ts';
import { fieldsRead, type PacketField } from '../simulate/conditions.ts';
import { evaluateChain, type Outcome } from '../simulate/evaluate.ts';
import { natAddressAndPort } from '../knowledge/values/addresses.ts';
import { isLoopbackAddress, type Packet } from '../simulate/packet.ts';
import { NONE } from '../syntax/none.ts';
import { exactDestinationPort, exactInInterface, exactProtocol } from '../simulate/packetFromRule.ts';
import { chainsReached } from './chainsReached.ts';
import { drain, STEP_ITEMS, type Steps } from '../services/steps.ts';

/**
 * A DNAT rule with what becomes of the connections it translates. The translated packet is
 * made again when asked for (hover, the finding's message): a kube-proxy dump's 27k DNATs
 * kept theirs, 3.3 MB of the 100k-rule dump's heap; the outcomes are shared between DNATs.
 */
export class DnatCheck {
  readonly dnat: Rule;
  readonly forward: Outcome[];
  /** The first reply from the server, state ESTABLISHED. */
  readonly replies: Outcome[];

  constructor(dnat: Rule, forward: Outcome[], replies: Outcome[]) {
    this.dnat = dnat;
    this.forward = forward;
    this.replies = replies;
  }

  /** The translated first packet, as FORWARD sees it. */
  get packet(): Packet {
    return translatedPacket(this.dnat)!;
  }
}

/**
 * For each DNAT in nat PREROUTING (and the user chains it reaches) whose connections pass
 * FORWARD (see dnatForwards), the translated packet
 * of a new connection — new address and port, the rule's interface and protocol — through
 * filter FORWARD, and the server's reply. Shared by the diagnostic and by hover.
 */
export function dnatChecks(rs: RuleSet): DnatCheck[] {
  let out = computed.get(rs);
  if (!out) computed.set(rs, (out = drain(compute(rs, Infinity))));
  return out;
}

/**
 * dnatChecks worked out in steps, `perStep` DNATs at a time, and kept: the 5,000 port
 * forwards of a 10,000-rule router script took 125–145 ms in one piece, the most of any step
 * of its first analysis.
 */
export function* dnatChecksSteps(rs: RuleSet, perStep = STEP_ITEMS): Steps<void> {
  if (computed.has(rs)) return;
  const out = yield* compute(rs, perStep);
  if (!computed.has(rs)) computed.set(rs, out);
}

/** Shared by the diagnostic and by hover: a rule set is evaluated once. */
const computed = new WeakMap<RuleSet, DnatCheck[]>();

/** Fields read by any rule that a packet entering `chain` can meet, following jumps and gotos. */
function fieldsReachable(table: Table | undefined, chain: string): PacketField[] {
  const fields = new Set<PacketField>(['state']);
  const start = table?.chains.get(chain);
  if (!table || !start) return [...fields];
  for (const c of chainsReached(table, start)) for (const r of c.rules) fieldsRead(r, fields);
  return [...fields];
}

/** Evaluates translated packets through filter FORWARD, once per distinct packet as FORWARD sees it. */
function forwardEvaluator(rs: RuleSet): (packet: Packet) => Outcome[] {
  // A kube-proxy dump has tens of thousands of DNATs whose packets differ only in fields
  // that no FORWARD rule looks at: packets equal on the fields read share one evaluation.
  const memo = new Map<string, Outcome[]>();
  const fieldsByFamily = new Map<string, PacketField[]>();
  return (packet) => {
    let fields = fieldsByFamily.get(packet.family);
    if (!fields) fieldsByFamily.set(packet.family, (fields = fieldsReachable(rs.tables.get(`${packet.family}:filter`), 'FORWARD')));
    let key: string = packet.family;
    for (const f of fields) key += `|${packet[f] ?? ''}`;
    let o = memo.get(key);
    if (!o) memo.set(key, (o = evaluateChain(rs, 'filter', 'FORWARD', packet)));
    return o;
  };
}

/**
 * The first packet of a connection the DNAT rule is written for, as it arrives (only the
 * fields DNAT keeps) and as DNAT leaves it; undefined when the translation is not known.
 */
export function translatedPacket(rule: Rule): Packet | undefined {
  const to = rule.target?.options.find((o) => o.name === '--to-destination')?.values[0];
  if (!to || to.dynamic) return undefined;
  const { address: dst, port } = natAddressAndPort(to.value);
  if (!dst) return undefined;
  const dport = port && /^\d/.test(port) ? parseInt(port, 10) : exactDestinationPort(rule);
  // no local addresses: the shared empty list
  return { family: rule.family, in: exactInInterface(rule), proto: exactProtocol(rule), dst, dport, state: 'NEW', origin: 'remote', local: NONE };
}

/**
 * Whether connections a DNAT rule translates go through filter FORWARD. The host's own do not
 * (a DNAT in nat OUTPUT, or in a user chain only OUTPUT reaches): they leave through OUTPUT
 * and POSTROUTING. Nor do those sent to a loopback address: routing hands them to INPUT
 * (coming from another host, only where route_localnet is set). `dst`: the translated
 * address, when already read.
 */
export function dnatForwards(rs: RuleSet, rule: Rule, dst = translatedPacket(rule)?.dst): boolean {
  if (rule.chain === 'OUTPUT') return false;
  if (dst !== undefined && isLoopbackAddress(dst)) return false;
  if (rule.chain === 'PREROUTING' || isBuiltinChain(rule.table, rule.chain)) return true;
  const hooks = hooksReachingChain(rs, rule.family, rule.table, rule.chain);
  // a chain nothing reaches (or a table missing) is judged as if a hook did: it is there to be used
  return hooks.length === 0 || hooks.includes('PREROUTING');
}

/** The check of one DNAT command of `rs`; undefined when its translation is not known or its connections never pass FORWARD. */
function checkOf(rs: RuleSet, cmd: Command, forwardOf: (packet: Packet) => Outcome[]): DnatCheck | undefined {
  const rule = cmd.rule;
  if (!rule || !rule.target || cmd.kind === 'delete' || cmd.kind === 'check') return undefined;
  const packet = translatedPacket(rule);
  if (!packet || !dnatForwards(rs, rule, packet.dst)) return undefined;
  const reply: Packet = { family: packet.family, out: packet.in, proto: packet.proto, src: packet.dst, sport: packet.dport, state: 'ESTABLISHED', origin: 'remote', local: NONE };
  return new DnatCheck(rule, forwardOf(packet), forwardOf(reply));
}

function* compute(rs: RuleSet, perStep: number): Steps<DnatCheck[]> {
  const out: DnatCheck[] = [];
  const forwardOf = forwardEvaluator(rs);
  // DNAT rules of nat tables, listed while the chain facts were gathered
  const dnats = chainFacts(rs).dnats;
  for (let i = 0; i < dnats.length; i++) {
    if (i && i % perStep === 0) yield;
    const c = checkOf(rs, dnats[i], forwardOf);
    if (c) out.push(c);
  }
  return out;
}

/** A replaced rule that a packet going through filter FORWARD can meet: in FORWARD, or in a chain it jumps to. */
function seenFromForward(rs: RuleSet, p: RulePatch): boolean {
  const c = p.chain;
  // a line with no command is in no chain
  if (!c || c.table !== 'filter') return false;
  if (c.builtin) return c.name === 'FORWARD';
  return hooksReachingChain(rs, c.family, 'filter', c.name).includes('FORWARD');
}

/**
 * After an edit replaced rules in place (see patchRuleSet) that no packet through filter
 * FORWARD meets, FORWARD is what it was: the checks of the DNATs not edited still hold, and
 * only the edited ones are evaluated. On a kube-proxy dump that is one evaluation instead of
 * tens of thousands of packets built and looked up. Call after the chain facts were carried.
 */
export function carryDnatChecks(oldRs: RuleSet, newRs: RuleSet, patches: readonly RulePatch[]): void {
  const old = computed.get(oldRs);
  if (!old || patches.some((p) => seenFromForward(newRs, p))) return;
  // per command an edit put in: the rule it replaced (undefined: a line added); the DNATs an
  // edit took away (removed, or replaced by a rule that is no DNAT)
  const edited = new Map<Command, Rule | undefined>();
  const gone = new Set<Rule>();
  for (const p of patches) {
    if (p.new) edited.set(p.new, inPlace(p) ? p.old.rule : undefined);
    if (p.old?.rule && !(inPlace(p) && dnatCommand(p.new))) gone.add(p.old.rule);
  }
  const facts = chainFacts(newRs);
  const dnats = facts.dnats;
  // a DNAT whose chain a jump that came or went gave other hooks may pass FORWARD or not now
  const rehooked = hooksChanged(patches, facts);
  if (rehooked) for (const cmd of dnats) if (rehooked(cmd) && !edited.has(cmd)) edited.set(cmd, cmd.rule);
  let forward: ((packet: Packet) => Outcome[]) | undefined;
  const forwardOf = (packet: Packet) => (forward ??= forwardEvaluator(newRs))(packet);
  const carried = carriedChecks(newRs, old, dnats, edited, gone, forwardOf);
  if (carried) computed.set(newRs, carried);
}

/**
 * The checks in the order of the DNAT list, the edited ones evaluated again. The common edit
 * (a DNAT's rule or another rule changed, each edited DNAT still translated) gives the old
 * list with the edited checks replaced where they stand: the list is the old rule set's, stale
 * with it (see patchRuleSet), and a new list of the 27k checks of a kube-proxy dump, grown as
 * it was filled, was 790 KB of garbage per keystroke, most of what one allocated. A new list is
 * made from the point where a check comes or goes (a DNAT typed or deleted, a translation no
 * longer known). Undefined when the lists disagree.
 */
function carriedChecks(rs: RuleSet, old: DnatCheck[], dnats: readonly Command[], edited: Map<Command, Rule | undefined>, gone: ReadonlySet<Rule>, forwardOf: (packet: Packet) => Outcome[]): DnatCheck[] | undefined {
  // replacements in place, while no check came or went
  const at: number[] = [];
  const fresh: DnatCheck[] = [];
  let out: DnatCheck[] | undefined;
  const startOver = (upTo: number) => {
    const list = old.slice(0, upTo);
    for (let j = 0; j < at.length; j++) list[at[j]] = fresh[j];
    return list;
  };
  let k = 0;
  // the old checks of DNATs an edit took away are left out
  const skipGone = () => {
    while (k < old.length && gone.has(old[k].dnat)) {
      if (!out) out = startOver(k);
      k++;
    }
  };
  // the old checks are in the order of the DNAT list, less the DNATs whose translation is not
  // known; by index: iterator results for each of a dump's DNATs were most of what an edit allocated
  for (let i = 0; i < dnats.length; i++) {
    skipGone();
    const cmd = dnats[i];
    if (edited.has(cmd)) {
      const was = edited.get(cmd);
      const had = was !== undefined && k < old.length && old[k].dnat === was;
      const c = checkOf(rs, cmd, forwardOf);
      if (!out && had !== (c !== undefined)) out = startOver(k);
      if (had) k++;
      if (!c) continue;
      if (out) out.push(c);
      else {
        at.push(k - 1);
        fresh.push(c);
      }
    } else if (k < old.length && old[k].dnat === cmd.rule) {
      if (out) out.push(old[k]);
      k++;
    }
    // a check that should be there is not: the lists disagree, and everything is evaluated again
    else if (checkOf(rs, cmd, () => [])) return undefined;
  }
  skipGone();
  if (k !== old.length) return undefined;
  if (out) return out;
  for (let j = 0; j < at.length; j++) old[at[j]] = fresh[j];
  return old;
}

/** Every branch ends in DROP or REJECT. */
export function alwaysDropped(outcomes: Outcome[]): boolean {
  // a loop, not every(): called twice per DNAT after each edit (27k DNATs in a kube-proxy dump)
  for (let i = 0; i < outcomes.length; i++) if (outcomes[i].verdict !== 'DROP' && outcomes[i].verdict !== 'REJECT') return false;
  return outcomes.length > 0;
}
