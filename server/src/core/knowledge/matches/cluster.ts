import type { ExtensionSpec } from '../types.ts';

export const cluster: ExtensionSpec = {
  kind: 'match',
  name: 'cluster',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--cluster-total-nodes'], ['--cluster-local-node', '--cluster-local-nodemask'], ['--cluster-hash-seed']],
  exclusive: [['--cluster-local-node', '--cluster-local-nodemask']],
  summary: 'Share traffic between cluster nodes without a load balancer: each node takes the flows whose hash falls on it.',
  doc: 'Every node must see every packet (a multicast MAC on the shared link) and use the same total and seed; the rule matches the packets this node should handle, typically to mark them, and the others are dropped. For TCP, turn off conntrack pickup (`nf_conntrack_tcp_loose=0`). It replaces the CLUSTERIP target.',
  example: 'iptables -t mangle -A PREROUTING -i eth1 -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0xdeadbeef -j MARK --set-mark 0xffff',
  options: [
    {
      name: '--cluster-total-nodes', negation: 'none', required: true,
      args: [{ name: 'num', type: 'integer', min: 1, max: 32 }],
      summary: 'How many nodes share the traffic (1–32).',
    },
    {
      name: '--cluster-local-node', negation: 'prefix', excludes: ['--cluster-local-nodemask'], atMost: '--cluster-total-nodes',
      args: [{ name: 'num', type: 'integer', min: 1, max: 32 }],
      summary: 'The number of this node, from 1 to the total.',
    },
    {
      name: '--cluster-local-nodemask', negation: 'prefix', excludes: ['--cluster-local-node'], maskOf: '--cluster-total-nodes',
      args: [{ name: 'mask', type: 'integer', min: 1, max: 32 }],
      summary: 'This node\'s share as a bit mask (bit 0 = node 1), instead of --cluster-local-node.',
    },
    {
      name: '--cluster-hash-seed', negation: 'none', required: true,
      args: [{ name: 'value', type: 'hex-integer' }],
      summary: 'Seed of the hash; the same on every node.',
      example: '--cluster-hash-seed 0xdeadbeef',
    },
  ],
};
