import type { ExtensionSpec } from '../types.ts';

export const devgroup: ExtensionSpec = {
  kind: 'match',
  name: 'devgroup',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--src-group', '--dst-group']],
  summary: 'Match the device group of the incoming or outgoing interface.',
  doc: 'Interfaces are put in groups with `ip link set DEV group N`, so one rule can cover many interfaces. Names come from /etc/iproute2/group on the host; numbers may carry a mask.',
  example: 'iptables -A FORWARD -m devgroup --src-group 2 --dst-group 3 -j ACCEPT',
  options: [
    {
      name: '--src-group', negation: 'prefix', chains: ['PREROUTING', 'INPUT', 'FORWARD'],
      args: [{ name: 'name|value[/mask]', type: 'group-or-mark' }],
      summary: 'Match the group of the interface the packet came in on.',
    },
    {
      name: '--dst-group', negation: 'prefix', chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
      args: [{ name: 'name|value[/mask]', type: 'group-or-mark' }],
      summary: 'Match the group of the interface the packet goes out on.',
    },
  ],
};
