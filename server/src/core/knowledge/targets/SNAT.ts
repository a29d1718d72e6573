import type { ExtensionSpec } from '../types.ts';

export const SNAT: ExtensionSpec = {
  kind: 'target',
  name: 'SNAT',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  tables: ['nat'],
  chains: ['POSTROUTING', 'INPUT'],
  needsOneOf: [['--to-source']],
  summary: 'Rewrite the source address (and port) of a new connection to a fixed address; replies are translated back.',
  doc: 'Runs after routing, in nat POSTROUTING (INPUT for traffic to the host itself). For an uplink whose address changes, MASQUERADE follows it. Without a port range, ports below 512, 512–1023 and above stay in their band and are only changed when needed.',
  example: 'iptables -t nat -A POSTROUTING -o eth0 -s 192.168.1.0/24 -j SNAT --to-source 203.0.113.5',
  options: [
    {
      name: '--to-source', negation: 'none', required: true,
      args: [{ name: '[ipaddr[-ipaddr]][:port[-port]]', type: 'nat-destination' }],
      summary: 'The new source: an address or range, optionally a port range (needs -p tcp/udp/sctp/dccp).',
      example: '--to-source 203.0.113.5-203.0.113.9',
    },
    { name: '--random', negation: 'none', args: [], summary: 'Choose source ports with a hash-based randomisation.' },
    { name: '--random-fully', negation: 'none', args: [], summary: 'Choose source ports fully at random.' },
    { name: '--persistent', negation: 'none', args: [], summary: 'Give a client the same address of the range on every connection.' },
  ],
};
