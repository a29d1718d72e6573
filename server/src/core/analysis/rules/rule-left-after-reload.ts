import type { Family } from '../../knowledge/types.ts';
import { isBuiltinChain } from '../../model/builtinChains.ts';
import type { Command } from '../../model/types.ts';
import type { HookFacts, LintRule, RuleContext } from '../types.ts';
import { deletingCommand } from '../../model/hookFiles.ts';
import { readByIfupdown2 } from '../../model/ifupdown.ts';
import { ruleKey } from '../../model/ruleKey.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';

/**
 * Whether ufw empties a built-in chain itself when it stops and starts again (`ufw reload`),
 * as ufw-init-functions' flush_builtins does with MANAGE_BUILTINS=yes: every chain of filter
 * and mangle's five, for both families; nat's PREROUTING, OUTPUT and POSTROUTING for IPv4 only.
 */
function emptiedByUfw(family: Family, table: string, chain: string, manageBuiltins: boolean): boolean {
  if (!manageBuiltins) return false;
  if (table === 'filter' || table === 'mangle') return true;
  return table === 'nat' && family === 'ipv4' && chain !== 'INPUT';
}

export const ruleLeftAfterReload: LintRule = {
  code: 'rule-left-after-reload',
  severity: 'warning',
  summary: 'A rule of one of ufw\'s rules files in a built-in chain (nat PREROUTING, POSTROUTING…) that nothing empties before ufw loads the file again: each `ufw reload` adds it once more, and a rule taken out of the file stays in force until the next boot. In an ifupdown configuration with a Proxmox bridge (`iface vmbr0`), an up line that adds a rule unconditionally: ifupdown2 runs it again at each `ifreload -a`.',
  docs: {
    description: 'ufw loads its rules files (`before.rules`, `after.rules`, `user.rules` and their IPv6 twins) with `iptables-restore -n` each time it starts, and `ufw reload` (like `ufw disable` then `ufw enable`) empties only its own chains first (`ufw-before-input` and the like), not the built-in ones. A rule the file appends or inserts into a built-in chain (`-A POSTROUTING … -j MASQUERADE` or `-A PREROUTING … -j DNAT` in a `*nat` block, as ufw\'s own manual page shows, or `-A FORWARD` in `*filter`) is reported, once per chain on its first such rule with the others in the related information, where no `-F` of that chain (or of its whole table) stands above it in the file. A jump to a chain the file declares is not: declaring a chain under `-n` empties it, so that chain\'s rules follow the file at each load, and the jump added again leads to the same rules. With `MANAGE_BUILTINS=yes` in /etc/default/ufw (read where it is found beside /etc/ufw) ufw empties the chains of filter and mangle itself, and nat\'s PREROUTING, OUTPUT and POSTROUTING for IPv4 only: rules there are not reported. The quick fix puts `-F CHAIN` above the first rule, so each load starts that chain afresh; it also removes what other programs put into the chain (Docker\'s and libvirt\'s NAT rules), which on such a host then come back only when they restart. There, keep the rules in a chain of your own declared in the block (`:nat-forwards - [0:0]`) with a jump to it from the built-in chain: only the jump is added again at each reload, and a second jump to a chain whose rules all decide (DNAT, MASQUERADE) changes nothing. In `/etc/network/interfaces` (and `interfaces.d`) with a stanza of a Proxmox bridge (`iface vmbr0`), which Proxmox VE reads with ifupdown2: ifupdown2 runs the pre-up, up and post-up lines of an interface that is already up again at each `ifup` of it and each `ifreload -a` (what applying network changes in Proxmox runs), and runs none of its down lines then (ifupdown2 3.0.0, checked). Each `-A` or `-I` of an up line is reported unless it is added only where missing (`iptables -C … 2>/dev/null || iptables -A …`), or a flush of its chain or a `-D` of the same rule comes first; the fix adds the `-C … ||` before it. Classic ifupdown refuses to bring up an interface that is up, and has no ifreload.',
    rationale: 'The rules look right in the file and in `iptables -t nat -S` after the first start; only after a few reloads does the chain hold each rule several times, and a port forward or MASQUERADE removed from before.rules keeps working after `ufw reload`, so the admin believes a service closed that is still reachable. Rebooting the host is the only thing that clears them.',
    bad: { dialect: 'save', text: '# /etc/ufw/before.rules\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80\nCOMMIT\n' },
    good: { dialect: 'save', text: '# /etc/ufw/before.rules\n*nat\n:PREROUTING ACCEPT [0:0]\n-F PREROUTING\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    if (ctx.hooks?.format === 'ifupdown') return reloadedByIfupdown2(ctx, ctx.hooks);
    if (rs.dialect !== 'save' || !rs.loadedByUfw) return;
    const manageBuiltins = !!ctx.settings.workspaceUfw?.defaults.manageBuiltins;
    // `table` for a flush of the whole table, `table chain` for one chain
    const emptied = new Set<string>();
    const added = new Map<string, Command[]>();
    for (const cmd of commandsAsRun(rs)) {
      if (cmd.kind === 'flush') emptied.add(cmd.chain ? `${cmd.table} ${cmd.chain}` : cmd.table);
      if ((cmd.kind !== 'append' && cmd.kind !== 'insert') || !cmd.chain || !cmd.rule || !isBuiltinChain(cmd.table, cmd.chain)) continue;
      const key = `${cmd.table} ${cmd.chain}`;
      if (emptied.has(cmd.table) || emptied.has(key) || emptiedByUfw(cmd.family, cmd.table, cmd.chain, manageBuiltins)) continue;
      // a jump to a chain the file declares: declaring it under -n empties it, so its rules follow
      // the file at each load; the jump added again leads to the same rules
      const target = cmd.rule.target;
      const to = target && !target.spec ? rs.tables.get(`${cmd.family}:${cmd.table}`)?.chains.get(target.name) : undefined;
      if (to && !to.builtin && to.declarations.length) continue;
      const list = added.get(key);
      if (list) list.push(cmd);
      else added.set(key, [cmd]);
    }
    for (const [, cmds] of added) {
      const [first] = cmds;
      const chain = first.chain!;
      const where = `${first.table} ${chain}`;
      const lineStart = ctx.text.lastIndexOf('\n', first.span.start - 1) + 1;
      const more = cmds.length > 1 ? ` (and the ${cmds.length - 1} other rule${cmds.length > 2 ? 's' : ''} this file adds there)` : '';
      ctx.report({
        span: first.span,
        message: `ufw empties only its own chains before it loads this file again: at each \`ufw reload\` this rule${more} is added to ${where} once more, and a rule taken out of the file stays in force there until the next boot.`,
        related: cmds.slice(1).map((c) => ({ span: c.span, message: `Added to ${where} again at each reload too.` })),
        fixes: [{ title: `Empty ${where} before its rules at each load (-F ${chain}; this also removes rules other programs such as Docker put there)`, edits: [{ span: { start: lineStart, end: lineStart }, text: `-F ${chain}\n` }] }],
      });
    }
  },
};

/**
 * ifupdown2 runs the up lines of an interface that is already up again, without its down lines,
 * at each `ifup` of it and `ifreload -a` (checked with ifupdown2 3.0.0; its maintainers keep it
 * so): a rule an up line adds unconditionally is added once more each time. Reported in files
 * with a Proxmox bridge (`iface vmbr0`): classic ifupdown refuses to bring up an interface that
 * is up and has no ifreload.
 */
function reloadedByIfupdown2(ctx: RuleContext, hooks: HookFacts): void {
  if (!readByIfupdown2(hooks.stanzas ?? [])) return;
  const commands = ctx.ruleSet.commands;
  for (const [i, cmd] of commands.entries()) {
    if ((cmd.kind !== 'append' && cmd.kind !== 'insert') || !cmd.chain || !cmd.rule || cmd.uncertain || cmd.addsOnce || cmd.issues.length) continue;
    const key = ruleKey(cmd.rule);
    // emptied before it at each run: a flush of its chain or table, or a delete of the same rule
    const emptied = commands.slice(0, i).some((c) => c.family === cmd.family && c.table === cmd.table && ((c.kind === 'flush' && (!c.chain || c.chain === cmd.chain)) || (c.kind === 'delete' && c.chain === cmd.chain && c.rule !== undefined && ruleKey(c.rule) === key)));
    if (emptied) continue;
    const text = ctx.read(cmd.span.start, cmd.span.end);
    const check = deletingCommand(text, '-C');
    const quiet = /\s2>\s*\/dev\/null\s*$/.test(text) ? '' : ' 2>/dev/null';
    ctx.report({
      span: cmd.span,
      message: `ifupdown2 (with which Proxmox VE reads this file and applies network changes, \`ifreload -a\`) runs the up lines of an interface that is up again without its down lines: each reload adds this rule to ${cmd.table} ${cmd.chain} once more. Add it only where it is missing: \`iptables -C … 2>/dev/null || iptables ${cmd.kind === 'insert' ? '-I' : '-A'} …\`.`,
      fixes: check && check.chain === cmd.chainWord?.text ? [{ title: `Add the rule only where it is missing (${check.text}${quiet} || …)`, edits: [{ span: { start: cmd.span.start, end: cmd.span.start }, text: `${check.text}${quiet} || ` }] }] : undefined,
    });
  }
}
