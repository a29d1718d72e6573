import type { ExtensionSpec } from '../types.ts';

export const rt: ExtensionSpec = {
  kind: 'match',
  name: 'rt',
  families: ['ipv6'],
  summary: 'Match the IPv6 Routing header: type, segments left, length, and the addresses of type 0.',
  doc: 'Type 0 routing headers are deprecated (RFC 5095) and a classic thing to drop.',
  example: 'ip6tables -A INPUT -m rt --rt-type 0 -j DROP',
  options: [
    { name: '--rt-type', negation: 'prefix', args: [{ name: 'type', type: 'integer', max: 255, overMax: 'never-matches' }], summary: 'Match the routing type.' },
    { name: '--rt-segsleft', negation: 'prefix', args: [{ name: 'num[:num]', type: 'integer-range' }], summary: 'Match the segments-left field, or a range of it.' },
    { name: '--rt-len', negation: 'prefix', args: [{ name: 'length', type: 'integer' }], summary: 'Match the header length.' },
    { name: '--rt-0-res', negation: 'none', args: [], requires: ['--rt-type'], after: '--rt-type', afterValue: '0', summary: 'Type 0: also match the reserved field.' },
    {
      name: '--rt-0-addrs', negation: 'none', requires: ['--rt-type'], after: '--rt-type', afterValue: '0',
      args: [{ name: 'addr[,addr…]', type: 'ipv6-address-list', maxItems: 16 }],
      summary: 'Type 0: match these addresses, in order (needs --rt-type 0 first).',
    },
    { name: '--rt-0-not-strict', negation: 'none', args: [], requires: ['--rt-0-addrs'], after: '--rt-0-addrs', summary: 'Type 0: the address list need not be complete.' },
  ],
};
