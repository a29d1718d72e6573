import type { TableSpec } from './types.ts';

/**
 * The five tables. At a hook they run in this order: raw, (connection tracking), mangle,
 * nat (destination NAT on the way in), filter, security, nat (source NAT on the way out).
 */
export const tables: readonly TableSpec[] = [
  {
    name: 'filter',
    summary: 'The default table: decides whether packets may pass (INPUT, FORWARD, OUTPUT).',
    doc: 'Rules without `-t` go here, and so do firewall verdicts: ACCEPT, DROP, REJECT (REJECT only works here). Built-in chains: INPUT for packets to this host, FORWARD for routed packets, OUTPUT for packets this host sends.',
    chains: ['INPUT', 'FORWARD', 'OUTPUT'],
  },
  {
    name: 'nat',
    summary: 'Address translation: DNAT and REDIRECT before routing, SNAT and MASQUERADE after it.',
    doc: 'Only the first packet of each connection passes through this table; conntrack applies the chosen translation to the rest of the connection and reverses it for replies. So do not filter here: later packets never see these rules. Built-in chains: PREROUTING, INPUT, OUTPUT, POSTROUTING. IPv6 NAT needs Linux 3.7 or later.',
    chains: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  },
  {
    name: 'mangle',
    summary: 'Change packets and their metadata: marks, TOS/DSCP, TTL, MSS clamping, TPROXY.',
    doc: 'Present at all five hooks. Marks set in PREROUTING (arriving packets) or OUTPUT (local ones) are seen by the routing decision, which is how policy routing by mark works.',
    chains: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  },
  {
    name: 'raw',
    summary: 'Runs before connection tracking: exempt traffic from it (CT --notrack), attach helpers and zones, TRACE.',
    doc: 'The first table at PREROUTING and OUTPUT, before conntrack has looked at the packet, so its rules decide how (and whether) the packet is tracked.',
    chains: ['PREROUTING', 'OUTPUT'],
  },
  {
    name: 'security',
    summary: 'Mandatory access control labels (SECMARK, CONNSECMARK), applied after the filter table.',
    doc: 'Used by Linux Security Modules such as SELinux: the filter table\'s rules decide first, then labels set here let the security policy decide. Irrelevant on hosts without such a policy. Built-in chains: INPUT, FORWARD, OUTPUT.',
    chains: ['INPUT', 'FORWARD', 'OUTPUT'],
  },
];

export function getTable(name: string): TableSpec | undefined {
  return tables.find((t) => t.name === name);
}
