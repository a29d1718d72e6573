import type { ExtensionSpec } from '../types.ts';

export const cgroup: ExtensionSpec = {
  kind: 'match',
  name: 'cgroup',
  families: ['ipv4', 'ipv6'],
  hostDependent: 'a --path must name a cgroup that exists on the host when the rule is added',
  // measured (1.8.9, both backends): the kernel refuses the match with neither (Invalid argument)
  needsOneOf: [['--path', '--cgroup']],
  exclusive: [['--path', '--cgroup']],
  summary: 'Match packets of sockets created by processes of a control group (cgroup v2 path or net_cls class id).',
  doc: 'Lets a firewall treat a systemd unit or a container on its own: `--path system.slice/backup.service`. It works on outgoing traffic; in INPUT it only sees packets matched early to a local socket, so do not rely on it there.',
  example: 'iptables -A OUTPUT -m cgroup --path system.slice/backup.service -j ACCEPT',
  options: [
    {
      name: '--path', negation: 'prefix', excludes: ['--cgroup'],
      args: [{ name: 'path', type: 'string', truncateAt: 511 }],
      summary: 'Match sockets of this cgroup v2 (or one below it), relative to the cgroup2 root.',
      example: '--path user.slice/user-1000.slice',
    },
    {
      name: '--cgroup', negation: 'prefix', excludes: ['--path'],
      args: [{ name: 'classid', type: 'integer' }],
      summary: 'Match the net_cls class id set through the cgroup v1 net_cls controller.',
    },
  ],
};
