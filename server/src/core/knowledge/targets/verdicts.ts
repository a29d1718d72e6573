import type { ExtensionSpec } from '../types.ts';

/** The built-in verdicts of iptables(8): they need no extension and take no options. */

export const ACCEPT: ExtensionSpec = {
  kind: 'target',
  name: 'ACCEPT',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  summary: 'Let the packet through this chain; later rules of the chain do not see it.',
  doc: 'ACCEPT only ends the current table\'s chain for this hook: the packet still meets the other tables and hooks on its way (an ACCEPT in mangle does not skip filter, an ACCEPT in INPUT is not an ACCEPT in FORWARD).',
  example: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
  options: [],
};

export const DROP: ExtensionSpec = {
  kind: 'target',
  name: 'DROP',
  families: ['ipv4', 'ipv6'],
  // measured (1.8.9, nft and legacy, both families): "The "nat" table is not intended for
  // filtering, the use of DROP is therefore inhibited", for -A, -I and -P alike
  tables: ['filter', 'mangle', 'raw', 'security'],
  terminating: true,
  summary: 'Discard the packet silently; the sender hears nothing and waits for a timeout.',
  doc: 'Silent drops slow down scanners, but also make mistakes slow to diagnose; REJECT answers at once. Drop (never reject) packets that conntrack marks INVALID. Not in the nat table: iptables refuses it there (the nat table is not meant for filtering).',
  example: 'iptables -A INPUT -s 198.51.100.0/24 -j DROP',
  options: [],
};

export const RETURN: ExtensionSpec = {
  kind: 'target',
  name: 'RETURN',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  summary: 'Leave this chain: go on after the rule that jumped here, or, in a built-in chain, apply its policy.',
  doc: 'In a user chain reached with -j, evaluation resumes at the rule after the jump; reached with -g, it resumes after the last -j. In a built-in chain the policy decides. The end of a user chain is an implicit RETURN.',
  example: 'iptables -A office-in -s 10.0.0.0/8 -j RETURN',
  options: [],
};

export const QUEUE: ExtensionSpec = {
  kind: 'target',
  name: 'QUEUE',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  hostDependent: 'iptables-nft turns it into an nftables queue, which needs the nft_queue kernel module; NFQUEUE --queue-num 0 is the portable spelling',
  summary: 'Hand the packet to a userspace program listening on queue 0 (an older spelling of NFQUEUE --queue-num 0).',
  doc: 'The program gives the verdict. Without one listening, the packet is dropped.',
  example: 'iptables -A FORWARD -p tcp --dport 80 -j QUEUE',
  options: [],
};
