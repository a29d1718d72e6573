import type { ExtensionSpec } from '../types.ts';

export const conntrack: ExtensionSpec = {
  kind: 'match',
  name: 'conntrack',
  needsOneOf: [['--ctstate', '--ctproto', '--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst', '--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport', '--ctstatus', '--ctexpire', '--ctdir']],
  families: ['ipv4', 'ipv6'],
  summary: 'Match on the connection tracking entry of the packet: its state, status, original or reply addresses.',
  doc: 'The usual first rule of a stateful firewall accepts `ESTABLISHED,RELATED`, so replies to allowed connections pass without a rule of their own.',
  example: 'iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  options: [
    {
      name: '--ctstate', negation: 'prefix',
      args: [{ name: 'state[,state...]', type: 'ctstate-list' }],
      summary: 'Match any of the listed connection states: INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED, SNAT, DNAT.',
      example: '-m conntrack --ctstate NEW',
    },
    { name: '--ctproto', negation: 'prefix', args: [{ name: 'protocol', type: 'protocol' }], summary: 'Match the layer-4 protocol of the tracked connection.' },
    { name: '--ctorigsrc', negation: 'prefix', args: [{ name: 'address[/mask]', type: 'address' }], summary: 'Match the source address of the original direction.' },
    { name: '--ctorigdst', negation: 'prefix', args: [{ name: 'address[/mask]', type: 'address' }], summary: 'Match the destination address of the original direction (before DNAT).' },
    { name: '--ctreplsrc', negation: 'prefix', args: [{ name: 'address[/mask]', type: 'address' }], summary: 'Match the source address of the reply direction.' },
    { name: '--ctrepldst', negation: 'prefix', args: [{ name: 'address[/mask]', type: 'address' }], summary: 'Match the destination address of the reply direction.' },
    { name: '--ctorigsrcport', negation: 'prefix', args: [{ name: 'port[:port]', type: 'port-range-loose' }], summary: 'Match the original-direction source port.' },
    { name: '--ctorigdstport', negation: 'prefix', args: [{ name: 'port[:port]', type: 'port-range-loose' }], summary: 'Match the original-direction destination port (before DNAT).' },
    { name: '--ctreplsrcport', negation: 'prefix', args: [{ name: 'port[:port]', type: 'port-range-loose' }], summary: 'Match the reply-direction source port.' },
    { name: '--ctrepldstport', negation: 'prefix', args: [{ name: 'port[:port]', type: 'port-range-loose' }], summary: 'Match the reply-direction destination port.' },
    { name: '--ctstatus', negation: 'prefix', args: [{ name: 'status[,status...]', type: 'ctstatus-list' }], summary: 'Match connection status flags: NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED.' },
    { name: '--ctexpire', negation: 'prefix', args: [{ name: 'seconds[:seconds]', type: 'integer-range' }], summary: 'Match the remaining lifetime of the entry in seconds.' },
    { name: '--ctdir', negation: 'none', args: [{ name: 'ORIGINAL|REPLY', type: 'ctdir' }], summary: 'Match only packets flowing in the original or the reply direction.' },
  ],
};
