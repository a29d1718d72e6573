import type { ExtensionSpec } from '../types.ts';

export const sctp: ExtensionSpec = {
  kind: 'match',
  name: 'sctp',
  families: ['ipv4', 'ipv6'],
  implicitForProtocol: 'sctp',
  protocols: ['sctp'],
  summary: 'Match SCTP ports and chunk types. Loaded by -p sctp.',
  doc: 'Port names are looked up for sctp in /etc/services (few are listed: prefer numbers). Chunk flags follow a colon: an upper-case letter means the flag must be set, lower-case that it must be clear.',
  example: 'iptables -A INPUT -p sctp --dport 3868 --chunk-types any INIT -j ACCEPT',
  options: [
    {
      name: '--source-port', aliases: ['--sport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range', serviceProtocol: 'sctp' }],
      summary: 'Match the source port, or an inclusive range first:last.',
    },
    {
      name: '--destination-port', aliases: ['--dport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range', serviceProtocol: 'sctp' }],
      summary: 'Match the destination port, or an inclusive range first:last.',
    },
    {
      name: '--chunk-types', negation: 'prefix',
      args: [
        { name: 'all|any|only', type: 'enum', ignoreCase: true, values: ['all', 'any', 'only'], valueDocs: { all: 'Every listed chunk type is present.', any: 'At least one listed chunk type is present.', only: 'Only the listed chunk types are present.' } },
        { name: 'chunktype[:flags][,…]', type: 'sctp-chunk-list' },
      ],
      summary: 'Match by the chunk types the packet carries: all of, any of, or only the listed ones.',
      example: '--chunk-types any DATA:Be',
    },
  ],
};
