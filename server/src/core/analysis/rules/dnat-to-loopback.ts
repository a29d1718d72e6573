import type { Family } from '../../knowledge/types.ts';
import { isBuiltinChain } from '../../model/builtinChains.ts';
import type { BoundOption, Command, Rule } from '../../model/types.ts';
import { natAddressAndPort } from '../../knowledge/values/addresses.ts';
import { isLoopbackAddress } from '../../simulate/packet.ts';
import { exactInInterface } from '../../simulate/packetFromRule.ts';
import { routeLocalnetOff, type RouteLocalnetSetting } from '../../model/sysctlFacts.ts';
import { chainFacts, hooksReachingChain } from '../chainGraph.ts';
import { dnatGroups } from '../dnatGroups.ts';
import { commandIndent, commandTool, lineStartOf, sudoPrefix } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** The guard kube-proxy added after CVE-2020-8558: packets to 127.0.0.0/8 from outside that no DNAT sent there. */
const GUARD = '-I INPUT ! -i lo -d 127.0.0.0/8 -m conntrack ! --ctstate DNAT -j DROP';

export const dnatToLoopback: LintRule = {
  code: 'dnat-to-loopback',
  severity: 'warning',
  summary: 'A DNAT in PREROUTING to 127.0.0.1 (routing drops those packets unless `route_localnet` is on) or to `::1` (never delivered).',
  docs: {
    description: 'Reports a DNAT in nat PREROUTING (or a chain only PREROUTING reaches) whose new destination is a loopback address. Connections from other hosts translated to 127.0.0.0/8 are dropped by the routing decision that follows PREROUTING, before any rule of INPUT sees them, unless `net.ipv4.conf.<interface>.route_localnet=1` is set for the interface they arrive on (or `all`). In scripts a `sysctl` or `/proc/sys` write anywhere counts (the last one of a key wins); for save files, a `sysctl.conf` or `sysctl.d/*.conf` in the workspace counts, and when the front end could not look for one the finding is an info-level reminder. IPv6 has no such setting: a DNAT to `::1` from PREROUTING never reaches the service, and is an error. A rule for `-i lo`, which PREROUTING\'s nat chain never sees, is left alone. Quick fixes: `-j REDIRECT --to-ports PORT`, which sends the connection to the address it arrived at (for a service listening on all addresses); in scripts, `route_localnet=1` for the interface, with the INPUT rule that drops packets to 127.0.0.0/8 coming from outside unless a DNAT sent them there.',
    rationale: 'Forwarding a public port to a service that listens on 127.0.0.1 is a common wish, and the DNAT looks right: its counter even goes up. The kernel then treats the translated packet as a martian and drops it, so the client just times out. Turning `route_localnet` on makes it work, but also lets anyone on the link reach every service bound to localhost (CVE-2020-8558 in kube-proxy) unless INPUT drops packets to 127.0.0.0/8 that no DNAT produced.',
    bad: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080\n' },
    good: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j REDIRECT --to-ports 8080\n' },
  },
  check(ctx) {
    const facts = chainFacts(ctx.ruleSet);
    // the few DNATs to a loopback address, kept with the chain facts across edits
    const loopback = dnatGroups(facts, 'dnat-to-loopback', (cmd) => {
      const to = destinationOption(cmd.rule!);
      return to && loopbackDestination(cmd.family, to) ? '' : undefined;
    }).get('');
    if (!loopback) return;
    const cmds = [...loopback.values()].sort((a, b) => a.span.start - b.span.start);
    for (const cmd of cmds) {
      const rule = cmd.rule!;
      const to = destinationOption(rule)!;
      const dest = loopbackDestination(rule.family, to)!;
      if (!fromPrerouting(ctx, rule)) continue;
      const iface = exactInInterface(rule);
      if (iface === 'lo') continue;
      if (rule.family === 'ipv6') {
        ctx.report({
          span: to.item.span,
          severity: 'error',
          message: `Connections from other hosts translated to ${dest.address} never reach it: IPv6 routing does not deliver packets to the loopback address that arrive on another interface (there is no route_localnet for IPv6).`,
          fixes: redirectFix(rule, to, dest.port),
        });
        continue;
      }
      reportIpv4(ctx, cmd, rule, to, dest, iface);
    }
  },
};

function destinationOption(rule: Rule): BoundOption | undefined {
  const options = rule.target!.options;
  for (let i = 0; i < options.length; i++) if (options[i].name === '--to-destination') return options[i];
  return undefined;
}

/** The loopback address and port a `--to-destination` names, or undefined for any other (or a shell expansion). */
function loopbackDestination(family: Family, to: BoundOption): { address: string; port?: string } | undefined {
  const text = to.keptValue ?? (to.values[0] && !to.values[0].dynamic ? to.values[0].value : undefined);
  // most DNATs go elsewhere: tell them apart without splitting the value (27k of a kube-proxy dump, each keystroke)
  if (!text || !(family === 'ipv4' ? text.startsWith('127.') : /^\[?[0:]/.test(text))) return undefined;
  const { address, port } = natAddressAndPort(text);
  if (!address || !isLoopbackAddress(address) || (family === 'ipv4') !== address.startsWith('127.')) return undefined;
  return port ? { address, port } : { address };
}

/** In PREROUTING, or in a user chain PREROUTING reaches (the host's own connections, through OUTPUT, are delivered). */
function fromPrerouting(ctx: RuleContext, rule: Rule): boolean {
  if (rule.chain === 'PREROUTING') return true;
  if (isBuiltinChain(rule.table, rule.chain)) return false;
  return hooksReachingChain(ctx.ruleSet, rule.family, rule.table, rule.chain).includes('PREROUTING');
}


function reportIpv4(ctx: RuleContext, cmd: Command, rule: Rule, to: BoundOption, dest: { address: string; port?: string }, iface: string | undefined): void {
  const rs = ctx.ruleSet;
  const settings: RouteLocalnetSetting[] = rs.dialect === 'script' ? rs.routeLocalnet : (ctx.settings.workspaceRouteLocalnet ?? []);
  const off = routeLocalnetOff(settings, iface);
  if (off === undefined) return;
  const where = iface ?? 'the interfaces they arrive on';
  const key = `net.ipv4.conf.${iface ?? 'all'}.route_localnet`;
  if (rs.dialect === 'save' && !ctx.settings.workspaceSearched) {
    ctx.report({
      span: to.item.span,
      severity: 'info',
      message: `Connections from other hosts translated to ${dest.address} are dropped by routing unless ${key}=1 is set on the host (in /etc/sysctl.conf or /etc/sysctl.d/).`,
      fixes: redirectFix(rule, to, dest.port),
    });
    return;
  }
  ctx.report({
    span: to.item.span,
    message: off.span
      ? `Connections from other hosts translated to ${dest.address} are dropped by routing: route_localnet is 0 for ${where}.`
      : `Connections from other hosts translated to ${dest.address} are dropped by routing: nothing sets route_localnet=1 for ${where}.`,
    related: off.span ? [{ span: off.span, message: 'route_localnet turned off here' }] : undefined,
    fixes: [...redirectFix(rule, to, dest.port), ...routeLocalnetFix(ctx, cmd, iface)],
  });
}

/** `-j REDIRECT --to-ports PORT` for a DNAT whose only option is its destination. */
function redirectFix(rule: Rule, to: BoundOption, port: string | undefined): Fix[] {
  const target = rule.target!;
  if (target.options.length !== 1 || (port && !/^\d+(-\d+)?$/.test(port))) return [];
  return [{
    title: port ? `Redirect to port ${port} of the address the connection arrived at (REDIRECT; the service must listen there)` : 'Redirect to the address the connection arrived at (REDIRECT; the service must listen there)',
    edits: [
      { span: target.span, text: 'REDIRECT' },
      port ? { span: to.item.span, text: `--to-ports ${port}` } : { span: { start: to.item.span.start - 1, end: to.item.span.end }, text: '' },
    ],
  }];
}

/** Scripts: `route_localnet=1` for the interface and the guard, on the lines before the DNAT's command. */
function routeLocalnetFix(ctx: RuleContext, cmd: Command, iface: string | undefined): Fix[] {
  if (ctx.ruleSet.dialect !== 'script') return [];
  const tool = commandTool(ctx.text, cmd);
  if (!tool) return [];
  const indent = commandIndent(ctx.text, cmd);
  const sudo = sudoPrefix(tool);
  const name = iface ?? 'all';
  const at = lineStartOf(ctx.text, cmd);
  return [{
    title: `Set route_localnet=1 for ${name}, and drop packets to 127.0.0.0/8 from outside that no DNAT sent there`,
    edits: [{ span: { start: at, end: at }, text: `${indent}${sudo}sysctl -w net.ipv4.conf.${name}.route_localnet=1\n${indent}${tool} ${GUARD}\n` }],
  }];
}
