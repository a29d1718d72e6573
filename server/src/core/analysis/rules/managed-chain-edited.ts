import { managedChain } from '../../knowledge/managedChains.ts';
import type { Command } from '../../model/types.ts';
import { chainFacts } from '../chainGraph.ts';
import { CHAIN_EDITS } from '../chainEdits.ts';
import type { Fix, LintRule } from '../types.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';

const ADDS = new Set<Command['kind']>(['append', 'insert', 'replace']);

export const managedChainEdited: LintRule = {
  code: 'managed-chain-edited',
  severity: 'warning',
  summary: 'A script changes a chain that Docker, kube-proxy, ufw, fail2ban or Proxmox VE\'s firewall writes itself (`-A DOCKER`, `-I KUBE-SERVICES`, `-A ufw-user-input`): the change is lost the next time the program writes it.',
  docs: {
    description: 'Reports a script command that adds, replaces or deletes rules of, flushes, deletes or renames a chain another program makes and writes on its own: Docker\'s DOCKER, DOCKER-FORWARD, DOCKER-BRIDGE, DOCKER-INTERNAL, DOCKER-CT, DOCKER-INGRESS and DOCKER-ISOLATION* chains, kube-proxy\'s KUBE-* chains, ufw\'s ufw-* and ufw6-* chains, fail2ban\'s f2b-* chains, and firewalld\'s (its iptables back end): the direct interface\'s INPUT_direct and the like, the zone dispatchers (INPUT_ZONES, FORWARD_IN_ZONES...) and each zone\'s chains with a suffix (IN_public_allow, FWDO_home_deny; `_allow`, `_deny`, `_log`, `_pre`, `_post`), whose rules firewalld writes again on every reload; and Proxmox VE\'s firewall\'s PVEFW-* chains and each guest interface\'s (tap100i0-IN, veth101i0-OUT), which pve-firewall puts back every ten seconds while it runs. A chain the script creates itself with `-N` is its own. Not reported: DOCKER-USER, which Docker makes for rules of one\'s own, and files of iptables-save, which hold these chains as the programs wrote them. Quick fix for Docker\'s filter chains: insert the rule into DOCKER-USER instead (at its head: older Docker releases end DOCKER-USER with a RETURN).',
    rationale: 'These programs write their chains from their own state: Docker when it starts and whenever a container or network comes or goes, kube-proxy on every sync of the cluster\'s Services, ufw on every reload and boot, fail2ban when a jail starts or stops. A rule added to one of them by hand works until then and is silently gone after the next restart or deployment; a rule deleted by hand comes back. Docker documents DOCKER-USER as the place for rules of one\'s own, ahead of its chains in FORWARD.',
    bad: { dialect: 'script', text: 'iptables -A DOCKER -s 198.51.100.0/24 -p tcp --dport 5432 -j ACCEPT\n' },
    good: { dialect: 'script', text: 'iptables -I DOCKER-USER -i eth0 ! -s 198.51.100.0/24 -p tcp -m conntrack --ctorigdstport 5432 -j DROP\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // a shell function named iptables decides what each call does; iptables-save files hold
    // these chains as the programs wrote them
    if (rs.dialect !== 'script' || rs.wrapsTool) return;
    const restored = new Set<Command>();
    for (const r of rs.restores ?? []) for (const c of r.ruleSet.commands) restored.add(c);
    const facts = chainFacts(rs);
    for (const cmd of commandsAsRun(rs)) {
      const w = cmd.chainWord;
      if (!w || w.dynamic || cmd.uncertain || cmd.tableDynamic || !CHAIN_EDITS.has(cmd.kind) || restored.has(cmd)) continue;
      const managed = managedChain(w.value, cmd.table);
      if (!managed || managed.forUsers || facts.declared(cmd.family, cmd.table).has(w.value)) continue;
      const lost = ADDS.has(cmd.kind) ? 'a rule added here by hand is lost then' : 'what this command changes is put back then';
      ctx.report({
        span: w.span,
        message: `${managed.owner} makes chain ${w.value} and rewrites it ${managed.rewritten}: ${lost}. Instead, ${managed.instead}.`,
        fixes: dockerUserFix(cmd),
      });
    }
  },
};

/** `-A DOCKER …` or `-I DOCKER [n] …` in the filter table: `-I DOCKER-USER …`, at the head (older Docker ends DOCKER-USER with a RETURN). */
function dockerUserFix(cmd: Command): Fix[] | undefined {
  if (cmd.table !== 'filter' || (cmd.kind !== 'append' && cmd.kind !== 'insert') || !cmd.chainWord?.value.startsWith('DOCKER')) return undefined;
  const w = cmd.chainWord;
  const item = cmd.args.items.find((i) => i.values[0] === w || (i.values[0] && i.values[0].span.start === w.span.start));
  if (!item) return undefined;
  // -I DOCKER 2: the number goes with it, which DOCKER-USER may not have; the head is where the rule belongs
  const numbered = cmd.kind === 'insert' && item.values.length > 1 && /^\d+$/.test(item.values[1].value);
  const end = numbered ? item.values[1].span.end : w.span.end;
  return [{ title: 'Insert it into DOCKER-USER instead', edits: [{ span: { start: item.nameSpan.start, end }, text: '-I DOCKER-USER' }] }];
}
