import type { ExtensionSpec } from '../types.ts';

export const ecn: ExtensionSpec = {
  kind: 'match',
  name: 'ecn',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--ecn-tcp-cwr', '--ecn-tcp-ece', '--ecn-ip-ect']],
  summary: 'Match the Explicit Congestion Notification bits of the IP header and of the TCP header.',
  doc: 'CWR and ECE are TCP header flags and need `-p tcp`; the ECT field is the two ECN bits of the IP header (0 = not ECN-capable, 1 and 2 = capable, 3 = congestion experienced).',
  example: 'iptables -A INPUT -p tcp -m ecn --ecn-tcp-ece -j ACCEPT',
  mistakes: ['--ecn-tcp-cwr and --ecn-tcp-ece without `-p tcp` are refused by the kernel.'],
  options: [
    { name: '--ecn-tcp-cwr', negation: 'prefix', args: [], protocols: ['tcp'], summary: 'Match when the TCP CWR (congestion window reduced) flag is set. Needs -p tcp.' },
    { name: '--ecn-tcp-ece', negation: 'prefix', args: [], protocols: ['tcp'], summary: 'Match when the TCP ECE (ECN echo) flag is set. Needs -p tcp.' },
    {
      name: '--ecn-ip-ect', negation: 'prefix',
      args: [{ name: '0-3', type: 'integer', max: 3 }],
      summary: 'Match this value (0–3) of the two ECN bits of the IP header.',
    },
  ],
};
