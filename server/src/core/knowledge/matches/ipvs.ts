import type { ExtensionSpec } from '../types.ts';

export const ipvs: ExtensionSpec = {
  kind: 'match',
  name: 'ipvs',
  families: ['ipv4', 'ipv6'],
  hostDependent: 'needs the IPVS kernel modules (ip_vs, xt_ipvs)',
  summary: 'Match packets of IPVS (kernel load balancer) connections by virtual service and forwarding method.',
  doc: 'Any of the v* options implies --ipvs. Used with kube-proxy in IPVS mode and with keepalived virtual servers.',
  example: 'iptables -t nat -A POSTROUTING -m ipvs --vaddr 192.0.2.10 --vport 80 --vmethod MASQ -j MASQUERADE',
  options: [
    { name: '--ipvs', negation: 'prefix', args: [], summary: 'Match packets that belong to an IPVS connection.' },
    { name: '--vproto', negation: 'prefix', args: [{ name: 'protocol', type: 'protocol' }], summary: 'Match the protocol of the virtual service.' },
    { name: '--vaddr', negation: 'prefix', args: [{ name: 'address[/mask]', type: 'address' }], summary: 'Match the virtual service address.' },
    { name: '--vport', negation: 'prefix', args: [{ name: 'port', type: 'port' }], summary: 'Match the virtual service port.' },
    {
      name: '--vdir', negation: 'none',
      args: [{ name: 'ORIGINAL|REPLY', type: 'enum', ignoreCase: true, values: ['ORIGINAL', 'REPLY'] }],
      summary: 'Match only one direction of the flow.',
    },
    {
      name: '--vmethod', negation: 'prefix',
      args: [{ name: 'GATE|IPIP|MASQ', type: 'enum', ignoreCase: true, values: ['GATE', 'IPIP', 'MASQ'], valueDocs: { GATE: 'Direct routing.', IPIP: 'IP-in-IP tunnelling.', MASQ: 'NAT (masquerading).' } }],
      summary: 'Match the forwarding method of the real server.',
    },
    { name: '--vportctl', negation: 'prefix', args: [{ name: 'port', type: 'port' }], summary: 'Match the virtual port of the controlling connection (21 for FTP data).' },
  ],
};
