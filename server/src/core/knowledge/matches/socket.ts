import type { ExtensionSpec } from '../types.ts';

export const socket: ExtensionSpec = {
  kind: 'match',
  name: 'socket',
  families: ['ipv4', 'ipv6'],
  // measured (1.8.9, both families): the kernel refuses it in FORWARD, OUTPUT and POSTROUTING
  chains: ['PREROUTING', 'INPUT'],
  summary: 'Match when a local TCP/UDP socket exists for the packet (an established socket or a listener bound to a specific address).',
  doc: 'Works in PREROUTING and INPUT only: the kernel refuses it elsewhere. Looks the packet up as the socket layer would, also for the TCP/UDP header inside ICMP errors. Typical with TPROXY: mark the packets of connections the proxy already owns so they are routed to it.',
  example: 'iptables -t mangle -A PREROUTING -m socket --transparent -j MARK --set-mark 1',
  options: [
    { name: '--transparent', negation: 'none', args: [], summary: 'Only sockets with IP_TRANSPARENT set (transparent proxies).' },
    { name: '--nowildcard', negation: 'none', args: [], summary: 'Also accept listeners bound to the wildcard address; this lets local services catch forwarded traffic, so prefer --transparent.' },
    { name: '--restore-skmark', negation: 'none', args: [], summary: 'Copy the socket\'s mark (SO_MARK) to the packet.' },
  ],
};
