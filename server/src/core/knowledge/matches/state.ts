import type { ExtensionSpec } from '../types.ts';

export const state: ExtensionSpec = {
  kind: 'match',
  name: 'state',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--state']],
  deprecatedBy: 'conntrack',
  summary: 'Match the connection tracking state; the older, smaller form of -m conntrack --ctstate.',
  doc: 'Still accepted and equivalent for INVALID, NEW, ESTABLISHED, RELATED and UNTRACKED; iptables-nft turns both into the same nftables `ct state` test. `-m conntrack --ctstate` is the maintained spelling and also knows SNAT and DNAT.',
  example: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  options: [
    {
      name: '--state', negation: 'prefix', required: true,
      args: [{ name: 'state[,state…]', type: 'state-list' }],
      summary: 'Match any of the listed states: INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED.',
    },
  ],
};
