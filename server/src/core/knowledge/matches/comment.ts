import type { ExtensionSpec } from '../types.ts';

export const comment: ExtensionSpec = {
  kind: 'match',
  name: 'comment',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--comment']],
  summary: 'Attach a note to the rule; it never changes what the rule matches.',
  doc: 'The text is stored in the kernel and shown by `iptables -L` and iptables-save, so it survives where `#` comments in a script do not. Up to 255 characters are kept.',
  example: 'iptables -A INPUT -p tcp --dport 22 -m comment --comment "ssh from anywhere" -j ACCEPT',
  options: [
    {
      name: '--comment', negation: 'none', required: true,
      args: [{ name: 'text', type: 'string', truncateAt: 255 }],
      summary: 'The text; quote it when it holds blanks. Longer text is cut at 255 characters.',
      example: '--comment "allow monitoring"',
    },
  ],
};
