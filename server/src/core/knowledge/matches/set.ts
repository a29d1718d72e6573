import type { ExtensionSpec } from '../types.ts';

export const set: ExtensionSpec = {
  kind: 'match',
  name: 'set',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--match-set']],
  hostDependent: 'the ipset must exist on the host (ipset create NAME …) before the rule is added',
  summary: 'Match against an ipset: one rule for thousands of addresses, networks or address/port pairs.',
  doc: 'The flags say which packet field is looked up for each dimension of the set, in order: `src`, `dst`, or `src,dst` for a two-dimensional set. Counter tests apply to the matching set entry and need a set created with counters.',
  example: 'iptables -A INPUT -m set --match-set blocklist src -j DROP',
  mistakes: ['Restoring rules before the sets: create the ipsets (ipset restore) first, or the whole iptables-restore fails.'],
  options: [
    {
      name: '--match-set', aliases: ['--set'], negation: 'prefix', required: true,
      args: [{ name: 'setname', type: 'string', min: 1, max: 31 }, { name: 'flag[,flag…]', type: 'set-flags', maxItems: 6 }],
      summary: 'The set and, for each of its dimensions, whether to look up the source or the destination.',
      example: '--match-set trusted src',
    },
    { name: '--return-nomatch', negation: 'none', args: [], summary: 'Turn the result around for entries flagged nomatch (exceptions inside a set).' },
    { name: '--update-counters', negation: 'prefix', args: [], summary: 'Negated (! --update-counters): do not update the counters of the matching entry.' },
    { name: '--update-subcounters', negation: 'prefix', args: [], summary: 'Negated: do not update the counters of entries in member sets of a list:set.' },
    { name: '--packets-eq', negation: 'prefix', args: [{ name: 'value', type: 'integer', max: 18446744073709551615 }], summary: 'Also require the entry\'s packet counter to equal the value.' },
    { name: '--packets-lt', negation: 'none', args: [{ name: 'value', type: 'integer', max: 18446744073709551615 }], summary: 'Also require the entry\'s packet counter to be below the value.' },
    { name: '--packets-gt', negation: 'none', args: [{ name: 'value', type: 'integer', max: 18446744073709551615 }], summary: 'Also require the entry\'s packet counter to be above the value.' },
    { name: '--bytes-eq', negation: 'prefix', args: [{ name: 'value', type: 'integer', max: 18446744073709551615 }], summary: 'Also require the entry\'s byte counter to equal the value.' },
    { name: '--bytes-lt', negation: 'none', args: [{ name: 'value', type: 'integer', max: 18446744073709551615 }], summary: 'Also require the entry\'s byte counter to be below the value.' },
    { name: '--bytes-gt', negation: 'none', args: [{ name: 'value', type: 'integer', max: 18446744073709551615 }], summary: 'Also require the entry\'s byte counter to be above the value.' },
  ],
};
