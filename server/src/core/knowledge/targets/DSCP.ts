import type { ExtensionSpec } from '../types.ts';

export const DSCP: ExtensionSpec = {
  kind: 'target',
  name: 'DSCP',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['mangle'],
  needsOneOf: [['--set-dscp', '--set-dscp-class']],
  exclusive: [['--set-dscp', '--set-dscp-class']],
  summary: 'Rewrite the DSCP bits of the packet (the ECN bits stay), then continue. Mangle table only.',
  doc: 'By number (0–63) or by class name (EF, AF41, CS1…).',
  example: 'iptables -t mangle -A POSTROUTING -p udp --dport 5060 -j DSCP --set-dscp-class EF',
  options: [
    { name: '--set-dscp', negation: 'none', excludes: ['--set-dscp-class'], args: [{ name: 'value', type: 'dscp' }], summary: 'The new DSCP value, 0–63 (decimal or hex).' },
    { name: '--set-dscp-class', negation: 'none', excludes: ['--set-dscp'], args: [{ name: 'class', type: 'dscp-class' }], summary: 'The new DiffServ class: BE, EF, AF11…AF43, CS0…CS7.' },
  ],
};
