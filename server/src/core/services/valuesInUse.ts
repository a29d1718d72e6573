import type { ValueTypeName } from '../knowledge/types.ts';
import type { RuleSet } from '../model/types.ts';
import { commandIndexAt } from './commandAt.ts';

/**
 * How many commands on each side of the cursor are read: values written nearby are the likely
 * ones, and reading all of a 100k-rule dump took 70–300 ms a request.
 */
export const NEARBY_COMMANDS = 1000;

/**
 * Kinds of open values (no closed set to offer) that completion offers from the document
 * itself: after `-i ` the interfaces the file already names, after `-s ` its networks and
 * variables (`$LAN`), after `--dport ` its ports.
 */
export type ValueGroup = 'address' | 'port' | 'interface' | 'nat-destination' | 'mark';

const GROUP: Partial<Record<ValueTypeName, ValueGroup>> = {
  address: 'address',
  'address-list': 'address',
  host: 'address',
  'ipv6-address-list': 'address',
  port: 'port',
  'port-range': 'port',
  'port-range-loose': 'port',
  'port-list': 'port',
  interface: 'interface',
  'nat-destination': 'nat-destination',
  mark: 'mark',
};

/** Types whose value is a comma list: each item is a value of its own. */
const LISTS = new Set<ValueTypeName>(['address-list', 'ipv6-address-list', 'port-list']);

export function valueGroup(type: ValueTypeName): ValueGroup | undefined {
  return GROUP[type];
}

export interface ValueInUse {
  /** As written (a shell variable keeps its `$`). */
  text: string;
  count: number;
}

/**
 * The values the rules near `offset` write for options of the group (the command at `offset`
 * itself left out: it holds what is being typed), the most used first, then by text; at most
 * `limit`.
 */
export function valuesInUse(rs: Pick<RuleSet, 'commands'>, group: ValueGroup, offset: number, limit: number): ValueInUse[] {
  const counts = new Map<string, number>();
  const cmds = rs.commands;
  const at = commandIndexAt(rs, offset);
  const end = Math.min(cmds.length, at + 1 + NEARBY_COMMANDS);
  for (let i = Math.max(0, at - NEARBY_COMMANDS); i < end; i++) {
    const cmd = cmds[i];
    if (!cmd.rule || (cmd.span.start <= offset && offset <= cmd.span.end)) continue;
    for (const o of cmd.rule.options) {
      const type = o.spec?.args[0]?.type;
      if (!type || GROUP[type] !== group) continue;
      const written = o.keptValue ?? o.values[0]?.text;
      if (!written) continue;
      for (const v of LISTS.has(type) && !written.includes('$') ? written.split(',') : [written]) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  const out: ValueInUse[] = [];
  for (const [text, count] of counts) out.push({ text, count });
  out.sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return out.slice(0, limit);
}
