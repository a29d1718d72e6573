import type { ExtensionSpec } from '../types.ts';

export const dscp: ExtensionSpec = {
  kind: 'match',
  name: 'dscp',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--dscp', '--dscp-class']],
  exclusive: [['--dscp', '--dscp-class']],
  summary: 'Match the 6-bit DSCP field (the upper bits of the TOS / traffic class byte), by number or class name.',
  doc: 'DSCP values are 0–63; a class name stands for its number (EF = 46, AF41 = 34, CS1 = 8). To match the whole TOS byte, including the ECN bits, use -m tos.',
  example: 'iptables -A FORWARD -m dscp --dscp-class EF -j ACCEPT',
  mistakes: ['Writing a TOS byte value (0x10) where a DSCP is expected: DSCP 0x10 is the TOS byte 0x40.'],
  options: [
    {
      name: '--dscp', negation: 'prefix', excludes: ['--dscp-class'],
      args: [{ name: 'value', type: 'dscp' }],
      summary: 'Match this DSCP value, 0–63 (decimal or hex).',
      example: '--dscp 46',
    },
    {
      name: '--dscp-class', negation: 'prefix', excludes: ['--dscp'],
      args: [{ name: 'class', type: 'dscp-class' }],
      summary: 'Match a DiffServ class: BE, EF, AF11…AF43 or CS0…CS7.',
      example: '--dscp-class AF41',
    },
  ],
};
