import type { ExtensionSpec } from '../types.ts';

export const cpu: ExtensionSpec = {
  kind: 'match',
  name: 'cpu',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--cpu']],
  summary: 'Match the CPU that is processing the packet.',
  doc: 'With multiqueue NICs or RPS, traffic is spread over CPUs; this match can send each CPU\'s share to its own local service instance. CPUs are numbered from 0.',
  example: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -m cpu --cpu 0 -j REDIRECT --to-ports 8080',
  options: [{ name: '--cpu', negation: 'prefix', required: true, args: [{ name: 'number', type: 'integer' }], summary: 'The CPU number, from 0.' }],
};
