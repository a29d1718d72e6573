import type { ExtensionSpec } from '../types.ts';

export const mac: ExtensionSpec = {
  kind: 'match',
  name: 'mac',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--mac-source']],
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  summary: 'Match the source Ethernet (MAC) address of the frame the packet arrived in.',
  doc: 'Only packets that came in over an Ethernet-like device have one, so it works in PREROUTING, INPUT and FORWARD. A MAC address is easy to forge: do not treat it as authentication.',
  example: 'iptables -A INPUT -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT',
  options: [
    {
      name: '--mac-source', negation: 'prefix', required: true,
      args: [{ name: 'XX:XX:XX:XX:XX:XX', type: 'mac-address' }],
      summary: 'The source MAC address, six hex bytes separated by colons.',
    },
  ],
};
