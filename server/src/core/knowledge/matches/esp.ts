import type { ExtensionSpec } from '../types.ts';

export const esp: ExtensionSpec = {
  kind: 'match',
  name: 'esp',
  families: ['ipv4', 'ipv6'],
  implicitForProtocol: 'esp',
  protocols: ['esp'],
  summary: 'Match the SPI of IPsec ESP packets. Loaded by -p esp.',
  doc: 'The SPI (security parameter index) identifies the security association the packet belongs to.',
  example: 'iptables -A INPUT -p esp --espspi 500 -j ACCEPT',
  mistakes: ['`-m esp` without `-p esp` is refused by the kernel.'],
  options: [
    {
      name: '--espspi', negation: 'prefix',
      args: [{ name: 'spi[:spi]', type: 'integer-range' }],
      summary: 'Match the SPI, or an inclusive range of SPIs.',
    },
  ],
};
