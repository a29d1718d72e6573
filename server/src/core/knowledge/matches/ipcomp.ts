import type { ExtensionSpec } from '../types.ts';

/** Not described in iptables-extensions(8) of 1.8.9, but shipped (libxt_ipcomp). */
export const ipcomp: ExtensionSpec = {
  kind: 'match',
  name: 'ipcomp',
  families: ['ipv4', 'ipv6'],
  implicitForProtocol: 'ipcomp',
  protocols: ['ipcomp'],
  summary: 'Match the compression parameter index of IPComp (IP payload compression) packets.',
  doc: 'IPComp is used alongside IPsec. The rule needs `-p ipcomp`, which also loads the match.',
  example: 'iptables -A INPUT -p ipcomp -m ipcomp --ipcompspi 18 -j ACCEPT',
  options: [
    { name: '--ipcompspi', negation: 'prefix', args: [{ name: 'spi[:spi]', type: 'integer-range' }], summary: 'Match the compression parameter index, or a range.' },
    { name: '--compres', negation: 'none', args: [], summary: 'Match when the reserved field is filled with zero.' },
  ],
};
