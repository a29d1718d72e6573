import type { ExtensionSpec } from '../types.ts';

export const rpfilter: ExtensionSpec = {
  kind: 'match',
  name: 'rpfilter',
  families: ['ipv4', 'ipv6'],
  tables: ['raw', 'mangle'],
  chains: ['PREROUTING'],
  summary: 'Reverse-path check: match when a reply to the packet would leave by the interface it arrived on.',
  doc: 'Spoofed sources fail the check. Only valid in PREROUTING of the raw or mangle table. Loopback traffic always passes; IPsec is not treated specially (combine with -m policy).',
  example: 'iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP',
  mistakes: ['Without --invert the rule matches the good packets: `-m rpfilter -j DROP` drops legitimate traffic.'],
  options: [
    { name: '--loose', negation: 'none', args: [], summary: 'Pass when any route back exists, even through another interface.' },
    { name: '--validmark', negation: 'none', args: [], summary: 'Use the packet mark in the reverse route lookup (for policy routing).' },
    { name: '--accept-local', negation: 'none', args: [], summary: 'Pass packets whose source is an address of this host.' },
    { name: '--invert', negation: 'none', args: [], summary: 'Match the packets that fail the check (the ones to drop).' },
  ],
};
