import type { ExtensionSpec } from '../types.ts';

/** The verdicts built into iptables itself (not extensions, but used the same way after -j). */
export const ACCEPT: ExtensionSpec = {
  kind: 'target', name: 'ACCEPT', families: ['ipv4', 'ipv6'], terminating: true, options: [],
  summary: 'Let the packet through this chain; it goes on to the next table or hook.',
  doc: 'ACCEPT ends processing in the current built-in chain of this table only: the packet still crosses the chains of later tables and hooks.',
  example: 'iptables -A INPUT -i lo -j ACCEPT',
};
export const DROP: ExtensionSpec = {
  kind: 'target', name: 'DROP', families: ['ipv4', 'ipv6'], terminating: true, options: [],
  summary: 'Discard the packet silently; the sender sees a timeout.',
  doc: 'No reply is sent. For your own users REJECT fails faster; for scanners DROP gives away less.',
  example: 'iptables -A INPUT -p tcp --dport 23 -j DROP',
};
export const RETURN: ExtensionSpec = {
  kind: 'target', name: 'RETURN', families: ['ipv4', 'ipv6'], terminating: false, options: [],
  summary: 'Leave this chain: back to the rule after the jump, or to the policy when used in a built-in chain.',
  example: 'iptables -A CHECK_SRC -s 10.0.0.0/8 -j RETURN',
};
