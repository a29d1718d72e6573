import type { ExtensionSpec } from '../types.ts';

export const SYNPROXY: ExtensionSpec = {
  kind: 'target',
  name: 'SYNPROXY',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  protocols: ['tcp', '6'],
  chains: ['INPUT', 'FORWARD'],
  summary: 'Complete TCP handshakes with SYN cookies on the server\'s behalf, passing only real clients on (SYN flood protection).',
  doc: 'Recipe: untrack SYNs in raw (`-j CT --notrack`), send UNTRACKED and INVALID packets to SYNPROXY with the server\'s TCP options, drop what is still INVALID, and set `nf_conntrack_tcp_loose=0`. The announced MSS, window scale and options must match the real server. Since Linux 4.4 the kernel copes with SYN floods well on its own.',
  example: 'iptables -A INPUT -p tcp --dport 80 -m conntrack --ctstate INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460',
  mistakes: ['The man page spells the option --timestamps, but iptables 1.8.9 only accepts --timestamp.'],
  options: [
    { name: '--mss', negation: 'none', args: [{ name: 'maximum segment size', type: 'integer', max: 65535, overMax: 'wraps' }], summary: 'The MSS to announce to clients; must match the server.' },
    { name: '--wscale', negation: 'none', args: [{ name: 'window scale', type: 'integer', max: 255, overMax: 'wraps' }], summary: 'The window scale to announce; must match the server.' },
    { name: '--sack-perm', negation: 'none', args: [], summary: 'Pass the client\'s selective acknowledgement option on to the server.' },
    { name: '--timestamp', negation: 'none', args: [], summary: 'Pass the client\'s timestamp option on (needed for SACK and window scaling with cookies).' },
    { name: '--ecn', negation: 'none', args: [], summary: 'Pass explicit congestion notification on.' },
  ],
};
