import type { ExtensionSpec } from '../types.ts';

export const mark: ExtensionSpec = {
  kind: 'match',
  name: 'mark',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--mark']],
  summary: 'Match the packet\'s netfilter mark (set with -j MARK, by policy routing helpers, or restored from the connection).',
  doc: 'Compares `mark & mask` with the value; without a mask the whole 32-bit mark must be equal. The mark exists only inside this host.',
  example: 'iptables -A FORWARD -m mark --mark 0x2/0xff -j ACCEPT',
  options: [
    {
      name: '--mark', negation: 'prefix', required: true,
      args: [{ name: 'value[/mask]', type: 'mark', comparedUnderMask: true }],
      summary: 'Match when the mark, ANDed with the mask, equals the value.',
      example: '--mark 0x100/0xf00',
    },
  ],
};
