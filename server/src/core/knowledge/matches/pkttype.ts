import type { ExtensionSpec } from '../types.ts';

export const pkttype: ExtensionSpec = {
  kind: 'match',
  name: 'pkttype',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--pkt-type']],
  summary: 'Match the link-layer packet type: unicast, broadcast or multicast.',
  doc: 'Decided by the destination MAC address of the frame. Handy to drop broadcast noise before it reaches a LOG rule.',
  example: 'iptables -A INPUT -m pkttype --pkt-type broadcast -j DROP',
  options: [
    {
      name: '--pkt-type', negation: 'prefix', required: true,
      args: [{ name: 'unicast|broadcast|multicast', type: 'pkttype' }],
      summary: 'The packet type (case-insensitive; host and otherhost are also known).',
    },
  ],
};
