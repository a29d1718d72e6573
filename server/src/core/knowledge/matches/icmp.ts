import type { ExtensionSpec } from '../types.ts';

export const icmp: ExtensionSpec = {
  kind: 'match',
  name: 'icmp',
  families: ['ipv4'],
  counterpart: { name: 'icmp6', options: { '--icmp-type': '--icmpv6-type' } },
  implicitForProtocol: 'icmp',
  protocols: ['icmp'],
  needsOneOf: [['--icmp-type']],
  summary: 'Match the ICMP type and code (IPv4). Loaded by -p icmp.',
  doc: 'Types are given by name (`echo-request`), by number (`8`), or as type/code (`3/4`); names may be shortened while unambiguous and are case-insensitive. `iptables -p icmp -h` lists them.',
  example: 'iptables -A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/second -j ACCEPT',
  mistakes: ['Dropping all ICMP breaks path MTU discovery: let at least fragmentation-needed (3/4) through, or accept RELATED traffic.'],
  options: [
    {
      name: '--icmp-type', negation: 'prefix', required: true,
      args: [{ name: 'type[/code]|name', type: 'icmp-type' }],
      summary: 'Match this ICMP type, optionally with a code (or a code range code:code).',
      example: '--icmp-type echo-request',
    },
  ],
};
