import type { ExtensionSpec } from '../types.ts';

export const SECMARK: ExtensionSpec = {
  kind: 'target',
  name: 'SECMARK',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['security', 'mangle'],
  needsOneOf: [['--selctx']],
  hostDependent: 'the security context must exist in the host\'s SELinux policy',
  summary: 'Label the packet with an SELinux security context, then continue.',
  doc: 'Meant for the security table (mangle is accepted for old kernels). The label lets the SELinux policy decide which domains may send or receive the packet; CONNSECMARK carries it over to the rest of the connection.',
  example: 'iptables -t security -A INPUT -p tcp --dport 80 -j SECMARK --selctx system_u:object_r:http_packet_t:s0',
  options: [{ name: '--selctx', negation: 'none', required: true, args: [{ name: 'security_context', type: 'string' }], summary: 'The security context to give the packet.' }],
};
