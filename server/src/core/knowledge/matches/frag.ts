import type { ExtensionSpec } from '../types.ts';

export const frag: ExtensionSpec = {
  kind: 'match',
  name: 'frag',
  families: ['ipv6'],
  exclusive: [['--fragmore', '--fraglast']],
  summary: 'Match fields of the IPv6 Fragment header.',
  doc: 'ip6tables has no `-f`: this match finds fragments. With conntrack loaded, fragments are reassembled before most rules see them.',
  example: 'ip6tables -A INPUT -m frag --fragmore -j DROP',
  options: [
    { name: '--fragid', negation: 'prefix', args: [{ name: 'id[:id]', type: 'integer-range' }], summary: 'Match the identification field, or a range of it.' },
    {
      name: '--fraglen', negation: 'prefix', args: [{ name: 'length', type: 'integer' }],
      summary: 'Match the header length field.',
      deprecated: 'the Fragment header has a fixed length; current kernels ignore this test',
    },
    { name: '--fragres', negation: 'none', args: [], summary: 'Match when the reserved fields are zero.' },
    { name: '--fragfirst', negation: 'none', args: [], summary: 'Match the first fragment.' },
    { name: '--fragmore', negation: 'none', args: [], excludes: ['--fraglast'], summary: 'Match when more fragments follow.' },
    { name: '--fraglast', negation: 'none', args: [], excludes: ['--fragmore'], summary: 'Match the last fragment.' },
  ],
};
