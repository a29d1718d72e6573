import type { ExtensionSpec } from '../types.ts';

export const CLUSTERIP: ExtensionSpec = {
  kind: 'target',
  name: 'CLUSTERIP',
  families: ['ipv4'],
  terminating: false,
  removedFromKernel: '6.3',
  deprecatedBy: 'cluster',
  hostDependent: 'removed from the kernel in Linux 6.3 (and missing on many older builds): iptables reports a missing kernel module',
  summary: 'Share one IP and MAC address between cluster nodes, each answering part of the connections (obsolete: use -m cluster).',
  doc: 'Every node has the same rule with its own --local-node. The first rule for a cluster IP needs --new with all other options.',
  example: 'iptables -A INPUT -d 192.0.2.100 -i eth0 -j CLUSTERIP --new --hashmode sourceip --clustermac 01:00:5E:00:00:20 --total-nodes 2 --local-node 1',
  options: [
    { name: '--new', negation: 'none', args: [], summary: 'Create the cluster IP; needed on the first rule for it.' },
    {
      name: '--hashmode', negation: 'none',
      args: [{ name: 'mode', type: 'enum', values: ['sourceip', 'sourceip-sourceport', 'sourceip-sourceport-destport'] }],
      summary: 'What is hashed to choose the node: sourceip, sourceip-sourceport or sourceip-sourceport-destport.',
    },
    { name: '--clustermac', negation: 'none', args: [{ name: 'mac', type: 'mac-address' }], summary: 'The shared MAC address; must be a multicast MAC (first byte odd).' },
    { name: '--total-nodes', negation: 'none', args: [{ name: 'num', type: 'integer' }], summary: 'How many nodes the cluster has.' },
    { name: '--local-node', negation: 'none', args: [{ name: 'num', type: 'integer' }], summary: 'This node\'s number.' },
    { name: '--hash-init', negation: 'none', args: [{ name: 'rnd', type: 'integer' }], summary: 'Seed of the hash.' },
  ],
};
