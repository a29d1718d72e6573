import type { ExtensionSpec } from '../types.ts';

export const ipv6header: ExtensionSpec = {
  kind: 'match',
  name: 'ipv6header',
  families: ['ipv6'],
  needsOneOf: [['--header']],
  summary: 'Match which IPv6 extension headers (and upper-layer header) a packet carries.',
  doc: 'Without --soft the packet must carry exactly the listed headers; with it, any of them. Headers inside an ESP payload are not seen.',
  example: 'ip6tables -A INPUT -m ipv6header --header route --soft -j DROP',
  options: [
    {
      name: '--header', negation: 'prefix', required: true,
      args: [{ name: 'header[,header…]', type: 'enum-list', values: ['hop', 'hop-by-hop', 'dst', 'ipv6-opts', 'route', 'ipv6-route', 'frag', 'ipv6-frag', 'auth', 'ah', 'esp', 'none', 'ipv6-nonxt', 'prot', 'protocol'], valueDocs: { hop: 'Hop-by-hop options.', 'hop-by-hop': 'Hop-by-hop options.', dst: 'Destination options.', 'ipv6-opts': 'Destination options.', route: 'Routing header.', 'ipv6-route': 'Routing header.', frag: 'Fragment header.', 'ipv6-frag': 'Fragment header.', auth: 'Authentication header.', ah: 'Authentication header.', esp: 'ESP header.', none: 'No next header.', 'ipv6-nonxt': 'No next header.', prot: 'Any upper-layer protocol.', protocol: 'Any upper-layer protocol.' } }],
      summary: 'The headers: hop, dst, route, frag, auth, esp, none, prot (and their /etc/protocols names).',
      example: '--header frag',
    },
    { name: '--soft', negation: 'none', args: [], summary: 'Match when the packet has any of the listed headers, not exactly those.' },
  ],
};
