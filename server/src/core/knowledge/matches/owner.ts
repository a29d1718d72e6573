import type { ExtensionSpec } from '../types.ts';

export const owner: ExtensionSpec = {
  kind: 'match',
  name: 'owner',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--uid-owner', '--gid-owner', '--socket-exists']],
  chains: ['OUTPUT', 'POSTROUTING'],
  summary: 'Match the user or group of the local process that sent the packet.',
  doc: 'Only locally generated packets carry a socket, so the match works in OUTPUT and POSTROUTING only; forwarded packets never match. Names are resolved on the host when the rule is added.',
  example: 'iptables -A OUTPUT -p tcp --dport 25 -m owner ! --uid-owner root -j REJECT',
  mistakes: ['Packets sent by the kernel itself (ICMP errors, some TCP resets) have no owner and never match --uid-owner.'],
  options: [
    {
      name: '--uid-owner', negation: 'prefix',
      args: [{ name: 'user|uid[-uid]', type: 'owner-id' }],
      summary: 'Match the sending user, by name, by number, or by a range of numbers.',
      example: '--uid-owner 1000-1999',
    },
    {
      name: '--gid-owner', negation: 'prefix',
      args: [{ name: 'group|gid[-gid]', type: 'owner-id' }],
      summary: 'Match the sending group, by name, number or range.',
    },
    { name: '--suppl-groups', negation: 'none', args: [], requires: ['--gid-owner'], after: '--gid-owner', summary: 'Also look for the --gid-owner group among the process\'s supplementary groups.' },
    { name: '--socket-exists', negation: 'prefix', args: [], summary: 'Match when the packet belongs to a local socket.' },
  ],
};
