import type { ExtensionSpec } from '../types.ts';

export const icmp6: ExtensionSpec = {
  kind: 'match',
  name: 'icmp6',
  families: ['ipv6'],
  counterpart: { name: 'icmp', options: { '--icmpv6-type': '--icmp-type' } },
  implicitForProtocol: 'ipv6-icmp',
  protocols: ['ipv6-icmp', 'icmpv6'],
  needsOneOf: [['--icmpv6-type']],
  summary: 'Match the ICMPv6 type and code. Loaded by -p ipv6-icmp (also -p icmpv6 or -p 58).',
  doc: 'IPv6 cannot work without ICMPv6: with a DROP policy, accept at least neighbour-solicitation, neighbour-advertisement, router-advertisement (hosts) and packet-too-big, or the host loses its neighbours and large transfers stall. `ip6tables -p ipv6-icmp -h` lists the names.',
  example: 'ip6tables -A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT',
  mistakes: ['`-p icmp` in ip6tables is ICMP for IPv4 (protocol 1): ICMPv6 is `-p ipv6-icmp`.', 'ip6tables has no `any` type: leave out --icmpv6-type to match all.'],
  options: [
    {
      name: '--icmpv6-type', negation: 'prefix', required: true,
      args: [{ name: 'type[/code]|name', type: 'icmpv6-type' }],
      summary: 'Match this ICMPv6 type, optionally with a code.',
      example: '--icmpv6-type packet-too-big',
    },
  ],
};
