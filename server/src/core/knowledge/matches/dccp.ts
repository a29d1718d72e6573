import type { ExtensionSpec } from '../types.ts';

export const dccp: ExtensionSpec = {
  kind: 'match',
  name: 'dccp',
  families: ['ipv4', 'ipv6'],
  implicitForProtocol: 'dccp',
  protocols: ['dccp'],
  summary: 'Match DCCP ports, packet types and options. Loaded by -p dccp.',
  doc: 'DCCP is a congestion-controlled datagram protocol (number 33). Port names are looked up for tcp or udp. A reversed port range is accepted but never matches.',
  example: 'iptables -A INPUT -p dccp --dport 5004 --dccp-types REQUEST -j ACCEPT',
  options: [
    {
      name: '--source-port', aliases: ['--sport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range-loose' }],
      summary: 'Match the source port, or an inclusive range first:last.',
    },
    {
      name: '--destination-port', aliases: ['--dport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range-loose' }],
      summary: 'Match the destination port, or an inclusive range first:last.',
    },
    {
      name: '--dccp-types', negation: 'prefix',
      args: [{ name: 'type[,type…]', type: 'enum-list', ignoreCase: true, values: ['REQUEST', 'RESPONSE', 'DATA', 'ACK', 'DATAACK', 'CLOSEREQ', 'CLOSE', 'RESET', 'SYNC', 'SYNCACK', 'INVALID'] }],
      summary: 'Match when the packet type is one of the listed ones.',
      example: '--dccp-types REQUEST,RESPONSE',
    },
    {
      name: '--dccp-option', negation: 'prefix',
      args: [{ name: 'number', type: 'integer', min: 1, max: 255 }],
      summary: 'Match when the DCCP option with this number (1–255) is present.',
    },
  ],
};
