import type { ExtensionSpec } from '../types.ts';

export const CONNSECMARK: ExtensionSpec = {
  kind: 'target',
  name: 'CONNSECMARK',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['security', 'mangle'],
  needsOneOf: [['--save', '--restore']],
  exclusive: [['--save', '--restore']],
  summary: 'Copy the security (SELinux) mark between a packet and its connection, then continue.',
  doc: 'Used with SECMARK so that every packet of a connection carries the label given to its first packet. Meant for the security table (mangle is accepted for old kernels); it only has an effect with an LSM policy that uses packet labels.',
  example: 'iptables -t security -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j CONNSECMARK --restore',
  options: [
    { name: '--save', negation: 'none', args: [], summary: 'Copy the packet\'s security mark to the connection, if the connection has none.' },
    { name: '--restore', negation: 'none', args: [], summary: 'Copy the connection\'s security mark to the packet, if the packet has none.' },
  ],
};
