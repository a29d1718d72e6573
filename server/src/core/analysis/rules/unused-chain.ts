import { chainFacts } from '../chainGraph.ts';
import { reportKept } from '../keptFindings.ts';
import { commandsOfChains, removeChainFix } from '../removeChain.ts';
import type { Chain } from '../../model/types.ts';
import type { LintRule } from '../types.ts';
import { managedChain } from '../../knowledge/managedChains.ts';
import { toolName } from '../../knowledge/toolName.ts';

export const unusedChain: LintRule = {
  code: 'unused-chain',
  severity: 'info',
  summary: 'A user chain nothing jumps to.',
  docs: {
    description: 'Reports a user-defined chain that no `-j` or `-g` in its table refers to. Not in a listing of some chains only (`iptables -S CHAIN`), which leaves out the chains that jump to it, nor for a chain another program makes and jumps to itself (Docker\'s DOCKER-USER, which a script or a boot file fills for Docker to jump to from FORWARD, and its own chains; kube-proxy\'s KUBE-*, whose jumps from the built-in chains it adds apart from the rules it restores; ufw\'s, fail2ban\'s, firewalld\'s and Proxmox VE\'s firewall\'s). A quick fix removes the chain: its declaration or `-N`, its rules and the other commands that work on it (`-F`, `-Z`, `-X`), where each stands on lines of its own (in a script, at the top level, not under a condition or in a function). `--fix` leaves it to a person: another program may add the jump later.',
    rationale: 'Its rules never see a packet: often a forgotten `-A INPUT -j CHAIN`, or leftovers of an old setup.',
    bad: { dialect: 'save', text: '*filter\n:ssh-in - [0:0]\n-A ssh-in -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:ssh-in - [0:0]\n-A INPUT -j ssh-in\n-A ssh-in -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    // `iptables -S CHAIN` lists that chain alone: what jumps to it is in the chains left out
    if (ctx.ruleSet.listing === 'chains') return;
    const facts = chainFacts(ctx.ruleSet);
    // a jump through a shell expansion could reach any chain
    if (facts.dynamicJump) return;
    reportKept(ctx, facts, 'unused-chain', (report) => {
      const unused: Chain[] = [];
      for (const t of ctx.ruleSet.tables.values()) {
        const used = facts.jumpedTo(t.family, t.name);
        for (const c of t.chains.values()) {
          // the program that makes a chain of its own jumps to it (see managedChain)
          if (c.builtin || used.has(c.name) || !c.declarations.length || managedChain(c.name, t.name)) continue;
          unused.push(c);
        }
      }
      // the fixes are worked out again at each report (see KeptFixes), from one pass over the commands for all the chains
      const commandsOf = commandsOfChains(unused);
      for (const c of unused) {
        const { family, table, name } = c;
        // a dual-stack script makes the chain in both families (`for ipt in iptables ip6tables`): which one
        const both = ctx.ruleSet.tables.get(`${family === 'ipv4' ? 'ipv6' : 'ipv4'}:${table}`)?.chains.has(name);
        report({ span: c.declarations[0].span, message: `Nothing jumps to chain ${name}${both ? ` of ${toolName(family)}` : ''}: its ${c.rules.length} rule${c.rules.length === 1 ? ' never sees' : 's never see'} a packet.` }, (now) =>
          removeChainFix(now, family, table, name, commandsOf(now.ruleSet)),
        );
      }
    });
  },
};
