import type { ExtensionSpec } from '../types.ts';

export const NFLOG: ExtensionSpec = {
  kind: 'target',
  name: 'NFLOG',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  exclusive: [['--nflog-range', '--nflog-size']],
  summary: 'Send the packet to a userspace logger over netlink (ulogd2, `tcpdump -i nflog:N`), then continue.',
  doc: 'The group number ties rules to the listening program. Unlike LOG, whole packets can be captured and written to pcap or a database.',
  example: 'iptables -A INPUT -m limit --limit 10/min -j NFLOG --nflog-group 5 --nflog-prefix "input drop"',
  options: [
    { name: '--nflog-group', negation: 'none', args: [{ name: 'nlgroup', type: 'integer', max: 65535 }], summary: 'The netlink group (0–65535).', default: '0' },
    { name: '--nflog-prefix', negation: 'none', args: [{ name: 'prefix', type: 'string', min: 1, truncateAt: 127 }], summary: 'Text attached to each message.' },
    {
      name: '--nflog-range', negation: 'none', args: [{ name: 'size', type: 'integer' }], excludes: ['--nflog-size'],
      summary: 'Bytes of the packet to copy.',
      deprecated: 'it never worked; use --nflog-size',
    },
    { name: '--nflog-size', negation: 'none', args: [{ name: 'size', type: 'integer' }], excludes: ['--nflog-range'], summary: 'How many bytes of each packet to copy to userspace.' },
    { name: '--nflog-threshold', negation: 'none', args: [{ name: 'size', type: 'integer', max: 65535 }], summary: 'Queue this many packets in the kernel before sending them together.', default: '1' },
  ],
};
