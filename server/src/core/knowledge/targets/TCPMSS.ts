import type { ExtensionSpec } from '../types.ts';

export const TCPMSS: ExtensionSpec = {
  kind: 'target',
  name: 'TCPMSS',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  protocols: ['tcp', '6'],
  needsOneOf: [['--set-mss', '--clamp-mss-to-pmtu']],
  summary: 'Rewrite the MSS option of TCP SYN segments: the usual cure for PPPoE, VPN and tunnel MTU black holes.',
  doc: 'When ICMP "fragmentation needed" / "packet too big" messages are blocked somewhere, connections through a smaller-MTU link hang after the handshake. Clamping the MSS on the SYN avoids large segments in the first place. Match only SYNs: `-p tcp --tcp-flags SYN,RST SYN`. Usually in mangle FORWARD or POSTROUTING.',
  example: 'iptables -t mangle -A FORWARD -o ppp0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu',
  mistakes: [
    'iptables-legacy refuses the rule unless it matches SYN segments (`--tcp-flags SYN,RST SYN` or `--syn`); iptables-nft does not check, but rewriting non-SYN packets is pointless.',
    '--clamp-mss-to-pmtu only works in FORWARD, OUTPUT and POSTROUTING.',
  ],
  options: [
    {
      name: '--set-mss', negation: 'none', excludes: ['--clamp-mss-to-pmtu'],
      args: [{ name: 'value', type: 'integer', max: 65515, maxIpv6: 65495 }],
      summary: 'Lower the MSS to this value (it is never raised). At most 65515 for IPv4, 65495 for IPv6.',
    },
    {
      name: '--clamp-mss-to-pmtu', negation: 'none', excludes: ['--set-mss'], chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
      args: [],
      summary: 'Lower the MSS to the path MTU minus 40 (IPv4) or 60 (IPv6).',
    },
  ],
};
