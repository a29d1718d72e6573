import type { ExtensionSpec } from '../types.ts';

export const connmark: ExtensionSpec = {
  kind: 'match',
  name: 'connmark',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--mark']],
  summary: 'Match the mark stored on the connection (set with -j CONNMARK).',
  doc: 'Compares `ctmark & mask` with the value. Unlike the packet mark, the connection mark is remembered for every later packet of the connection, in both directions.',
  example: 'iptables -A FORWARD -m connmark --mark 0x1/0xff -j ACCEPT',
  options: [
    {
      name: '--mark', negation: 'prefix', required: true,
      args: [{ name: 'value[/mask]', type: 'mark', comparedUnderMask: true }],
      summary: 'Match when the connection mark, ANDed with the mask, equals the value.',
      example: '--mark 0x10/0xf0',
    },
  ],
};
