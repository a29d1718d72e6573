import type { ExtensionSpec, OptionSpec } from '../types.ts';

const cmp = (field: string, what: string): OptionSpec[] => [
  { name: `--srh-${field}-eq`, negation: 'prefix', args: [{ name: 'n', type: 'integer', max: 255 }], summary: `Match when ${what} equals n.` },
  { name: `--srh-${field}-gt`, negation: 'prefix', args: [{ name: 'n', type: 'integer', max: 255 }], summary: `Match when ${what} is above n.` },
  { name: `--srh-${field}-lt`, negation: 'prefix', args: [{ name: 'n', type: 'integer', max: 255 }], summary: `Match when ${what} is below n.` },
];

/** Not described in iptables-extensions(8) of 1.8.9, but shipped (libip6t_srh). */
export const srh: ExtensionSpec = {
  kind: 'match',
  name: 'srh',
  families: ['ipv6'],
  summary: 'Match fields of the IPv6 Segment Routing Header (SRv6).',
  doc: 'Next header, header length, segments left, last entry, tag, and the previous, next and last segment addresses.',
  example: 'ip6tables -A INPUT -m srh --srh-next-hdr 17 --srh-segs-left-gt 1 -j ACCEPT',
  options: [
    { name: '--srh-next-hdr', negation: 'prefix', args: [{ name: 'next-hdr', type: 'integer', max: 255 }], summary: 'Match the next-header field.' },
    ...cmp('hdr-len', 'the header length'),
    ...cmp('segs-left', 'the segments-left field'),
    ...cmp('last-entry', 'the last-entry field'),
    { name: '--srh-tag', negation: 'prefix', args: [{ name: 'tag', type: 'integer', max: 65535 }], summary: 'Match the tag field.' },
    { name: '--srh-psid', negation: 'prefix', args: [{ name: 'addr[/mask]', type: 'address' }], summary: 'Match the previous segment address.' },
    { name: '--srh-nsid', negation: 'prefix', args: [{ name: 'addr[/mask]', type: 'address' }], summary: 'Match the next segment address.' },
    { name: '--srh-lsid', negation: 'prefix', args: [{ name: 'addr[/mask]', type: 'address' }], summary: 'Match the last segment address.' },
  ],
};
