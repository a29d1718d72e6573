import type { ExtensionSpec } from '../types.ts';

export const MASQUERADE: ExtensionSpec = {
  kind: 'target',
  name: 'MASQUERADE',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  tables: ['nat'],
  chains: ['POSTROUTING'],
  summary: 'Rewrite the source to the address of the outgoing interface: source NAT for uplinks with a changing address.',
  doc: 'Runs after routing, in nat POSTROUTING, so the outgoing interface is known. Its connections are forgotten when the interface goes down, which suits DHCP and PPP uplinks; with a fixed address, SNAT is cheaper. With --to-ports the rule needs `-p tcp`, `udp`, `sctp` or `dccp`.',
  example: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
  mistakes: ['Without `-o`, traffic between your own networks is masqueraded too, hiding the real client addresses.'],
  options: [
    { name: '--to-ports', negation: 'none', args: [{ name: 'port[-port]', type: 'port-or-range-dash' }], summary: 'Source ports to use, as port or first-last (needs -p tcp/udp/sctp/dccp).' },
    { name: '--random', negation: 'none', args: [], summary: 'Randomise the source port mapping (the same as --random-fully since Linux 5.0).' },
    { name: '--random-fully', negation: 'none', args: [], summary: 'Choose source ports fully at random.' },
  ],
};
