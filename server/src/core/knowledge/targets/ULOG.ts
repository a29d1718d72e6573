import type { ExtensionSpec } from '../types.ts';

export const ULOG: ExtensionSpec = {
  kind: 'target',
  name: 'ULOG',
  families: ['ipv4'],
  terminating: false,
  removedFromKernel: '3.17',
  deprecatedBy: 'NFLOG',
  hostDependent: 'removed from the kernel in Linux 3.17: iptables reports a missing kernel module',
  summary: 'Old IPv4-only userspace logging over netlink; replaced by NFLOG.',
  doc: 'Current kernels do not have it. Translate to NFLOG: --ulog-nlgroup N becomes --nflog-group N, --ulog-prefix becomes --nflog-prefix, --ulog-cprange becomes --nflog-size, --ulog-qthreshold becomes --nflog-threshold.',
  example: 'iptables -A INPUT -j NFLOG --nflog-group 1',
  options: [
    { name: '--ulog-nlgroup', negation: 'none', args: [{ name: 'nlgroup', type: 'integer', min: 1, max: 32 }], summary: 'The netlink group (1–32).', default: '1' },
    { name: '--ulog-prefix', negation: 'none', args: [{ name: 'prefix', type: 'string' }], summary: 'Text attached to each message (up to 32 characters).' },
    { name: '--ulog-cprange', negation: 'none', args: [{ name: 'size', type: 'integer' }], summary: 'Bytes of the packet to copy (0: all).', default: '0' },
    { name: '--ulog-qthreshold', negation: 'none', args: [{ name: 'size', type: 'integer' }], summary: 'Packets to queue in the kernel before sending them together.', default: '1' },
  ],
};
