import type { ExtensionSpec } from '../types.ts';

export const NOTRACK: ExtensionSpec = {
  kind: 'target',
  name: 'NOTRACK',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['raw'],
  deprecatedBy: 'CT --notrack',
  summary: 'Exempt the packet from connection tracking; the older spelling of -j CT --notrack.',
  doc: 'Only in the raw table. Equivalent to `-j CT --notrack`, which is the maintained spelling (iptables-nft turns either into nftables\' native notrack).',
  example: 'iptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack',
  options: [],
};
