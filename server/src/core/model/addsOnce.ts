import { ruleKey } from './ruleKey.ts';
import type { Command } from './types.ts';

/**
 * `check` is `iptables -C` of the rule `cmd` appends or inserts, in the same chain: written
 * `iptables -C INPUT … || iptables -A INPUT …`, the append runs only where the check fails,
 * so a second such pair of the same rule adds nothing (see Command.addsOnce).
 */
export function checksRule(check: Command, cmd: Command): boolean {
  if (check.kind !== 'check' || (cmd.kind !== 'append' && cmd.kind !== 'insert')) return false;
  if (check.family !== cmd.family || check.table !== cmd.table || check.chain === undefined || check.chain !== cmd.chain) return false;
  if (!check.rule || !cmd.rule || check.rule.dynamic || cmd.rule.dynamic || check.tableDynamic || cmd.tableDynamic) return false;
  return ruleKey(check.rule) === ruleKey(cmd.rule);
}
