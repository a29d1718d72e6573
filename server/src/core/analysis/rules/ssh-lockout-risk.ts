import { TableState } from '../../model/tableState.ts';
import type { RuleSet } from '../../model/types.ts';
import { evaluateChain } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import type { Span } from '../../text/span.ts';
import type { LintRule } from '../types.ts';

function dropsSsh(rs: RuleSet, port: number, family: 'ipv4' | 'ipv6'): string | undefined {
  const packet: Packet = { family, proto: 'tcp', dport: port, state: 'NEW', origin: 'remote', local: [] };
  const outcomes = evaluateChain(rs, 'filter', 'INPUT', packet);
  const verdicts = new Set(outcomes.map((o) => o.verdict));
  return outcomes.length && [...verdicts].every((v) => v === 'DROP' || v === 'REJECT') ? [...verdicts][0] : undefined;
}

export const sshLockoutRisk: LintRule = {
  code: 'ssh-lockout-risk',
  severity: 'warning',
  summary: 'In execution order, a point where INPUT drops new SSH connections before any rule accepts them.',
  docs: {
    description: 'Replays a script command by command and reports the first one after which a new TCP connection to the SSH port (22, or the `sshPort` setting) would certainly be dropped or rejected by filter INPUT, such as `-P INPUT DROP` before the SSH accept. For a save file, the rules as loaded are checked.',
    rationale: 'Running such a script over SSH cuts the session that runs it at that line: the rest of the script never runs and the host is out of reach until someone reaches its console.',
    bad: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n' },
    good: { dialect: 'script', text: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const port = ctx.settings.sshPort;
    if (rs.dialect === 'save') {
      for (const family of ['ipv4', 'ipv6'] as const) {
        const chain = rs.tables.get(`${family}:filter`)?.chains.get('INPUT');
        if (!chain) continue;
        const v = dropsSsh(rs, port, family);
        if (v) ctx.report({ span: chain.policySpan ?? chain.declarations[0]?.span ?? { start: 0, end: 0 }, message: `These rules ${v === 'REJECT' ? 'reject' : 'drop'} new SSH connections (tcp port ${port}) on INPUT: loading them over SSH locks you out.` });
      }
      return;
    }
    if (rs.wrapsTool) return;
    // replay in execution order; report the first command after which SSH is cut
    const state = new TableState();
    const reported = new Set<string>();
    for (const cmd of rs.commands) {
      state.apply(cmd);
      if (cmd.table !== 'filter' || reported.has(cmd.family)) continue;
      if (!['policy', 'append', 'insert', 'replace', 'delete', 'flush'].includes(cmd.kind)) continue;
      const snapshot: RuleSet = { ...rs, tables: state.tables };
      const v = dropsSsh(snapshot, port, cmd.family);
      if (!v) continue;
      reported.add(cmd.family);
      const span: Span = cmd.span;
      ctx.report({ span, message: `From this command on, INPUT ${v === 'REJECT' ? 'rejects' : 'drops'} new SSH connections (tcp port ${port}) and nothing before accepts them: run over SSH, the script cuts its own session here.` });
    }
  },
};
