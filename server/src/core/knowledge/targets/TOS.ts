import type { ExtensionSpec } from '../types.ts';

export const TOS: ExtensionSpec = {
  kind: 'target',
  name: 'TOS',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['mangle'],
  needsOneOf: [['--set-tos', '--and-tos', '--or-tos', '--xor-tos']],
  exclusive: [['--set-tos', '--and-tos', '--or-tos', '--xor-tos']],
  summary: 'Rewrite the IPv4 TOS / IPv6 Traffic Class byte, then continue. Mangle table only.',
  doc: 'The byte holds DSCP and ECN: changing all 8 bits also changes ECN. Prefer DSCP to set the class only.',
  example: 'iptables -t mangle -A OUTPUT -p tcp --dport 22 -j TOS --set-tos Minimize-Delay',
  options: [
    {
      name: '--set-tos', negation: 'none',
      args: [{ name: 'value[/mask]|symbol', type: 'tos' }],
      summary: 'Clear the mask bits (default 0xff) and XOR the value in; or a symbolic name such as Minimize-Delay.',
    },
    { name: '--and-tos', negation: 'none', args: [{ name: 'bits', type: 'hex-integer', max: 255 }], summary: 'AND the byte with the bits.' },
    { name: '--or-tos', negation: 'none', args: [{ name: 'bits', type: 'hex-integer', max: 255 }], summary: 'OR the bits into the byte.' },
    { name: '--xor-tos', negation: 'none', args: [{ name: 'bits', type: 'hex-integer', max: 255 }], summary: 'XOR the bits into the byte.' },
  ],
};
