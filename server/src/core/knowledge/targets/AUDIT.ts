import type { ExtensionSpec } from '../types.ts';

export const AUDIT: ExtensionSpec = {
  kind: 'target',
  name: 'AUDIT',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--type']],
  summary: 'Write an audit record (for auditd) about the packet, then continue with the next rule.',
  doc: 'For compliance logging: put it just before the rule that decides, for example in a user chain that audits then drops.',
  example: 'iptables -A AUDIT_DROP -j AUDIT --type drop',
  options: [
    {
      name: '--type', negation: 'none', required: true,
      args: [{ name: 'accept|drop|reject', type: 'enum', ignoreCase: true, values: ['accept', 'drop', 'reject'] }],
      summary: 'The kind of record.',
      deprecated: 'kernels since 4.12 ignore it; iptables still requires it',
    },
  ],
};
