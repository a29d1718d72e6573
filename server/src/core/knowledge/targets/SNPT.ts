import type { ExtensionSpec } from '../types.ts';

export const SNPT: ExtensionSpec = {
  kind: 'target',
  name: 'SNPT',
  families: ['ipv6'],
  terminating: false,
  needsOneOf: [['--src-pfx'], ['--dst-pfx']],
  tables: ['mangle'],
  chains: ['INPUT', 'POSTROUTING'],
  summary: 'Stateless IPv6 network prefix translation of the source (NPTv6, RFC 6296).',
  doc: 'Replaces the source prefix without conntrack; DNPT undoes it for the replies. Lives in the mangle table, not nat; exempt translated flows from tracking (CT --notrack).',
  example: 'ip6tables -t mangle -A POSTROUTING -o wan0 -s fd00::/64 -j SNPT --src-pfx fd00::/64 --dst-pfx 2001:db8:1::/64',
  options: [
    { name: '--src-pfx', negation: 'none', required: true, args: [{ name: 'prefix/length', type: 'npt-prefix' }], summary: 'The prefix the source has now (inside).' },
    { name: '--dst-pfx', negation: 'none', required: true, args: [{ name: 'prefix/length', type: 'npt-prefix' }], summary: 'The prefix to put in its place (outside).' },
  ],
};
