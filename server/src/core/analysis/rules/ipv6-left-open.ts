import type { Chain, Command, Rule, RuleSet } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import { commandIndent, commandTool, ip6Tool, lineAfter } from '../scriptLine.ts';
import { inputClosing } from '../inputClosing.ts';
import { unconditional } from '../unconditional.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { commandOfRule } from '../commandOfRule.ts';

const REFUSE = new Set(['DROP', 'REJECT']);

/** What the fix writes first: IPv6 needs ICMPv6 (neighbour discovery, packet too big) to work at all. */
const HEAD = ['-F INPUT', '-A INPUT -i lo -j ACCEPT', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-A INPUT -p ipv6-icmp -j ACCEPT'];

export const ipv6LeftOpen: LintRule = {
  code: 'ipv6-left-open',
  severity: 'warning',
  summary: 'IPv4 INPUT is closed but IPv6 is not: a script without ip6tables rules, a rules.v4 without a closed rules.v6.',
  docs: {
    description: 'Reports a script whose IPv4 filter INPUT ends closed (a DROP policy, or a last rule that drops or rejects everything, itself or through a user chain that logs and drops) while nothing in it touches IPv6: no `ip6tables` or `ip6tables-restore` command (also through a variable or a wrapper function: the name anywhere in the script counts), and no `disable_ipv6`. The finding sits on the policy or rule that closes INPUT. A save file holds one family: an IPv4 one is reported when the IPv6 file kept beside it (`rules.v6` beside `rules.v4`, `ip6tables.rules` beside `iptables.rules`, `ip6tables` beside `/etc/sysconfig/iptables`, `ip6tables-save…` beside `iptables-save…`) leaves filter INPUT open, as `netfilter-persistent save` writes it on a host where nothing set ip6tables up, and when a file named as the IPv4 half has no IPv6 half at all; not when a sysctl file near it sets `net.ipv6.conf.all.disable_ipv6 = 1`. The editor and the CLI look for those files (the editor reads one it has open as it holds it, saved or not, and judges the IPv4 file again as that one is edited); a save file without a folder is left alone. Quick fix: after that command, the same for ip6tables: INPUT flushed, loopback, replies and ICMPv6 accepted, then each IPv4 INPUT rule that has nothing IPv4 about it (no IPv4 address, no ICMP, no `-f`, no IPv4-only match such as ttl, no shell expansion, no jump to a user chain) copied, and the DROP policy.',
    rationale: 'iptables filters IPv4 only. A host whose script drops everything but SSH over IPv4 still answers every service listening on all addresses over IPv6: on the LAN through link-local addresses, and from the internet wherever it has a global IPv6 address. Nothing in the IPv4 rules hints at it, and a port scan over IPv4 shows a closed host.',
    bad: { dialect: 'script', text: 'iptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n' },
    good: { dialect: 'script', text: 'for ipt in iptables ip6tables; do\n  $ipt -A INPUT -i lo -j ACCEPT\n  $ipt -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n  $ipt -A INPUT -p tcp --dport 22 -j ACCEPT\n  $ipt -P INPUT DROP\ndone\nip6tables -I INPUT -p ipv6-icmp -j ACCEPT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const filter = rs.tables.get('ipv4:filter');
    const input = filter?.chains.get('INPUT');
    const closing = inputClosing(input, filter);
    if (!input || !closing) return;
    if (rs.dialect === 'save') {
      saveFile(ctx, closing.span);
      return;
    }
    for (const t of rs.tables.values()) if (t.family === 'ipv6') return;
    // a script that names IPv6 anywhere (a variable holding ip6tables, a wrapper that runs both
    // tools, IPv6 turned off) has thought of it
    if (/ip6tables|disable_ipv6/.test(ctx.text)) return;
    const cmd = closingCommand(rs, input, closing);
    ctx.report({
      span: closing.span,
      message: 'IPv4 INPUT is closed here, but the script writes no ip6tables rules: every service of the host listening on all addresses stays open over IPv6 (link-local addresses on the LAN at least).',
      fixes: cmd ? closeIpv6(ctx, input, cmd) : undefined,
    });
  },
};

/**
 * An IPv4 save file: the IPv6 file beside it, as the front end found it. A file whose name
 * says it is the IPv4 half (rules.v4) and has no IPv6 half, or one whose IPv6 half leaves
 * INPUT open, as `netfilter-persistent save` writes it when nothing ever set ip6tables up.
 */
function saveFile(ctx: RuleContext, span: Span): void {
  const w = ctx.settings.workspaceIpv6;
  if (!ctx.settings.workspaceSearched || !w || w.disabledBy) return;
  if (w.found && !w.found.inputClosed) {
    ctx.report({ span, message: `IPv4 INPUT is closed here, but ${w.found.name} beside this file leaves IPv6 INPUT open: every service of the host listening on all addresses is reachable over IPv6.` });
  } else if (!w.found && w.expected) {
    ctx.report({ span, message: `IPv4 INPUT is closed here, but there is no ${w.expected} beside this file: unless the host has no IPv6, every service listening on all addresses is reachable over it.` });
  }
}

/** The command that closes INPUT: the rule's, or the last `-P INPUT` of IPv4's filter table. */
function closingCommand(rs: RuleSet, input: Chain, closing: { span: Span; rule?: Rule }): Command | undefined {
  let found: Command | undefined;
  for (const c of rs.commands) {
    if (c.family !== 'ipv4' || c.table !== 'filter' || c.chain !== input.name) continue;
    if (closing.rule ? c.rule === closing.rule : c.kind === 'policy' && c.policy && c.policy.span.start === closing.span.start) found = c;
  }
  return found;
}

const COMMAND_OPTIONS = new Set(['-A', '--append', '-I', '--insert']);
const TABLE_OPTIONS = new Set(['-t', '--table']);

/**
 * An IPv4 INPUT rule's tests and target as ip6tables can take them, or undefined when the
 * rule is IPv4's own (an address, ICMP, `--reject-with icmp-…`, `-f`, an IPv4-only extension),
 * holds a shell expansion, jumps to a user chain the IPv6 side does not have; `covered` when
 * the fix's head does its work.
 */
function copied(text: string, cmd: Command): string | 'covered' | undefined {
  const rule = cmd.rule;
  if (!rule?.target?.spec || rule.dynamic || rule.fragment || cmd.args.strays.length) return undefined;
  // an extension ip6tables does not have (ttl, where IPv6 has hl)
  if (!rule.target.spec.families.includes('ipv6') || rule.matches.some((m) => !m.spec || !m.spec.families.includes('ipv6'))) return undefined;
  const parts: string[] = [];
  for (const item of cmd.args.items) {
    if (COMMAND_OPTIONS.has(item.written) || TABLE_OPTIONS.has(item.written)) continue;
    parts.push(text.slice(item.span.start, item.span.end));
  }
  const spec = parts.join(' ');
  if (/\$|`|icmp|\b\d{1,3}(\.\d{1,3}){3}\b/i.test(spec)) return undefined;
  const line = `-A INPUT ${spec}`;
  // the head accepts the loopback and replies already
  if (HEAD.includes(line) || /^-m (conntrack --ctstate|state --state) [A-Z,]*ESTABLISHED[A-Z,]* -j ACCEPT$/.test(spec)) return 'covered';
  return line;
}

function closeIpv6(ctx: RuleContext, input: Chain, cmd: Command): Fix[] {
  const tool = commandTool(ctx.text, cmd);
  if (!tool) return [];
  const six = ip6Tool(tool);
  const indent = commandIndent(ctx.text, cmd);
  const lines = [...HEAD];
  let kept = 0;
  let candidates = 0;
  for (const r of input.rules) {
    const c = commandOfRule(ctx.ruleSet, r);
    if (!c || (r.target && REFUSE.has(r.target.name) && unconditional(r))) continue;
    const line = copied(ctx.text, c);
    if (line === 'covered') continue;
    candidates++;
    if (line) {
      lines.push(line);
      kept++;
    }
  }
  lines.push('-P INPUT DROP');
  const { at, newline } = lineAfter(ctx.text, cmd);
  return [{
    title: `Close IPv6 INPUT too (ip6tables: loopback, replies and ICMPv6 accepted, ${kept} of ${candidates} IPv4 INPUT rules copied)`,
    edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${lines.map((l) => `${indent}${six} ${l}\n`).join('')}` }],
  }];
}
