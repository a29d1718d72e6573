import type { ExtensionSpec } from '../types.ts';

export const tos: ExtensionSpec = {
  kind: 'match',
  name: 'tos',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--tos']],
  summary: 'Match the 8-bit IPv4 Type of Service / IPv6 Traffic Class byte, precedence bits included.',
  doc: 'By value with an optional mask, or by one of the old symbolic names (which imply the mask 0x3f, leaving out the ECN bits). For the DSCP part alone, -m dscp is clearer.',
  example: 'iptables -A OUTPUT -m tos --tos Minimize-Delay -j ACCEPT',
  options: [
    {
      name: '--tos', negation: 'prefix', required: true,
      args: [{ name: 'value[/mask]|symbol', type: 'tos', comparedUnderMask: true }],
      summary: 'Match when the byte, ANDed with the mask, equals the value; or a name: Minimize-Delay, Maximize-Throughput, Maximize-Reliability, Minimize-Cost, Normal-Service.',
      example: '--tos 0x10/0x3f',
    },
  ],
};
