import type { Family } from './types.ts';

/** The command that works on a family's tables. */
export function toolName(family: Family): 'iptables' | 'ip6tables' {
  return family === 'ipv6' ? 'ip6tables' : 'iptables';
}
