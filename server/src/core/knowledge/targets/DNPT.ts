import type { ExtensionSpec } from '../types.ts';

export const DNPT: ExtensionSpec = {
  kind: 'target',
  name: 'DNPT',
  families: ['ipv6'],
  terminating: false,
  needsOneOf: [['--src-pfx'], ['--dst-pfx']],
  tables: ['mangle'],
  chains: ['PREROUTING', 'OUTPUT'],
  summary: 'Stateless IPv6 network prefix translation of the destination (NPTv6, RFC 6296).',
  doc: 'Replaces the destination prefix without conntrack; pair it with SNPT on the way out. Lives in the mangle table, not nat. Translated flows should be exempted from tracking (CT --notrack), and proxy NDP may be needed for the outside prefix.',
  example: 'ip6tables -t mangle -A PREROUTING -i wan0 -d 2001:db8:1::/64 -j DNPT --src-pfx 2001:db8:1::/64 --dst-pfx fd00::/64',
  options: [
    { name: '--src-pfx', negation: 'none', required: true, args: [{ name: 'prefix/length', type: 'npt-prefix' }], summary: 'The prefix the destination has now (outside).' },
    { name: '--dst-pfx', negation: 'none', required: true, args: [{ name: 'prefix/length', type: 'npt-prefix' }], summary: 'The prefix to put in its place (inside).' },
  ],
};
