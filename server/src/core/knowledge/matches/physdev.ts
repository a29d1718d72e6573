import type { ExtensionSpec } from '../types.ts';

export const physdev: ExtensionSpec = {
  kind: 'match',
  name: 'physdev',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--physdev-in', '--physdev-out', '--physdev-is-in', '--physdev-is-out', '--physdev-is-bridged']],
  summary: 'Match the bridge ports a bridged packet comes in by and leaves through.',
  doc: 'With a Linux bridge and `net.bridge.bridge-nf-call-iptables=1`, bridged traffic crosses iptables with -i/-o set to the bridge; this match sees the real ports behind it (veth, tap, eth).',
  example: 'iptables -A FORWARD -m physdev --physdev-in tap0 --physdev-is-bridged -j ACCEPT',
  mistakes: ['--physdev-out cannot be used in OUTPUT without --physdev-is-bridged: for a routed packet the bridge port is chosen later. Use it in FORWARD or POSTROUTING.'],
  options: [
    {
      name: '--physdev-in', negation: 'prefix',
      args: [{ name: 'name[+]', type: 'interface' }],
      summary: 'Match the bridge port the packet arrived on (useful in PREROUTING, INPUT and FORWARD); a trailing + matches every name with that prefix.',
    },
    {
      name: '--physdev-out', negation: 'prefix', chains: ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING'], chainsUnless: '--physdev-is-bridged',
      args: [{ name: 'name[+]', type: 'interface' }],
      summary: 'Match the bridge port the packet leaves by (bridged packets in FORWARD and POSTROUTING; the kernel refuses it in OUTPUT unless the rule also has --physdev-is-bridged).',
    },
    { name: '--physdev-is-in', negation: 'prefix', args: [], summary: 'Match when the packet entered through a bridge port.' },
    { name: '--physdev-is-out', negation: 'prefix', args: [], chains: ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING'], chainsUnless: '--physdev-is-bridged', summary: 'Match when the packet will leave through a bridge port (refused in OUTPUT unless the rule also has --physdev-is-bridged).' },
    { name: '--physdev-is-bridged', negation: 'prefix', args: [], summary: 'Match when the packet is bridged rather than routed (meaningful in FORWARD and POSTROUTING).' },
  ],
};
