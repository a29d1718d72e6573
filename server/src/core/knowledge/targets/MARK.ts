import type { ExtensionSpec } from '../types.ts';

export const MARK: ExtensionSpec = {
  kind: 'target',
  name: 'MARK',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark']],
  exclusive: [['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark']],
  summary: 'Set the packet\'s 32-bit netfilter mark, then continue.',
  doc: 'The mark never leaves the host; policy routing (`ip rule add fwmark …`), tc filters and later rules read it. To influence routing, set it in mangle PREROUTING (incoming) or mangle OUTPUT (local); use CONNMARK to keep it for the whole connection.',
  example: 'iptables -t mangle -A PREROUTING -i eth1 -j MARK --set-mark 0x1',
  mistakes: ['Setting the mark in POSTROUTING or filter FORWARD to choose a route: routing has already happened there.'],
  options: [
    { name: '--set-xmark', negation: 'none', args: [{ name: 'value[/mask]', type: 'mark' }], summary: 'Clear the mask bits, then XOR the value in (mask defaults to 0xffffffff).' },
    { name: '--set-mark', negation: 'none', args: [{ name: 'value[/mask]', type: 'mark' }], summary: 'Set the mark; with a mask only those bits change.', example: '--set-mark 0x10/0xf0' },
    { name: '--and-mark', negation: 'none', args: [{ name: 'bits', type: 'hex-integer' }], summary: 'AND the mark with the bits.' },
    { name: '--or-mark', negation: 'none', args: [{ name: 'bits', type: 'hex-integer' }], summary: 'OR the bits into the mark.' },
    { name: '--xor-mark', negation: 'none', args: [{ name: 'bits', type: 'hex-integer' }], summary: 'XOR the bits into the mark.' },
  ],
};
