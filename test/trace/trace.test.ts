import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { definiteVerdict, tracePacket, type Outcome } from '../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec, type Packet } from '../../server/src/core/simulate/packet.ts';
import { parseIpsetSave } from '../../server/src/core/simulate/ipsetMembers.ts';
import type { Rule } from '../../server/src/core/model/types.ts';
import { requirement } from '../support/paths.ts';
import { addressWithPort } from '../../server/src/core/knowledge/values/addresses.ts';
import type { Family } from '../../server/src/core/knowledge/types.ts';
import { KernelLab, labOf, splitAddressPort, type Delivery } from './kernelLab.ts';
import { scenarios, type Scenario } from './scenarios.ts';

/**
 * The offline trace against the kernel: each scenario's rules are loaded into a router
 * namespace, real traffic is sent, and the kernel's answer (delivered, refused or silent;
 * whether the server got the first packet; the address and port the server saw; which
 * rules' and policies' counters moved) must agree with the trace's verdict, rewrites and
 * deciding rules, both ways: what the trace says decided must have counted, and whatever
 * counted must be something the trace says decided.
 */
const unavailable = KernelLab.available();
const skip = requirement(!unavailable, unavailable ?? '');

/** The router's addresses as a SPEC's `local=`, in the scenario's family. */
const localOf = (family: Family) => `local=${labOf(family).wan0},${labOf(family).lan0}`;

/** A SPEC with `key=value` added unless the SPEC already names the key. */
const withKey = (spec: string, key: string, value: number | string) => (new RegExp(`(^|\\s)${key}=`).test(spec) ? spec : `${spec} ${key}=${value}`);
const parse = (spec: string): Packet => {
  const r = parsePacketSpec(spec);
  if (!r.packet) throw new Error(`bad SPEC '${spec}': ${r.error}`);
  return r.packet;
};

/**
 * A packet of the flow the router sees, traced. `must`: the kernel certainly handled it
 * (its deciding rules and policies must have counted); otherwise it may have happened and
 * only explains counters.
 */
interface Leg {
  name: string;
  packet: Packet;
  must: boolean;
  outcomes: Outcome[];
}

/** Rules that can end a chain's walk for a packet (or hand it to another chain): their counters show who decided. LOG, MARK… count every packet they see. */
function decides(rule: Rule): boolean {
  const t = rule.target;
  return !!t && (!t.spec || t.spec.terminating === true);
}

/**
 * The other packets of the flow, which move counters too: the client's later packets
 * (ACK, data, FIN: ESTABLISHED, after destination NAT), the answer from whoever got the
 * first packet (ESTABLISHED), and what the router sends back when it rejects (RELATED:
 * a TCP reset or an ICMP error, sent by the router itself through OUTPUT).
 */
function otherLegs(s: Scenario, probe: Packet, first: Outcome, got: Delivery, reached: boolean, cport: number): Omit<Leg, 'outcomes'>[] {
  const legs: Omit<Leg, 'outcomes'>[] = [];
  const family = s.family ?? 'ipv4';
  const lab = labOf(family);
  const LOCAL = localOf(family);
  // the sender's real address, also when the traced packet leaves it unknown
  const sender = s.send.from === 'client' ? lab.client : (probe.src ?? lab.lan0);
  if (reached && s.send.proto === 'tcp') {
    // nat chains see only a connection's first packet; the rest keep its rewrite without them
    legs.push({ name: 'client, later packets', packet: { ...first.packet, src: probe.src, sport: probe.sport, state: 'ESTABLISHED' }, must: false });
  }
  if (reached && !s.reply) {
    const [addr, port] = got.delivered ? splitAddressPort(got.deliveredTo!) : [first.packet.dst!, String(first.packet.dport)];
    // a connection raw left untracked has no entry to answer in: conntrack takes the answer as a new one
    const state = first.packet.state === 'UNTRACKED' ? 'NEW' : 'ESTABLISHED';
    const proto = `proto=${s.send.proto} src=${addr} sport=${port} dport=${cport} state=${state} ${LOCAL}`;
    const spec = addr === lab.wan0 || addr === lab.lan0
      ? `origin=local out=${probe.in ?? 'wan0'} dst=${sender} ${proto}`
      : s.send.from === 'router'
        ? `in=lan0 dst=${sender} ${proto}`
        : `in=lan0 out=wan0 dst=${sender} ${proto}`;
    // both ends saw each other: the answer certainly crossed the router
    legs.push({ name: 'answer', packet: parse(spec), must: got.delivered });
  }
  const rejecting = first.path.map((x) => x.rule).find((r) => r?.target?.name === 'REJECT');
  if (got.refused || rejecting) {
    const reset = rejecting?.target?.options.some((o) => o.values.some((v) => v.value === 'tcp-reset'));
    const back = reset
      ? `proto=tcp src=${first.packet.dst} sport=${first.packet.dport} dst=${sender} dport=${cport}`
      : `proto=${family === 'ipv6' ? 'ipv6-icmp' : 'icmp'} src=${probe.origin === 'local' ? probe.dst : lab.wan0} dst=${sender}`;
    legs.push({ name: 'rejection', packet: parse(`origin=local state=RELATED ${back} ${LOCAL}`), must: false });
    // The router's answer to its own packet goes out and comes back in on lo: PREROUTING
    // and INPUT. The trace does not follow a local packet back in (it stops after
    // POSTROUTING), so that second half is traced as a packet arriving on lo.
    if (probe.origin === 'local') legs.push({ name: 'rejection, back in on lo', packet: parse(`in=lo state=RELATED ${back} ${LOCAL}`), must: false });
  }
  return legs;
}

test(`trace agrees with the kernel on ${scenarios.length} scenarios`, { skip, timeout: 10 * 60_000 }, () => {
  assert.ok(scenarios.length >= 25);
  assert.ok(scenarios.filter((s) => s.reply && /state=ESTABLISHED/.test(s.reply)).length >= 2, 'ESTABLISHED replies are traced');
  assert.ok(scenarios.filter((s) => s.family === 'ipv6').length >= 15, 'IPv6 scenarios, loaded with ip6tables-restore');
  const lab = new KernelLab();
  lab.up();
  const rows: string[] = [];
  const problems: string[] = [];
  try {
    scenarios.forEach((s, i) => {
      const cport = 42000 + i;
      const family = s.family ?? 'ipv4';
      lab.serverRoute(!s.noRouteBack);
      lab.load(s.rules, s.ipsets, family);
      // the trace reads the router's sets as an apply or a save file's ipsets file gives them
      const sets = s.ipsets === undefined ? undefined : parseIpsetSave(s.ipsets);
      const withSets = (p: Packet): Packet => (sets ? { ...p, sets } : p);
      const got = lab.send(s.send.from, s.send.proto, s.send.dst, s.send.dport, cport);
      const counters = lab.counters(family);
      // the server counts the first packets that reach it, answered or not (the router's own
      // listeners count nothing: for them only an answer shows the packet got there)
      const reached = got.delivered || lab.serverReceived() > 0;
      const kernel = reached ? 'ACCEPT' : got.refused ? 'REJECT' : 'DROP';

      const doc = new FirewallDocument(s.rules, { dialect: 'save', family });
      const rs = doc.ruleSet;
      const probe = withSets(parse(withKey(s.packet, 'sport', cport)));
      const outcomes = tracePacket(rs, probe);
      const ours = definiteVerdict(outcomes) ?? 'UNCERTAIN';
      const o = outcomes[0];
      const why: string[] = [];
      if (ours !== kernel) why.push(`verdict ${ours} vs kernel ${kernel}`);

      // where it arrived, always: the trace's rewrite, or the packet's own address and port
      if (got.delivered) {
        const to = o.rewrites.destination ?? addressWithPort(probe.dst ?? '?', probe.dport);
        // `?:3128`: REDIRECT to an address of the incoming interface that the packet did not
        // list (local=); the port must still be right
        const sameTo = to.startsWith('?:') ? got.deliveredTo!.endsWith(to.slice(1)) : to === got.deliveredTo;
        if (!sameTo) why.push(`destination ${to} vs server saw ${got.deliveredTo}`);
        const masq = /^address of (\S+)$/.exec(o.rewrites.source ?? '')?.[1];
        const from = addressWithPort(masq ? labOf(family)[masq as 'wan0' | 'lan0'] : (o.rewrites.source ?? probe.src ?? '?'), cport);
        // `?`: the traced packet left its source unknown (a lens's packet does); the port must still be right
        const sameFrom = from.startsWith('?:') ? got.seenSource!.endsWith(from.slice(1)) : from === got.seenSource;
        if (!sameFrom) why.push(`source ${from} vs server saw ${got.seenSource}`);
      }

      const legs: Leg[] = [{ name: 'first packet', packet: probe, must: true, outcomes }];
      let kernelReply = '';
      if (s.reply) {
        const reply = parse(withKey(s.reply, 'dport', cport));
        const ro = tracePacket(rs, withSets(reply));
        const theirs = definiteVerdict(ro) ?? 'UNCERTAIN';
        // The answer exists once the first packet got through; the client hears it or not. A
        // rejected answer's error goes back to the server, so the client cannot tell a DROP
        // from a REJECT of it: either agrees with silence (the counters say which rule it was).
        kernelReply = !reached ? 'none: the first packet never arrived' : got.delivered ? 'ACCEPT' : 'DROP';
        const agrees = theirs === kernelReply || (kernelReply === 'DROP' && theirs === 'REJECT');
        if (!agrees) why.push(`reply verdict ${theirs} vs kernel ${kernelReply}`);
        legs.push({ name: 'reply', packet: reply, must: reached, outcomes: ro });
      }
      for (const l of otherLegs(s, probe, o, got, reached, cport)) legs.push({ ...l, outcomes: tracePacket(rs, withSets(l.packet)) });

      // one way: what the trace says decided counted in the kernel
      const expected = new Map<string, { rules: Set<number>; policy: boolean }>();
      const at = (key: string) => {
        if (!expected.has(key)) expected.set(key, { rules: new Set(), policy: false });
        return expected.get(key)!;
      };
      for (const leg of legs) {
        for (const out of leg.outcomes) {
          for (const step of out.path) {
            const key = `${step.table}/${step.chain}`;
            const chain = rs.tables.get(`${family}:${step.table}`)!.chains.get(step.chain)!;
            const k = counters.get(key);
            if (step.rule) {
              const index = chain.rules.indexOf(step.rule);
              at(key).rules.add(index);
              if (leg.must && out === leg.outcomes[0] && !(k?.rules[index] ?? 0)) why.push(`${leg.name}: ${key} rule ${index + 1} decided in the trace but did not count in the kernel`);
            }
            if (step.policy) {
              at(key).policy = true;
              // iptables-nft creates a built-in chain only when the rules declare it or add to
              // it (iptables-save still lists it, at [0:0]): a chain that does not exist counts
              // nothing and lets the packet by, as the ACCEPT policy the trace shows does
              const absent = step.policy === 'ACCEPT' && chain.declarations.length === 0 && chain.rules.length === 0;
              if (leg.must && out === leg.outcomes[0] && !absent && !k?.policy) why.push(`${leg.name}: ${key} policy ${step.policy} decided in the trace but did not count in the kernel`);
            }
          }
        }
      }
      // the other way: whatever decided in the kernel is what the trace of one of the flow's
      // packets says decided, in every chain of the scenario's tables (the lab's empty
      // tables are not in the rule set: the trace rightly skips them)
      for (const [key, k] of counters) {
        const [table, chainName] = key.split('/');
        const chain = rs.tables.get(`${family}:${table}`)?.chains.get(chainName);
        if (!chain) continue;
        const e = expected.get(key);
        k.rules.forEach((n, index) => {
          if (n > 0 && decides(chain.rules[index]) && !e?.rules.has(index)) why.push(`${key} rule ${index + 1} counted ${n} in the kernel; no traced packet of the flow decides there`);
        });
        if (k.policy && !e?.policy) why.push(`${key} policy counted ${k.policy} in the kernel; no traced packet of the flow reaches it`);
      }

      const reply = s.reply ? ` · reply ${definiteVerdict(legs[1].outcomes) ?? 'UNCERTAIN'}` : '';
      rows.push(`${why.length ? '✗' : '✓'} ${s.name}: trace ${ours}${o.rewrites.destination ? ` → ${o.rewrites.destination}` : ''}${reply} | kernel ${kernel}${got.deliveredTo ? ` at ${got.deliveredTo} from ${got.seenSource}` : ''}${kernelReply ? ` · reply ${kernelReply}` : ''}`);
      if (why.length) problems.push(`${s.name}: ${why.join('; ')}`);
    });
  } finally {
    lab.down();
  }
  console.log(`trace vs kernel: ${scenarios.length - problems.length}/${scenarios.length} scenarios agree\n${rows.join('\n')}`);
  assert.deepEqual(problems, []);
});

