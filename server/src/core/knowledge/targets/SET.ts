import type { ExtensionSpec } from '../types.ts';

export const SET: ExtensionSpec = {
  kind: 'target',
  name: 'SET',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--add-set', '--del-set', '--map-set']],
  // measured (1.8.9, both backends): `-j SET ! --add-set s src ! --exist` is loaded as `--add-set s src --exist`
  ignoresNegation: true,
  hostDependent: 'the ipset must exist on the host (ipset create NAME …) before the rule is added',
  summary: 'Add the packet\'s addresses or ports to an ipset, remove them, or take packet properties from a set entry; then continue.',
  doc: 'The flags choose, per dimension of the set, the source or the destination of the packet. Combined with `-m set` this builds dynamic lists (port knocking, temporary bans with a timeout).',
  example: 'iptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src --timeout 3600 --exist',
  options: [
    {
      name: '--add-set', negation: 'none',
      args: [{ name: 'setname', type: 'string', min: 1, max: 31 }, { name: 'flag[,flag…]', type: 'set-flags', maxItems: 6 }],
      summary: 'Add the packet\'s source/destination (per the flags) to the set.',
    },
    {
      name: '--del-set', negation: 'none',
      args: [{ name: 'setname', type: 'string', min: 1, max: 31 }, { name: 'flag[,flag…]', type: 'set-flags', maxItems: 6 }],
      summary: 'Remove the packet\'s entry from the set.',
    },
    {
      // measured (1.8.9): "You must specify flags `--map-mark' or '--map-prio` or `--map-queue'"
      name: '--map-set', negation: 'none', tables: ['mangle'], requires: ['--map-mark', '--map-prio', '--map-queue'],
      args: [{ name: 'setname', type: 'string', min: 1, max: 31 }, { name: 'flag[,flag…]', type: 'set-flags', maxItems: 6 }],
      summary: 'Look the packet up in a set created with --skbinfo and apply what the entry holds (mangle table only).',
    },
    { name: '--timeout', negation: 'none', requires: ['--add-set'], args: [{ name: 'value', type: 'integer', max: 4294967294 }], summary: 'Timeout in seconds for the added entry, instead of the set\'s default.' },
    { name: '--exist', negation: 'none', requires: ['--add-set'], args: [], summary: 'When the entry exists already, reset its timeout.' },
    { name: '--map-mark', negation: 'none', requires: ['--map-set'], args: [], summary: 'Set the packet mark from the entry.' },
    { name: '--map-prio', negation: 'none', requires: ['--map-set'], chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'], args: [], summary: 'Set the tc priority from the entry (FORWARD, OUTPUT, POSTROUTING).' },
    { name: '--map-queue', negation: 'none', requires: ['--map-set'], chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'], args: [], summary: 'Set the NIC transmit queue from the entry (FORWARD, OUTPUT, POSTROUTING).' },
  ],
};
