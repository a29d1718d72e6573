import { TableState } from '../../model/tableState.ts';
import type { Command, RuleSet } from '../../model/types.ts';
import type { Family } from '../../knowledge/types.ts';
import { certainlyRefused, decidingRule, evaluateChain, type Outcome } from '../../simulate/evaluate.ts';
import { leavesWaysThrough, waysThrough, type WaysOfOne } from '../waysThrough.ts';
import type { Packet } from '../../simulate/packet.ts';
import type { Span } from '../../text/span.ts';
import { acceptAtHead } from '../acceptAtHead.ts';
import { commandIndent, commandTool, lineStartOf } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { policyPlace } from '../../model/policyPlace.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';
import { EPHEMERAL_PORT } from '../../knowledge/values/ports.ts';

/** Every way a packet to the SSH port in this conntrack state goes through filter INPUT (`seen`: where the outcomes are kept, see waysThrough). */
function sshOutcomes(rs: RuleSet, port: number, family: Family, state: 'NEW' | 'ESTABLISHED' = 'NEW', seen?: Outcome[][]): Outcome[] {
  const packet: Packet = { family, proto: 'tcp', dport: port, state, origin: 'remote', local: [] };
  const out = evaluateChain(rs, 'filter', 'INPUT', packet);
  seen?.push(out);
  return out;
}

/** How filter INPUT refuses a packet to the SSH port in this conntrack state, when it certainly does: one of the outcomes, all DROP or REJECT. */
function refusesSsh(rs: RuleSet, port: number, family: Family, state: 'NEW' | 'ESTABLISHED' = 'NEW', seen?: Outcome[][]): Outcome | undefined {
  return certainlyRefused(sshOutcomes(rs, port, family, state, seen));
}

/**
 * ufw's rules file read with the files around it (see RuleContext.ufw): whether rules of the
 * file itself refuse SSH on every way through. Where ufw's policy refuses it on one (no `ufw
 * allow ssh` in user.rules), that is ufw's own setting, which `ufw enable` warns about, and no
 * line of the file is to blame.
 */
function refusedByFile(ctx: RuleContext, outcomes: readonly Outcome[]): boolean {
  const load = ctx.ufw;
  if (!load) return true;
  return outcomes.every((o) => {
    const rule = decidingRule(o);
    return !!rule && load.holds(rule.span);
  });
}

/**
 * How filter OUTPUT treats the SSH server's packets to a client (from the SSH port to a port of
 * the client's ephemeral range, the session established), when it certainly refuses them: an
 * OUTPUT DROP policy without an accept of ESTABLISHED cuts the session as surely as INPUT.
 */
function refusesServerPackets(rs: RuleSet, port: number, family: Family, seen?: Outcome[][]): Outcome | undefined {
  const packet: Packet = { family, proto: 'tcp', sport: port, dport: EPHEMERAL_PORT, state: 'ESTABLISHED', origin: 'local', offLoopback: true, local: [] };
  const out = evaluateChain(rs, 'filter', 'OUTPUT', packet);
  seen?.push(out);
  return certainlyRefused(out);
}

/** What lets a session's packets out again, the server's replies among them. */
const ESTABLISHED_ACCEPT = '-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT';

/** DROP or REJECT when filter INPUT certainly refuses a packet to the SSH port in this conntrack state. */
function dropsSsh(rs: RuleSet, port: number, family: Family, state: 'NEW' | 'ESTABLISHED' = 'NEW', seen?: Outcome[][]): string | undefined {
  return refusesSsh(rs, port, family, state, seen)?.verdict;
}

export const sshLockoutRisk: LintRule = {
  code: 'ssh-lockout-risk',
  severity: 'warning',
  summary: 'In execution order, a point where INPUT drops new SSH connections, or OUTPUT the SSH server\'s packets, before any rule accepts them.',
  docs: {
    description: 'Replays a script command by command, in the order it runs them (the body of a function defined at the top at each of its calls there, with the arguments of the call where the body is plain commands), and reports the first one after which a new TCP connection to the SSH port (22, or the `sshPort` setting) would certainly be dropped or rejected by filter INPUT, such as `-P INPUT DROP` before the SSH accept, or the SSH server\'s packets to a client (from that port, the session established) by filter OUTPUT, such as `-P OUTPUT DROP` without an accept of ESTABLISHED (fix: that accept at the head of OUTPUT, in a script before the command that would cut the session). So is the first command after which INPUT accepts new SSH connections but drops their later packets (an accept of state NEW alone, `-m conntrack --ctstate NEW`, and none of ESTABLISHED): no session gets past its first packet (fix: the accept of ESTABLISHED,RELATED at the head of INPUT). The finding says whether a later command lets the session\'s packets through again (that command is shown with it) or nothing in the script does. Where only new connections are refused and the established ones still pass (an ESTABLISHED accept came first), the session running the script survives: that is reported only when nothing later in the script accepts new SSH connections again, and as a note (info) where the script\'s rules of the other family (IPv4 or IPv6) still accept new SSH connections at its end: the host stays reachable over that family. Where the script writes rules of both families, the message names the one it is about. An `iptables-restore` here-document is one step, as its tables change at once (without `--noflush`, emptied first). For a save file, the rules as loaded are checked; ufw\'s before.rules as ufw loads it with the files around it (its input policy from /etc/default/ufw, user.rules beside it), reported where a rule of the file refuses SSH on every way through.',
    rationale: 'Where the script never lets SSH through again, the host is out of reach over SSH once the rules are in, until someone reaches its console. Where a later command does, the session running the script survives a run that goes through (TCP sends again what was dropped in between), but not one that stops between the two commands: a command that fails under `set -e`, Ctrl-C, a lost connection, or the commands typed one at a time, when the first one cuts the session that would type the second.',
    bad: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n' },
    good: { dialect: 'script', text: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const port = ctx.settings.sshPort;
    if (rs.dialect === 'save') {
      // an iptables -S listing shows rules a host has loaded already: nobody gets in over SSH there
      const outcome = rs.listing ? 'nobody reaches the host over SSH while they are loaded' : 'loading them over SSH locks you out';
      for (const family of ['ipv4', 'ipv6'] as const) {
        const filter = rs.tables.get(`${family}:filter`);
        const chain = filter?.chains.get('INPUT');
        if (!chain) continue;
        // every way through, read once: whether all refuse, and (ufw) whether the file's rules do
        const all = sshOutcomes(rs, port, family);
        const o = certainlyRefused(all);
        const allEst = o ? undefined : sshOutcomes(rs, port, family, 'ESTABLISHED');
        const est = allEst && certainlyRefused(allEst);
        if (est && refusedByFile(ctx, allEst)) {
          const span = decidingRule(est)?.span ?? policyPlace(chain) ?? { start: 0, end: 0 };
          ctx.report({ span, message: `These rules accept new SSH connections (tcp port ${port}) on INPUT but ${est.verdict === 'REJECT' ? 'reject' : 'drop'} their later packets (state ESTABLISHED): no session gets established${rs.listing ? ' while they are loaded' : ', and loading them over SSH locks you out'}. Accept ESTABLISHED,RELATED in INPUT.`, fixes: acceptAtHead(ctx, chain, decidingRule(est), [ESTABLISHED_ACCEPT], 'Accept ESTABLISHED,RELATED in INPUT') });
          continue;
        }
        if (!o) {
          const output = filter!.chains.get('OUTPUT');
          const out = output && refusesServerPackets(rs, port, family);
          if (!out) continue;
          const span = decidingRule(out)?.span ?? policyPlace(output) ?? { start: 0, end: 0 };
          ctx.report({ span, message: `These rules ${out.verdict === 'REJECT' ? 'reject' : 'drop'} the SSH server's packets (tcp source port ${port}) on OUTPUT: no session gets established${rs.listing ? ' while they are loaded' : ', and loading them over SSH locks you out'}. Accept ESTABLISHED,RELATED in OUTPUT.`, fixes: acceptAtHead(ctx, output, decidingRule(out), [ESTABLISHED_ACCEPT], 'Accept ESTABLISHED,RELATED in OUTPUT') });
          continue;
        }
        if (!refusedByFile(ctx, all)) continue;
        // at the rule that refuses it, or the policy when nothing accepts it before the end
        const span = decidingRule(o)?.span ?? policyPlace(chain) ?? { start: 0, end: 0 };
        ctx.report({ span, message: `These rules ${o.verdict === 'REJECT' ? 'reject' : 'drop'} new SSH connections (tcp port ${port}) on INPUT: ${outcome}.` });
      }
      return;
    }
    if (rs.wrapsTool) return;
    // replay in execution order; report the first command after which SSH is cut
    const state = new TableState();
    const reported = new Set<Family>();
    /**
     * Per family, where new SSH connections started to be dropped while the session running the
     * script still gets its packets through (its connection is ESTABLISHED): that matters only
     * when nothing later accepts new ones again.
     */
    const closedFrom = new Map<Family, { span: Span; verdict: string }>();
    /**
     * Per family, the command after which the session running the script is cut, until a later
     * command lets its packets through again. A script that runs through keeps its session:
     * TCP sends again what was dropped in between (checked with a real sshd in a namespace,
     * three seconds between the two). What is at stake is a run that stops in between.
     */
    const cut = new Map<Family, { span: Span; what: string; refused: string; fixes?: Fix[] }>();
    /**
     * Per family, where the last check's evaluations went (see waysThrough): after a rule added
     * that changes none of them, a check evaluates the same ways through and decides as the
     * last one did, so it is not made. A script of 7,500 accepts of other ports in INPUT was
     * checked in 32 s, each command evaluating the whole chain again.
     */
    const lastCheck = new Map<Family, WaysOfOne[] | undefined>();
    const unchangedBy = (step: Command): boolean => {
      const last = lastCheck.get(step.family);
      return !!last && leavesWaysThrough(last, step, { ...rs, tables: state.tables });
    };
    const check = (family: Family, span: Span, what: string, cmd?: Command) => {
      const seen: Outcome[][] = [];
      checkWith(family, span, what, seen, cmd);
      lastCheck.set(family, waysThrough(seen));
    };
    const checkWith = (family: Family, span: Span, what: string, seen: Outcome[][], cmd?: Command) => {
      const snapshot: RuleSet = { ...rs, tables: state.tables };
      const pending = cut.get(family);
      if (pending) {
        if (refusesServerPackets(snapshot, port, family, seen) || dropsSsh(snapshot, port, family, 'ESTABLISHED', seen)) return;
        cut.delete(family);
        ctx.report({
          span: pending.span,
          message: `${pending.what}, ${bothFamilies(rs) ? `${familyName(family)} ` : ''}${pending.refused}, those of the established session too, until a later command lets them through: a run that goes on to it keeps its session (TCP sends again what was dropped), but one that stops in between (a command that fails under set -e, an interrupted run, the commands typed one at a time) leaves the host cut off from SSH.`,
          related: [{ span, message: 'SSH sessions get through again from here' }],
          fixes: pending.fixes,
        });
        return;
      }
      if (reported.has(family)) return;
      const out = refusesServerPackets(snapshot, port, family, seen);
      if (out) {
        reported.add(family);
        closedFrom.delete(family);
        cut.set(family, { span, what, refused: `OUTPUT ${out.verdict === 'REJECT' ? 'rejects' : 'drops'} the SSH server's packets (tcp source port ${port})`, fixes: cmd && acceptBefore(ctx, cmd, 'OUTPUT') });
        return;
      }
      const v = dropsSsh(snapshot, port, family, 'NEW', seen);
      if (!v) {
        closedFrom.delete(family);
        // new connections let in, their later packets not (`--state NEW -j ACCEPT`, no accept
        // of ESTABLISHED): no session gets past its first packet, the running one neither
        const est = dropsSsh(snapshot, port, family, 'ESTABLISHED', seen);
        if (est) {
          reported.add(family);
          cut.set(family, { span, what, refused: `INPUT ${est === 'REJECT' ? 'rejects' : 'drops'} every packet of an SSH session (tcp port ${port}) but its first (new connections are accepted, established ones not)`, fixes: cmd && acceptBefore(ctx, cmd, 'INPUT') });
        }
        return;
      }
      if (!dropsSsh(snapshot, port, family, 'ESTABLISHED', seen)) {
        if (!closedFrom.has(family)) closedFrom.set(family, { span, verdict: v });
        return;
      }
      reported.add(family);
      closedFrom.delete(family);
      cut.set(family, { span, what, refused: `INPUT ${v === 'REJECT' ? 'rejects' : 'drops'} SSH connections (tcp port ${port})` });
    };
    // in the order the script runs them (a function's body at its call); an iptables-restore
    // here-document is one step: its tables change at once, not rule by rule
    for (const step of rs.steps ?? rs.commands) {
      if ('ruleSet' in step) {
        state.restore(step);
        const families = new Set([...step.ruleSet.tables.values()].filter((t) => t.name === 'filter').map((t) => t.family));
        for (const family of families) check(family, step.span, 'After this iptables-restore');
        continue;
      }
      state.apply(step);
      if (step.table !== 'filter') continue;
      if (!['policy', 'append', 'insert', 'replace', 'delete', 'flush'].includes(step.kind) || unchangedBy(step)) continue;
      check(step.family, step.span, 'From this command on', step);
    }
    // nothing later lets the session through again: cut for good
    for (const [family, { span, what, refused, fixes }] of cut) {
      ctx.report({ span, message: `${what}, ${bothFamilies(rs) ? `${familyName(family)} ` : ''}${refused}, those of the established session too, to the end of the script: run over SSH, it runs on with its session cut, and no new session gets in once it ends.`, fixes });
    }
    // the session survived, but new logins stay shut out to the end of the script
    const end: RuleSet = { ...rs, tables: state.tables };
    for (const [family, { span, verdict }] of closedFrom) {
      const other = family === 'ipv4' ? 'ipv6' : 'ipv4';
      // the script's rules for the other family let SSH in: the host stays reachable over it
      const otherOpen = state.tables.get(`${other}:filter`)?.chains.get('INPUT')?.rules.length && !dropsSsh(end, port, other);
      const inFamily = familyName(family);
      if (otherOpen) {
        ctx.report({ span, severity: 'info', message: `From here on, ${inFamily} INPUT ${verdict === 'REJECT' ? 'rejects' : 'drops'} new SSH connections (tcp port ${port}) and nothing later in the script accepts them: nobody gets in over ${inFamily}, while ${familyName(other)} INPUT still accepts SSH.` });
        continue;
      }
      ctx.report({ span, message: `From here on, ${bothFamilies(rs) ? `${inFamily} ` : ''}INPUT ${verdict === 'REJECT' ? 'rejects' : 'drops'} new SSH connections (tcp port ${port}) and nothing later in the script accepts them: the session running it survives (its connection is established), but once it ends nobody gets back in over SSH.` });
    }
  },
};

const familyName = (f: Family) => (f === 'ipv6' ? 'IPv6' : 'IPv4');

/** The script writes rules for both families: a message names the one it is about. */
const bothFamilies = (rs: RuleSet) => {
  const run = commandsAsRun(rs);
  return run.some((c) => c.family === 'ipv6') && run.some((c) => c.family === 'ipv4');
};

/**
 * Scripts: the session's packets accepted at the head of `chain` on a line of its own before the
 * command that would cut it (after it, the session would already be cut), written the way that
 * command runs iptables.
 */
function acceptBefore(ctx: RuleContext, cmd: Command, chain: 'INPUT' | 'OUTPUT'): Fix[] | undefined {
  const tool = commandTool(ctx.text, cmd);
  if (!tool) return undefined;
  const at = lineStartOf(ctx.text, cmd);
  return [{ title: `Accept ESTABLISHED,RELATED in ${chain} first`, edits: [{ span: { start: at, end: at }, text: `${commandIndent(ctx.text, cmd)}${tool} -I ${chain} ${ESTABLISHED_ACCEPT}\n` }] }];
}
