import type { TableSpec } from './types.ts';

export const tables: readonly TableSpec[] = [
  {
    name: 'filter',
    summary: 'The default table: decides whether packets are allowed (INPUT, FORWARD, OUTPUT).',
    doc: 'Rules without `-t` go here. Firewall verdicts belong in this table: ACCEPT, DROP, REJECT.',
    chains: ['INPUT', 'FORWARD', 'OUTPUT'],
  },
  {
    name: 'nat',
    summary: 'Address translation: DNAT/REDIRECT before routing, SNAT/MASQUERADE after it.',
    doc: 'Only the first packet of each connection crosses this table; conntrack applies the same translation to the rest of the connection and undoes it on replies. Do not filter here.',
    chains: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  },
  {
    name: 'mangle',
    summary: 'Alter packets: marks, TOS/DSCP, TTL, MSS clamping, TPROXY.',
    doc: 'Present at every hook. Marks set in PREROUTING or OUTPUT are seen by the routing decision (policy routing).',
    chains: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  },
  {
    name: 'raw',
    summary: 'Runs before connection tracking: exempt traffic from it (CT --notrack), attach helpers, TRACE.',
    doc: 'The first table a packet meets at PREROUTING and OUTPUT.',
    chains: ['PREROUTING', 'OUTPUT'],
  },
  {
    name: 'security',
    summary: 'Mandatory access control (SELinux SECMARK / CONNSECMARK), after the filter table.',
    doc: 'Only relevant on systems with an LSM policy that labels packets.',
    chains: ['INPUT', 'FORWARD', 'OUTPUT'],
  },
];

export function getTable(name: string) {
  return tables.find((t) => t.name === name);
}
