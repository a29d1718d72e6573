import type { Family } from '../../knowledge/types.ts';
import { isBuiltinChain } from '../../model/builtinChains.ts';
import type { Command } from '../../model/types.ts';
import type { LintRule } from '../types.ts';
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
  summary: 'A rule of one of ufw\'s rules files in a built-in chain (nat PREROUTING, POSTROUTING…) that nothing empties before ufw loads the file again: each `ufw reload` adds it once more, and a rule taken out of the file stays in force until the next boot.',
  docs: {
    description: 'ufw loads its rules files (`before.rules`, `after.rules`, `user.rules` and their IPv6 twins) with `iptables-restore -n` each time it starts, and `ufw reload` (like `ufw disable` then `ufw enable`) empties only its own chains first (`ufw-before-input` and the like), not the built-in ones. A rule the file appends or inserts into a built-in chain (`-A POSTROUTING … -j MASQUERADE` or `-A PREROUTING … -j DNAT` in a `*nat` block, as ufw\'s own manual page shows, or `-A FORWARD` in `*filter`) is reported, once per chain on its first such rule with the others in the related information, where no `-F` of that chain (or of its whole table) stands above it in the file. A jump to a chain the file declares is not: declaring a chain under `-n` empties it, so that chain\'s rules follow the file at each load, and the jump added again leads to the same rules. With `MANAGE_BUILTINS=yes` in /etc/default/ufw (read where it is found beside /etc/ufw) ufw empties the chains of filter and mangle itself, and nat\'s PREROUTING, OUTPUT and POSTROUTING for IPv4 only: rules there are not reported. The quick fix puts `-F CHAIN` above the first rule, so each load starts that chain afresh; it also removes what other programs put into the chain (Docker\'s and libvirt\'s NAT rules), which on such a host then come back only when they restart. There, keep the rules in a chain of your own declared in the block (`:nat-forwards - [0:0]`) with a jump to it from the built-in chain: only the jump is added again at each reload, and a second jump to a chain whose rules all decide (DNAT, MASQUERADE) changes nothing.',
    rationale: 'The rules look right in the file and in `iptables -t nat -S` after the first start; only after a few reloads does the chain hold each rule several times, and a port forward or MASQUERADE removed from before.rules keeps working after `ufw reload`, so the admin believes a service closed that is still reachable. Rebooting the host is the only thing that clears them.',
    bad: { dialect: 'save', text: '# /etc/ufw/before.rules\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80\nCOMMIT\n' },
    good: { dialect: 'save', text: '# /etc/ufw/before.rules\n*nat\n:PREROUTING ACCEPT [0:0]\n-F PREROUTING\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
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
