import type { ExtensionSpec } from '../types.ts';

export const REJECT: ExtensionSpec = {
  kind: 'target',
  name: 'REJECT',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  tables: ['filter'],
  chains: ['INPUT', 'FORWARD', 'OUTPUT'],
  summary: 'Drop the packet and answer with an ICMP error or a TCP reset, so the sender learns at once.',
  doc: 'Only in the filter table, in INPUT, FORWARD and OUTPUT (and user chains reached only from them). The answer types differ between iptables (icmp-…) and ip6tables (icmp6-…); `tcp-reset` works in both for rules that match `-p tcp`.',
  example: 'iptables -A INPUT -p tcp --dport 25 -j REJECT --reject-with tcp-reset',
  mistakes: [
    '`--reject-with tcp-reset` on a rule that does not match `-p tcp`: the kernel refuses it.',
    'Rejecting packets in state INVALID can tear down healthy connections: drop those instead.',
  ],
  options: [
    {
      name: '--reject-with', negation: 'none',
      args: [{ name: 'type', type: 'reject-with' }],
      summary: 'The answer to send: icmp-port-unreachable (the default), icmp-admin-prohibited or tcp-reset, and for ip6tables icmp6-port-unreachable, icmp6-adm-prohibited and the like.',
      default: 'icmp-port-unreachable / icmp6-port-unreachable',
    },
  ],
};
