import type { ExtensionSpec } from '../types.ts';

export const mh: ExtensionSpec = {
  kind: 'match',
  name: 'mh',
  families: ['ipv6'],
  implicitForProtocol: 'mh',
  protocols: ['mh', 'ipv6-mh'],
  summary: 'Match the Mobile IPv6 Mobility Header type. Loaded by -p mh.',
  doc: 'Types by number or name (binding-update, binding-acknowledgement… or their short forms bu, ba…), or a range `type:type`. Only `-p mh` loads the match on its own: with `-p ipv6-mh` or `-p 135`, add `-m mh`.',
  example: 'ip6tables -A INPUT -p mh --mh-type binding-update -j ACCEPT',
  options: [
    {
      name: '--mh-type', negation: 'prefix',
      args: [{ name: 'type[:type]', type: 'mh-type' }],
      summary: 'Match this Mobility Header type, or an inclusive range of types.',
    },
  ],
};
