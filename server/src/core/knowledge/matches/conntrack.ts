import type { ArgSpec, ExtensionSpec, OptionSpec } from '../types.ts';

const addr = (name: string, summary: string): OptionSpec => ({
  name, negation: 'prefix', args: [{ name: 'address[/mask]', type: 'address' }], summary,
});
const port = (name: string, summary: string): OptionSpec => ({
  name, negation: 'prefix', args: [{ name: 'port[:port]', type: 'port-range-loose' } satisfies ArgSpec], summary,
});

export const conntrack: ExtensionSpec = {
  kind: 'match',
  name: 'conntrack',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--ctstate', '--ctproto', '--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst', '--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport', '--ctstatus', '--ctexpire', '--ctdir']],
  summary: 'Match on the connection tracking entry of the packet: its state, status, and original or reply addresses and ports.',
  doc: 'The usual first rule of a stateful firewall accepts `ESTABLISHED,RELATED`, so replies to allowed connections pass without rules of their own. The original-direction fields show the connection as it was before NAT: `--ctorigdst` is the public address a client connected to, even after DNAT.',
  example: 'iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  mistakes: ['Rejecting INVALID packets can tear down healthy connections (a late duplicate looks INVALID): drop them instead.'],
  options: [
    {
      name: '--ctstate', negation: 'prefix',
      args: [{ name: 'state[,state…]', type: 'ctstate-list' }],
      summary: 'Match any of the listed states: INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED, SNAT, DNAT.',
      example: '--ctstate NEW',
      mistakes: ['NEW only means "first packet seen": a TCP packet without SYN can be NEW too; add --syn to insist on a handshake.'],
    },
    {
      name: '--ctproto', negation: 'prefix',
      args: [{ name: 'protocol', type: 'protocol' }],
      summary: 'Match the layer-4 protocol of the connection, by name or number.',
    },
    addr('--ctorigsrc', 'Match the source address of the original direction (the client).'),
    addr('--ctorigdst', 'Match the destination the client connected to, before any DNAT.'),
    addr('--ctreplsrc', 'Match the source address of the reply direction (the real server after DNAT).'),
    addr('--ctrepldst', 'Match the destination of the reply direction (the client after SNAT).'),
    port('--ctorigsrcport', 'Match the original source port (or GRE key), or a range first:last.'),
    port('--ctorigdstport', 'Match the original destination port, before DNAT, or a range.'),
    port('--ctreplsrcport', 'Match the reply source port, or a range.'),
    port('--ctrepldstport', 'Match the reply destination port, or a range.'),
    {
      name: '--ctstatus', negation: 'prefix',
      args: [{ name: 'status[,status…]', type: 'ctstatus-list' }],
      summary: 'Match any of the listed status flags: NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED.',
    },
    {
      name: '--ctexpire', negation: 'prefix',
      args: [{ name: 'seconds[:seconds]', type: 'integer-range' }],
      summary: 'Match the seconds the entry has left before it expires, or a range of them.',
    },
    {
      name: '--ctdir', negation: 'none',
      args: [{ name: 'ORIGINAL|REPLY', type: 'ctdir' }],
      summary: 'Match only packets flowing in the original or only in the reply direction (default: both).',
    },
  ],
};
