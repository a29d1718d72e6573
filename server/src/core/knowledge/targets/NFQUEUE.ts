import type { ExtensionSpec } from '../types.ts';

export const NFQUEUE: ExtensionSpec = {
  kind: 'target',
  name: 'NFQUEUE',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  exclusive: [['--queue-num', '--queue-balance']],
  summary: 'Hand the packet to a userspace program (an IPS such as Suricata, a custom filter) on a numbered queue.',
  doc: 'The program decides the packet\'s fate and may change it. Without a program listening the packet is dropped, unless --queue-bypass is given. Connections stay on one queue when --queue-balance spreads them.',
  example: 'iptables -A FORWARD -j NFQUEUE --queue-balance 0:3 --queue-bypass',
  mistakes: ['Without --queue-bypass, stopping the IPS stops all traffic the rule covers.'],
  options: [
    { name: '--queue-num', negation: 'none', excludes: ['--queue-balance'], args: [{ name: 'value', type: 'integer', max: 65535 }], summary: 'The queue number (0–65535).', default: '0' },
    { name: '--queue-balance', negation: 'none', excludes: ['--queue-num'], args: [{ name: 'first:last', type: 'queue-range' }], summary: 'Spread connections over the queues first to last (first lower than last).' },
    { name: '--queue-bypass', negation: 'none', args: [], summary: 'When nobody listens, accept the packet (it goes on to the next table) instead of dropping it.' },
    { name: '--queue-cpu-fanout', negation: 'none', args: [], requires: ['--queue-balance'], summary: 'With --queue-balance: choose the queue by CPU number rather than by connection.' },
  ],
};
