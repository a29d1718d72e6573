import type { ExtensionSpec } from '../types.ts';

export const HMARK: ExtensionSpec = {
  kind: 'target',
  name: 'HMARK',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  // measured (1.8.9, both backends): "you have to specify --hmark-tuple at least" unless one of
  // the prefixes or masks says what to hash (--hmark-offset does not)
  needsOneOf: [['--hmark-mod'], ['--hmark-rnd'], ['--hmark-tuple', '--hmark-src-prefix', '--hmark-dst-prefix', '--hmark-sport-mask', '--hmark-dport-mask', '--hmark-spi-mask', '--hmark-proto-mask']],
  exclusive: [['--hmark-spi-mask', '--hmark-sport-mask'], ['--hmark-spi-mask', '--hmark-dport-mask']],
  summary: 'Set the packet mark from a hash of chosen header fields, spreading flows over a range of marks; then continue.',
  doc: 'The mark becomes `hash % mod + offset`, so flows can be spread over several routing tables or queues while packets of one flow stay together. ICMP errors are hashed like the packet they refer to. Choose fields with --hmark-tuple, or with the prefix and mask options for finer control.',
  example: 'iptables -t mangle -A PREROUTING -m conntrack --ctstate NEW -j HMARK --hmark-tuple ct,src,dst,proto --hmark-offset 10000 --hmark-mod 10 --hmark-rnd 0xfeedcafe',
  options: [
    {
      name: '--hmark-tuple', negation: 'none',
      args: [{ name: 'tuple', type: 'enum-list', values: ['src', 'dst', 'sport', 'dport', 'spi', 'ct', 'proto'], valueDocs: { src: 'Source address.', dst: 'Destination address.', sport: 'Source port.', dport: 'Destination port.', spi: 'IPsec SPI (AH, ESP).', ct: 'Hash the conntrack tuple instead of the packet.', proto: 'Layer-4 protocol.' } }],
      summary: 'The fields to hash: src, dst, sport, dport, spi, proto, and ct to use the conntrack tuple.',
    },
    { name: '--hmark-mod', negation: 'none', required: true, args: [{ name: 'value', type: 'integer', min: 1 }], summary: 'How many different marks to spread over (the modulus, at least 1).' },
    { name: '--hmark-offset', negation: 'none', args: [{ name: 'value', type: 'integer' }], summary: 'The first mark of the range.' },
    { name: '--hmark-src-prefix', negation: 'none', args: [{ name: 'cidr', type: 'prefix-length' }], summary: 'Prefix length of the source address used in the hash.' },
    { name: '--hmark-dst-prefix', negation: 'none', args: [{ name: 'cidr', type: 'prefix-length' }], summary: 'Prefix length of the destination address used in the hash.' },
    { name: '--hmark-sport-mask', negation: 'none', args: [{ name: 'value', type: 'hex-integer', max: 65535 }], summary: '16-bit mask of the source port.' },
    { name: '--hmark-dport-mask', negation: 'none', args: [{ name: 'value', type: 'hex-integer', max: 65535 }], summary: '16-bit mask of the destination port.' },
    { name: '--hmark-spi-mask', negation: 'none', args: [{ name: 'value', type: 'hex-integer' }], summary: '32-bit mask of the SPI.' },
    { name: '--hmark-proto-mask', negation: 'none', args: [{ name: 'value', type: 'hex-integer', max: 65535 }], summary: 'Mask of the protocol number (8 bits are used; iptables takes up to 0xffff).' },
    { name: '--hmark-rnd', negation: 'none', required: true, args: [{ name: 'value', type: 'hex-integer' }], summary: 'A 32-bit random value mixed into the hash (required).' },
  ],
};
