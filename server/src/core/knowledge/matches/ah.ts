import type { ExtensionSpec } from '../types.ts';

export const ah: ExtensionSpec = {
  kind: 'match',
  name: 'ah',
  families: ['ipv4', 'ipv6'],
  implicitForProtocol: 'ah',
  protocols: ['ah'],
  protocolFamilies: ['ipv4'],
  summary: 'Match the IPsec Authentication Header: its SPI, and on IPv6 its length and reserved field.',
  doc: 'The SPI (security parameter index) names the security association. With iptables the rule needs `-p ah`; ip6tables finds the AH header among the extension headers without it.',
  example: 'iptables -A INPUT -p ah --ahspi 500 -j ACCEPT',
  options: [
    {
      name: '--ahspi', negation: 'prefix',
      args: [{ name: 'spi[:spi]', type: 'integer-range' }],
      summary: 'Match the SPI, or an inclusive range of SPIs.',
      example: '--ahspi 256:511',
    },
    {
      name: '--ahlen', negation: 'prefix', family: 'ipv6',
      args: [{ name: 'length', type: 'integer' }],
      summary: 'Match the total length of the AH header in octets (ip6tables only).',
    },
    { name: '--ahres', negation: 'none', family: 'ipv6', args: [], summary: 'Match when the reserved field is zero (ip6tables only).' },
  ],
};
