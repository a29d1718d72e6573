import type { ExtensionSpec } from '../types.ts';

export const TRACE: ExtensionSpec = {
  kind: 'target',
  name: 'TRACE',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  legacyTables: ['raw'],
  summary: 'Trace the packet: every rule, return and policy it meets from here on is reported.',
  doc: 'With iptables-nft, read the trace with `xtables-monitor --trace`; the target is accepted in every table. With iptables-legacy it only works in the raw table and writes "TRACE: table:chain:type:rulenum" lines through a loaded logging backend. Select narrowly: tracing busy traffic is heavy.',
  example: 'iptables -t raw -A PREROUTING -p tcp --dport 80 -s 198.51.100.7 -j TRACE',
  options: [],
};
