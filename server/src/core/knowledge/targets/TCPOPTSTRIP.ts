import type { ExtensionSpec } from '../types.ts';

export const TCPOPTSTRIP: ExtensionSpec = {
  kind: 'target',
  name: 'TCPOPTSTRIP',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['mangle'],
  protocols: ['tcp', '6'],
  summary: 'Remove TCP options from segments (they are overwritten with no-ops), then continue. Mangle table only.',
  doc: 'Needs `-p tcp`. Options by name (mss, wscale, sack-permitted, sack, timestamp, md5) or number 2–255.',
  example: 'iptables -t mangle -A POSTROUTING -p tcp -o eth0 -j TCPOPTSTRIP --strip-options timestamp',
  options: [{ name: '--strip-options', negation: 'none', args: [{ name: 'option[,option…]', type: 'tcp-option-list' }], summary: 'The options to remove.' }],
};
