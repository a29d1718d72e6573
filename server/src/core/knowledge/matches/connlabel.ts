import type { ExtensionSpec } from '../types.ts';

export const connlabel: ExtensionSpec = {
  kind: 'match',
  name: 'connlabel',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--label']],
  hostDependent: 'label names are read from /etc/xtables/connlabel.conf on the host (bit numbers always work)',
  summary: 'Test, or set, one of 128 label bits on the connection.',
  doc: 'Labels work like connection marks but are independent bits, so several can be on at once. Names map to bit numbers in /etc/xtables/connlabel.conf; a number can always be used instead.',
  example: 'iptables -A FORWARD -m connlabel --label 5 --set -j ACCEPT',
  options: [
    {
      name: '--label', negation: 'prefix', required: true,
      args: [{ name: 'name|bit', type: 'connlabel' }],
      summary: 'Match when this label is set on the connection (a name from connlabel.conf or a bit 0–127).',
    },
    {
      name: '--set', negation: 'none', args: [],
      summary: 'Set the label when it is not set yet; the match then succeeds (it fails when the connection has no room for labels).',
    },
  ],
};
