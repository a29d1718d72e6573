import type { ExtensionSpec } from '../types.ts';

export const TPROXY: ExtensionSpec = {
  kind: 'target',
  name: 'TPROXY',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  tables: ['mangle'],
  chains: ['PREROUTING'],
  protocols: ['tcp', 'udp', '6', '17'],
  needsOneOf: [['--on-port']],
  summary: 'Deliver the packet to a local transparent proxy socket without changing its addresses.',
  doc: 'Only in mangle PREROUTING, with `-p tcp` or `-p udp`. The packet must also be routed locally: mark it (--tproxy-mark) and route that mark to the loopback device (`ip rule add fwmark 1 lookup 100; ip route add local 0.0.0.0/0 dev lo table 100`). The proxy socket needs IP_TRANSPARENT.',
  example: 'iptables -t mangle -A PREROUTING -p tcp --dport 80 -j TPROXY --on-port 3129 --tproxy-mark 0x1/0x1',
  mistakes: ['Without the mark and the local route, the packet is forwarded as if TPROXY was not there.'],
  options: [
    { name: '--on-port', negation: 'none', required: true, args: [{ name: 'port', type: 'port' }], summary: 'The proxy\'s port; 0 keeps the original destination port.' },
    { name: '--on-ip', negation: 'none', args: [{ name: 'address', type: 'host' }], summary: 'The proxy\'s address (default: the address of the incoming interface).' },
    { name: '--tproxy-mark', negation: 'none', args: [{ name: 'value[/mask]', type: 'mark' }], summary: 'Mark the packet for the policy routing rule that delivers it locally.' },
  ],
};
