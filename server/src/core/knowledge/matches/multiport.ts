import type { ExtensionSpec, OptionSpec } from '../types.ts';

const list = (name: string, aliases: string[], summary: string, example: string): OptionSpec => ({
  name, aliases, negation: 'prefix', args: [{ name: 'port[,port|,port:port]…', type: 'port-list' }], summary, example,
});

export const multiport: ExtensionSpec = {
  kind: 'match',
  name: 'multiport',
  families: ['ipv4', 'ipv6'],
  protocols: ['tcp', 'udp', 'udplite', 'dccp', 'sctp'],
  needsOneOf: [['--source-ports', '--destination-ports', '--ports']],
  exclusive: [['--source-ports', '--destination-ports', '--ports']],
  summary: 'Match one of several ports or port ranges in a single rule (up to 15 ports; a range counts as two).',
  doc: 'Needs `-p tcp`, `udp`, `udplite`, `dccp` or `sctp` before it. Ranges are written with a colon (`8000:8080`) and must have both ends. Port names are looked up for the rule\'s protocol.',
  example: 'iptables -A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT',
  mistakes: ['Only one of --sports, --dports and --ports per match; use two -m multiport for both directions.'],
  options: [
    list('--source-ports', ['--sports'], 'Match when the source port is one of these.', '--sports 53,1024:65535'),
    list('--destination-ports', ['--dports'], 'Match when the destination port is one of these.', '--dports 80,443'),
    list('--ports', [], 'Match when the source or the destination port is one of these.', '--ports 5060,5061'),
  ],
};
