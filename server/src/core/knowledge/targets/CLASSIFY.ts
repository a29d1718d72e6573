import type { ExtensionSpec } from '../types.ts';

export const CLASSIFY: ExtensionSpec = {
  kind: 'target',
  name: 'CLASSIFY',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
  needsOneOf: [['--set-class']],
  summary: 'Put the packet into a traffic-control class (sets skb->priority), then continue.',
  doc: 'The class must exist in the qdisc of the outgoing interface (HTB, HFSC, …). Only in FORWARD, OUTPUT and POSTROUTING, where the outgoing interface is known; usually in the mangle table.',
  example: 'iptables -t mangle -A POSTROUTING -o eth0 -p tcp --sport 22 -j CLASSIFY --set-class 1:10',
  options: [
    {
      name: '--set-class', negation: 'none', required: true,
      args: [{ name: 'major:minor', type: 'tc-class' }],
      summary: 'The class, as tc writes it: major:minor, always read as hexadecimal.',
      mistakes: ['`1:10` is class 0x10 (16), not ten: the numbers are hexadecimal, as in tc.'],
    },
  ],
};
