import type { ExtensionSpec } from '../types.ts';

const events = ['new', 'related', 'destroy', 'reply', 'assured', 'protoinfo', 'helper', 'mark', 'natseqinfo', 'secmark'];

export const CT: ExtensionSpec = {
  kind: 'target',
  name: 'CT',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['raw'],
  summary: 'Decide how connection tracking will treat the packet: not at all, with a helper, in a zone, with a timeout policy.',
  doc: 'Only in the raw table, which runs before conntrack. `-j CT --notrack` exempts traffic from tracking (it is then UNTRACKED). Assigning helpers explicitly (`--helper ftp`) replaces the automatic helper assignment that kernels no longer do by default.',
  example: 'iptables -t raw -A PREROUTING -p tcp --dport 21 -j CT --helper ftp',
  mistakes: ['Untracked packets skip NAT and every conntrack-based rule: the reply direction must be allowed explicitly.'],
  options: [
    { name: '--notrack', negation: 'none', args: [], summary: 'Do not track this packet (it becomes UNTRACKED).' },
    {
      name: '--helper', negation: 'none',
      args: [{ name: 'name', type: 'ct-helper', truncateAt: 15 }],
      summary: 'Attach this conntrack helper (ftp, sip, tftp, irc…) to the new connection.',
      doc: 'The helper module (nf_conntrack_ftp…) must be available on the host. The kernel looks the helper up by its name (letter case counts), the rule\'s family and its `-p`: `--helper ftp` needs `-p tcp`, `--helper tftp` needs `-p udp`, and irc, pptp, netbios-ns and the snmp helpers exist for IPv4 only. H.323 has two helpers, RAS (udp) and Q.931 (tcp). A rule that names a helper the kernel lacks for it fails when loaded, which `iptables-restore --test` does not catch.',
    },
    {
      name: '--ctevents', negation: 'none',
      args: [{ name: 'event[,…]', type: 'enum-list', values: events }],
      summary: 'Only generate these conntrack events for the connection.',
    },
    {
      name: '--expevents', negation: 'none',
      args: [{ name: 'event[,…]', type: 'enum-list', values: ['new'] }],
      summary: 'Only generate these expectation events (only new exists).',
    },
    { name: '--zone-orig', negation: 'none', args: [{ name: 'id|mark', type: 'zone' }], summary: 'Conntrack zone for packets in the original direction (a number, or mark to use the packet mark).' },
    { name: '--zone-reply', negation: 'none', args: [{ name: 'id|mark', type: 'zone' }], summary: 'Conntrack zone for packets in the reply direction.' },
    { name: '--zone', negation: 'none', args: [{ name: 'id|mark', type: 'zone' }], summary: 'Conntrack zone for both directions, so overlapping address spaces stay apart.', default: '0' },
    {
      name: '--timeout', negation: 'none',
      args: [{ name: 'name', type: 'string', truncateAt: 31 }],
      summary: 'Use a timeout policy defined with `nfct add timeout`.',
      doc: 'The policy must exist on the host.',
    },
  ],
};
