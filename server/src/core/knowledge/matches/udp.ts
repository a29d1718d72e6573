import type { ExtensionSpec } from '../types.ts';

export const udp: ExtensionSpec = {
  kind: 'match',
  name: 'udp',
  families: ['ipv4', 'ipv6'],
  implicitForProtocol: 'udp',
  protocols: ['udp'],
  summary: 'Match UDP source and destination ports. Loaded by -p udp.',
  doc: 'UDP has no handshake, yet conntrack still follows its "connections" by address and port pairs, so answers are ESTABLISHED. Port names listed for tcp or udp are accepted. A reversed range is kept as written and never matches.',
  example: 'iptables -A INPUT -p udp --dport 53 -j ACCEPT',
  options: [
    {
      name: '--source-port', aliases: ['--sport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range-loose' }],
      summary: 'Match the source port, or an inclusive range first:last (an end may be left out).',
      example: '-p udp --sport 53',
    },
    {
      name: '--destination-port', aliases: ['--dport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range-loose' }],
      summary: 'Match the destination port, or an inclusive range first:last.',
      mistakes: ['After a DNAT, FORWARD and INPUT see the translated port, not the one the client sent to.'],
      example: '-p udp --dport 51820',
    },
  ],
};
