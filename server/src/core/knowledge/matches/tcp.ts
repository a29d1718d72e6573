import type { ExtensionSpec } from '../types.ts';

export const tcp: ExtensionSpec = {
  kind: 'match',
  name: 'tcp',
  families: ['ipv4', 'ipv6'],
  implicitForProtocol: 'tcp',
  protocols: ['tcp'],
  exclusive: [['--syn', '--tcp-flags']],
  summary: 'Match TCP ports, flags and options. Loaded by -p tcp.',
  doc: 'Writing `-p tcp` is enough to use these options; `-m tcp` is what iptables-save prints. Port names are looked up for tcp in /etc/services.',
  example: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
  options: [
    {
      name: '--source-port', aliases: ['--sport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range', serviceProtocol: 'tcp' }],
      summary: 'Match the source port or an inclusive range `first:last` (either end may be left out).',
      example: '-p tcp --sport 1024:65535',
    },
    {
      name: '--destination-port', aliases: ['--dport'], negation: 'prefix',
      args: [{ name: 'port[:port]', type: 'port-range', serviceProtocol: 'tcp' }],
      summary: 'Match the destination port or an inclusive range `first:last`.',
      mistakes: ['In FORWARD after a DNAT the port is already the translated one: accept 8080, not 80, when 80 was forwarded to 8080.'],
      example: '-p tcp --dport 443',
    },
    {
      name: '--tcp-flags', negation: 'prefix', excludes: ['--syn'],
      args: [{ name: 'mask', type: 'tcp-flag-list' }, { name: 'comp', type: 'tcp-flag-list' }],
      summary: 'Examine the flags in the first list; of those, exactly the ones in the second list must be set.',
      example: '-p tcp --tcp-flags SYN,RST,ACK,FIN SYN',
    },
    {
      name: '--syn', negation: 'prefix', args: [], excludes: ['--tcp-flags'],
      summary: 'Match connection-opening segments: SYN set, RST, ACK and FIN clear (same as --tcp-flags SYN,RST,ACK,FIN SYN).',
      example: '-p tcp --syn',
    },
    {
      name: '--tcp-option', negation: 'prefix',
      args: [{ name: 'number', type: 'tcp-option-number' }],
      summary: 'Match when the TCP option with this number (1–255) is present.',
      example: '-p tcp --tcp-option 8',
    },
  ],
};
