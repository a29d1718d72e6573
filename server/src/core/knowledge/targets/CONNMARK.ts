import type { ExtensionSpec } from '../types.ts';

export const CONNMARK: ExtensionSpec = {
  kind: 'target',
  name: 'CONNMARK',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark', '--save-mark', '--restore-mark']],
  exclusive: [['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark', '--save-mark', '--restore-mark'], ['--mask', '--nfmask'], ['--mask', '--ctmask']],
  summary: 'Set the 32-bit mark of the connection, or copy marks between the packet and its connection, then continue.',
  doc: 'The usual pattern for policy routing per connection: mark the first packet with MARK, `--save-mark` it to the connection, and `--restore-mark` it onto every later packet in mangle PREROUTING (and OUTPUT), before routing.',
  example: 'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark',
  options: [
    {
      name: '--set-xmark', negation: 'none',
      args: [{ name: 'value[/mask]', type: 'mark' }],
      summary: 'Clear the mask bits of the connection mark, then XOR the value in.',
    },
    {
      name: '--set-mark', negation: 'none',
      args: [{ name: 'value[/mask]', type: 'mark' }],
      summary: 'Set the connection mark; with a mask, only those bits change.',
      example: '--set-mark 0x2/0xff',
    },
    { name: '--and-mark', negation: 'none', args: [{ name: 'bits', type: 'hex-integer' }], summary: 'AND the connection mark with the bits.' },
    { name: '--or-mark', negation: 'none', args: [{ name: 'bits', type: 'hex-integer' }], summary: 'OR the bits into the connection mark.' },
    { name: '--xor-mark', negation: 'none', args: [{ name: 'bits', type: 'hex-integer' }], summary: 'XOR the bits into the connection mark.' },
    { name: '--save-mark', negation: 'none', args: [], summary: 'Copy the packet mark to the connection mark (through --nfmask/--ctmask or --mask).' },
    {
      name: '--restore-mark', negation: 'none', args: [],
      summary: 'Copy the connection mark to the packet mark (through the masks).',
      doc: 'The man page limits it to the mangle table; the kernel takes it anywhere, but only in mangle PREROUTING or OUTPUT does the restored mark influence routing.',
    },
    { name: '--nfmask', negation: 'none', args: [{ name: 'mask', type: 'hex-integer' }], summary: 'Bits of the packet mark involved in save/restore.', default: '0xffffffff' },
    { name: '--ctmask', negation: 'none', args: [{ name: 'mask', type: 'hex-integer' }], summary: 'Bits of the connection mark involved in save/restore.', default: '0xffffffff' },
    { name: '--mask', negation: 'none', args: [{ name: 'mask', type: 'hex-integer' }], summary: 'Only copy these bits (sets --nfmask and --ctmask together).' },
  ],
};
