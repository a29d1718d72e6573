import type { Span } from '../../text/span.ts';
import type { LintRule, RuleContext } from '../types.ts';
import { dnatForwards } from '../dnatPaths.ts';
import { FORWARDING_KEY, forwardingOf } from '../../model/sysctlFacts.ts';
import { managedChain } from '../../knowledge/managedChains.ts';
import type { Family } from '../../knowledge/types.ts';
import type { RuleSet } from '../../model/types.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';

/** Some chain of the family is one of a program on whose hosts forwarding is on (Docker, kube-proxy). */
function forwardingSetByProgram(rs: RuleSet, family: Family): boolean {
  for (const t of rs.tables.values()) {
    if (t.family !== family) continue;
    for (const name of t.chains.keys()) if (managedChain(name, t.name)?.setsIpv4Forwarding) return true;
  }
  return false;
}

export const missingIpForward: LintRule = {
  code: 'missing-ip-forward',
  severity: 'warning',
  summary: 'NAT or FORWARD rules, but nothing enables `net.ipv4.ip_forward` (or `net.ipv6.conf.all.forwarding`).',
  docs: {
    description: 'Reports a rule set that forwards or translates traffic (DNAT, SNAT, MASQUERADE, rules in FORWARD) when nothing turns forwarding on; a DNAT of the host\'s own connections (nat OUTPUT) or to a loopback address does not count, nor does a FORWARD accept of bridged packets only (`-m physdev --physdev-is-bridged`: a bridge passes them without routing, and br_netfilter shows them to FORWARD). In scripts, a `sysctl` or `/proc/sys` write anywhere counts (its path may be a variable set once above or in the configuration the script reads with `.`; a line written to a sysctl file only, with no `sysctl -w`, `sysctl -p` or /proc write, is a note: the kernel reads the file at boot, and until then the rules forward nothing; a 0 or 1 written to a path the shell decides, as a function that sets the kernel\'s knobs by path does, counts as forwarding set to what is not known; in a wg-quick configuration, one in a PreUp or PostUp line, or a sysctl file found as for save files; where none does the finding is an info-level reminder, the host\'s sysctl.conf usually being where it is set); for save files, a `sysctl.conf` or `sysctl.d/*.conf` in the workspace counts (ufw\'s sysctl.conf beside its rules files too, which the message of a ufw rules file names), and when the front end could not look for one the finding is an info-level reminder. Not reported for IPv4 where the rules are Docker\'s or kube-proxy\'s, or written into their chains (DOCKER-USER, KUBE-*): the Docker daemon turns IPv4 forwarding on itself when it starts, and a Kubernetes node is set up with it on (kubeadm refuses to join a node without it). OpenWrt\'s `firewall.user` is not reported: OpenWrt turns forwarding on in /etc/sysctl.d/10-default.conf.',
    rationale: 'With forwarding off the kernel routes nothing between interfaces: the port forward and the NAT never work, whatever the rules say.',
    bad: { dialect: 'script', text: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    good: { dialect: 'script', text: 'sysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const families = new Set([...rs.tables.values()].map((t) => t.family));
    for (const family of ['ipv4', 'ipv6'] as const) {
      // a family without tables has no rules to walk for
      if (!families.has(family)) continue;
      let first: Span | undefined;
      for (const cmd of commandsAsRun(rs)) {
        if (cmd.family !== family || !cmd.rule || cmd.refused || (cmd.kind !== 'append' && cmd.kind !== 'insert')) continue;
        const t = cmd.rule.target?.name;
        // a DNAT of the host's own connections, or to a loopback address, routes nothing
        const nat = cmd.table === 'nat' && (t === 'SNAT' || t === 'MASQUERADE' || t === 'NETMAP' || (t === 'DNAT' && dnatForwards(rs, cmd.rule)));
        // a bridge passes the packets `--physdev-is-bridged` matches without routing them (br_netfilter shows them to FORWARD)
        const fwd = cmd.table === 'filter' && cmd.rule.chain === 'FORWARD' && t === 'ACCEPT' && !cmd.rule.options.some((o) => o.name === '--physdev-is-bridged' && !o.negated);
        if (nat || fwd) {
          first = cmd.rule.span;
          break;
        }
      }
      if (!first) continue;
      const forwarding = rs.dialect === 'script' ? forwardingOf(rs.forwarding, family) : forwardingOf(ctx.settings.workspaceForwarding ?? [], family);
      // a fact whose value we cannot read (sysctl -p, $VAR) might well turn it on
      if (forwarding.state === 'on') {
        if (rs.dialect === 'script' && !ctx.hooks) onlyWritten(ctx, family, first);
        continue;
      }
      const off = forwarding.state === 'off' ? forwarding.off : undefined;
      // OpenWrt turns both on (/etc/sysctl.d/10-default.conf) on the routers fw3 runs firewall.user on
      if (rs.runBy === 'fw3' && !off) continue;
      // on a Docker host or a Kubernetes node forwarding is on, unless the rules' own sysctl turns it off
      if (family === 'ipv4' && !off && forwardingSetByProgram(rs, family)) continue;
      const fixes =
        rs.dialect === 'script'
          ? [{ title: `Enable forwarding (sysctl -w ${FORWARDING_KEY[family]}=1)`, edits: [{ span: { start: ctx.text.startsWith('#!') ? ctx.text.indexOf('\n') + 1 : 0, end: ctx.text.startsWith('#!') ? ctx.text.indexOf('\n') + 1 : 0 }, text: `sysctl -w ${FORWARDING_KEY[family]}=1\n` }] }]
          : undefined;
      // a file of hooks (wg-quick, ifupdown): the host's sysctl.conf usually turns it on (found beside it, or a reminder)
      if (ctx.hooks && !off && forwardingOf(ctx.settings.workspaceForwarding ?? [], family).state === 'on') continue;
      if ((rs.dialect === 'save' && !ctx.settings.workspaceSearched) || (ctx.hooks && !off)) {
        ctx.report({ span: first, severity: 'info', message: `This rule set forwards traffic: make sure ${FORWARDING_KEY[family]}=1 is set on the host (in /etc/sysctl.conf or /etc/sysctl.d/).`, fixes: ctx.hooks ? fixes : undefined });
        continue;
      }
      ctx.report({
        span: first,
        message: off
          ? `This rule set forwards traffic but ${FORWARDING_KEY[family]} is set to 0: the kernel will not route between interfaces.`
          : `This rule set forwards traffic but nothing sets ${FORWARDING_KEY[family]}=1: without it the kernel does not route between interfaces.${ufwSysctl(ctx, family)}`,
        related: off && 'span' in off ? [{ span: off.span, message: 'forwarding turned off here' }] : undefined,
        fixes,
      });
    }
  },
};

/**
 * A script that turns forwarding on only in a sysctl file (`echo net.ipv4.ip_forward=1 >>
 * /etc/sysctl.conf`), with no `sysctl -w`, `sysctl -p` or /proc write: the kernel reads the file
 * at boot, and the rules forward nothing until then. A note, with a fix that applies it too.
 */
function onlyWritten(ctx: RuleContext, family: Family, first: Span): void {
  const facts = ctx.ruleSet.forwarding?.filter((f) => f.family === family) ?? [];
  const written = facts.find((f) => f.how === 'persist' && f.value === '1');
  if (!written || facts.some((f) => f.how === 'runtime')) return;
  const text = ctx.text;
  const eol = text.indexOf('\n', written.span.end);
  const at = eol === -1 ? text.length : eol + 1;
  ctx.report({
    span: first,
    severity: 'info',
    message: `${FORWARDING_KEY[family]}=1 is only written to a sysctl file here, which the kernel reads at boot: until then (or until \`sysctl -p\` applies it) this rule set forwards nothing.`,
    related: [{ span: written.span, message: 'written for the next boot here' }],
    fixes: [{ title: `Apply it now too (sysctl -w ${FORWARDING_KEY[family]}=1)`, edits: [{ span: { start: at, end: at }, text: `${eol === -1 ? '\n' : ''}sysctl -w ${FORWARDING_KEY[family]}=1\n` }] }],
  });
}

/** In a ufw rules file: the sysctl file ufw applies when it starts (IPT_SYSCTL of /etc/default/ufw), where the setting belongs. */
function ufwSysctl(ctx: RuleContext, family: Family): string {
  const file = ctx.settings.workspaceUfw?.defaults.sysctl;
  return file ? ` ufw applies ${file} when it starts: set ${family === 'ipv4' ? 'net/ipv4/ip_forward' : 'net/ipv6/conf/default/forwarding and net/ipv6/conf/all/forwarding'}=1 there.` : '';
}
