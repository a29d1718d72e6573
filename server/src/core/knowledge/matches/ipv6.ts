import { arg, m, match, mFixed } from '../define.ts';

/** Matches on IPv6 extension headers. */

export const frag = match({
  name: 'frag',
  exclusive: [['--fragmore', '--fraglast']],
  families: ['ipv6'],
  summary: 'Match the IPv6 fragment header.',
  doc: 'IPv6 has no `-f`: use this match to find fragments.',
  example: 'ip6tables -A INPUT -m frag --fragmore -j DROP',
  options: [
    m('--fragid', [arg('integer-range', 'id[:id]')], 'The fragment identification, or a range.'),
    m('--fraglen', [arg('integer', 'length')], 'The header length.'),
    mFixed('--fragres', [], 'Reserved fields are zero.'),
    mFixed('--fragfirst', [], 'The first fragment.'),
    mFixed('--fragmore', [], 'More fragments follow.'),
    mFixed('--fraglast', [], 'The last fragment.'),
  ],
});

export const rt = match({
  name: 'rt',
  families: ['ipv6'],
  summary: 'Match the IPv6 routing header.',
  doc: 'Type 0 routing headers are deprecated and a common thing to drop.',
  example: 'ip6tables -A INPUT -m rt --rt-type 0 -j DROP',
  options: [
    m('--rt-type', [arg('integer', 'type')], 'The routing header type.'),
    m('--rt-segsleft', [arg('integer-range', 'num[:num]')], 'The segments-left field.'),
    m('--rt-len', [arg('integer', 'length')], 'The header length.'),
    mFixed('--rt-0-res', [], 'Type 0: reserved field is zero.'),
    mFixed('--rt-0-addrs', [arg('any', 'addr[,addr…]')], 'Type 0: these addresses.'),
    mFixed('--rt-0-not-strict', [], 'Type 0: the addresses need not be complete.'),
  ],
});

export const dst = match({
  name: 'dst',
  families: ['ipv6'],
  summary: 'Match the IPv6 destination options header.',
  doc: 'Options are listed as `type[:length]`.',
  example: 'ip6tables -A INPUT -m dst --dst-len 0 -j ACCEPT',
  options: [m('--dst-len', [arg('integer', 'length')], 'The header length.'), mFixed('--dst-opts', [arg('any', 'type[:length][,…]')], 'The options it contains.')],
});

export const hbh = match({
  name: 'hbh',
  families: ['ipv6'],
  summary: 'Match the IPv6 hop-by-hop options header.',
  doc: 'Options are listed as `type[:length]`.',
  example: 'ip6tables -A INPUT -m hbh --hbh-len 0 -j ACCEPT',
  options: [m('--hbh-len', [arg('integer', 'length')], 'The header length.'), mFixed('--hbh-opts', [arg('any', 'type[:length][,…]')], 'The options it contains.')],
});

export const ipv6header = match({
  name: 'ipv6header',
  families: ['ipv6'],
  summary: 'Match which IPv6 extension headers a packet has.',
  doc: 'Header names: hop, dst, route, frag, auth, esp, none, prot.',
  example: 'ip6tables -A INPUT -m ipv6header --header frag --soft -j DROP',
  options: [
    m('--header', [arg('enum-list', 'header[,header…]', { values: ['hop', 'hop-by-hop', 'dst', 'route', 'frag', 'auth', 'esp', 'none', 'prot', 'ipv6-route', 'ipv6-frag', 'ah', 'ipv6-nonxt', 'ipv6-opts', 'protocol'] })], 'The extension headers.'),
    mFixed('--soft', [], 'Match when any of them is present, not exactly these.'),
  ],
});

export const eui64 = match({
  name: 'eui64',
  families: ['ipv6'],
  summary: 'Match when the source address\'s interface identifier is derived from the source MAC (EUI-64).',
  doc: 'Only for packets from an Ethernet link; no options.',
  example: 'ip6tables -A INPUT -m eui64 -j ACCEPT',
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  options: [],
});

export const srh = match({
  name: 'srh',
  families: ['ipv6'],
  summary: 'Match fields of the IPv6 Segment Routing Header.',
  doc: 'Next header, header length, segments left, last entry, tag and the previous, next and last segment addresses.',
  example: 'ip6tables -A INPUT -m srh --srh-next-hdr 17 -j ACCEPT',
  options: [
    m('--srh-next-hdr', [arg('integer', 'next-hdr', { max: 255 })], 'The next header field.'),
    m('--srh-hdr-len-eq', [arg('integer', 'len')], 'Header length equal to.'),
    m('--srh-hdr-len-gt', [arg('integer', 'len')], 'Header length greater than.'),
    m('--srh-hdr-len-lt', [arg('integer', 'len')], 'Header length less than.'),
    m('--srh-segs-left-eq', [arg('integer', 'n')], 'Segments left equal to.'),
    m('--srh-segs-left-gt', [arg('integer', 'n')], 'Segments left greater than.'),
    m('--srh-segs-left-lt', [arg('integer', 'n')], 'Segments left less than.'),
    m('--srh-last-entry-eq', [arg('integer', 'n')], 'Last entry equal to.'),
    m('--srh-last-entry-gt', [arg('integer', 'n')], 'Last entry greater than.'),
    m('--srh-last-entry-lt', [arg('integer', 'n')], 'Last entry less than.'),
    m('--srh-tag', [arg('integer', 'tag', { max: 65535 })], 'The tag field.'),
    m('--srh-psid', [arg('address', 'addr[/mask]')], 'The previous segment address.'),
    m('--srh-nsid', [arg('address', 'addr[/mask]')], 'The next segment address.'),
    m('--srh-lsid', [arg('address', 'addr[/mask]')], 'The last segment address.'),
  ],
});
