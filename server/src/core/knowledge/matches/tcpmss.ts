import type { ExtensionSpec } from '../types.ts';

export const tcpmss: ExtensionSpec = {
  kind: 'match',
  name: 'tcpmss',
  families: ['ipv4', 'ipv6'],
  protocols: ['tcp'],
  needsOneOf: [['--mss']],
  summary: 'Match the MSS option of TCP SYN and SYN/ACK segments.',
  doc: 'Only handshake segments carry an MSS option; other packets never match. Needs `-p tcp`.',
  example: 'iptables -A INPUT -p tcp --syn -m tcpmss --mss 1:500 -j DROP',
  options: [
    {
      name: '--mss', negation: 'prefix', required: true,
      args: [{ name: 'value[:value]', type: 'integer-range', max: 65535, ordered: true }],
      summary: 'Match this MSS value, or an inclusive range (first not above last).',
    },
  ],
};
