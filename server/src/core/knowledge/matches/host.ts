import { arg, m, match, mFixed } from '../define.ts';

/** Matches on the local socket, process or host state. */

export const owner = match({
  name: 'owner',
  needsOneOf: [['--uid-owner', '--gid-owner', '--socket-exists']],
  summary: 'Match the user or group of the local process that sent the packet.',
  doc: 'Only locally generated packets have an owner, so it works in OUTPUT and POSTROUTING only.',
  example: 'iptables -A OUTPUT -m owner --uid-owner www-data -p tcp --dport 25 -j REJECT',
  chains: ['OUTPUT', 'POSTROUTING'],
  options: [
    m('--uid-owner', [arg('any', 'user|uid[-uid]')], 'The sending user, by name or number (range allowed).'),
    m('--gid-owner', [arg('any', 'group|gid[-gid]')], 'The sending group, by name or number (range allowed).'),
    mFixed('--suppl-groups', [], 'Also compare the supplementary groups with --gid-owner.'),
    m('--socket-exists', [], 'Match when the packet belongs to a local socket.'),
  ],
});

export const cgroup = match({
  name: 'cgroup',
  hostDependent: 'the cgroup must exist on the host',
  summary: 'Match the control group of the local process (cgroup v2 path or net_cls class id).',
  doc: 'Lets a firewall treat a systemd service or a container separately.',
  example: 'iptables -A OUTPUT -m cgroup --path system.slice/backup.service -j ACCEPT',
  options: [
    m('--path', [arg('string', 'path')], 'The cgroup v2 path.'),
    m('--cgroup', [arg('integer', 'classid')], 'The net_cls class id (cgroup v1).'),
  ],
});

export const socket = match({
  name: 'socket',
  summary: 'Match when a local socket exists for the packet (used with TPROXY).',
  doc: 'Typically in mangle PREROUTING to mark packets of already-proxied connections.',
  example: 'iptables -t mangle -A PREROUTING -m socket --transparent -j MARK --set-mark 1',
  options: [
    mFixed('--transparent', [], 'Only transparent sockets.'),
    mFixed('--nowildcard', [], 'Do not match sockets bound to the wildcard address.'),
    mFixed('--restore-skmark', [], 'Copy the socket mark to the packet.'),
  ],
});

export const policy = match({
  name: 'policy',
  needsOneOf: [['--dir'], ['--pol']],
  summary: 'Match the IPsec policy used (or to be used) for the packet.',
  doc: 'With `--dir in` it looks at how the packet was decapsulated; with `--dir out` at the policy for sending it.',
  example: 'iptables -A FORWARD -m policy --dir in --pol ipsec --proto esp -j ACCEPT',
  options: [
    mFixed('--dir', [arg('enum', 'in|out', { values: ['in', 'out'] })], 'Which policy to look at.', { required: true }),
    mFixed('--pol', [arg('enum', 'none|ipsec', { values: ['none', 'ipsec'] })], 'Whether IPsec processing is involved.', { required: true }),
    mFixed('--strict', [], 'Match the whole policy exactly, element by element.'),
    m('--reqid', [arg('integer', 'id')], 'The reqid of the policy rule.'),
    m('--spi', [arg('integer', 'spi')], 'The SPI of the security association.'),
    m('--proto', [arg('enum', 'ah|esp|ipcomp', { values: ['ah', 'esp', 'ipcomp'] })], 'The IPsec protocol.'),
    m('--mode', [arg('enum', 'tunnel|transport', { values: ['tunnel', 'transport'] })], 'The IPsec mode.'),
    m('--tunnel-src', [arg('address', 'addr[/mask]')], 'The tunnel source address.'),
    m('--tunnel-dst', [arg('address', 'addr[/mask]')], 'The tunnel destination address.'),
    mFixed('--next', [], 'Start the next element of a strict policy.'),
  ],
});

export const set = match({
  name: 'set',
  hostDependent: 'the ipset must exist on the host (ipset create NAME …)',
  summary: 'Match against an ipset: large address, network or port sets in one rule.',
  doc: 'Flags say which packet fields are looked up, in the order of the set type, e.g. `src` or `src,dst`.',
  example: 'iptables -A INPUT -m set --match-set blocklist src -j DROP',
  options: [
    m('--match-set', [arg('string', 'setname'), arg('set-flags', 'flag[,flag…]')], 'The set and which fields to look up (src, dst).'),
    mFixed('--return-nomatch', [], 'Match entries flagged nomatch (for exceptions).'),
    mFixed('--update-counters', [], 'Update the set entry counters.'),
    mFixed('--update-subcounters', [], 'Update the counters of member sets.'),
    m('--packets-eq', [arg('integer', 'value')], 'Entry packet counter equal to.'),
    mFixed('--packets-lt', [arg('integer', 'value')], 'Entry packet counter below.'),
    mFixed('--packets-gt', [arg('integer', 'value')], 'Entry packet counter above.'),
    m('--bytes-eq', [arg('integer', 'value')], 'Entry byte counter equal to.'),
    mFixed('--bytes-lt', [arg('integer', 'value')], 'Entry byte counter below.'),
    mFixed('--bytes-gt', [arg('integer', 'value')], 'Entry byte counter above.'),
  ],
});

export const ipvs = match({
  name: 'ipvs',
  hostDependent: 'needs the IPVS kernel module',
  summary: 'Match properties of IPVS (kernel load balancer) connections.',
  doc: 'Virtual address, port, protocol and forwarding method of the IPVS connection.',
  example: 'iptables -A FORWARD -m ipvs --vaddr 192.0.2.10 --vport 80 -j ACCEPT',
  options: [
    m('--ipvs', [], 'Match packets that belong to an IPVS connection.'),
    m('--vproto', [arg('protocol', 'protocol')], 'The virtual service protocol.'),
    m('--vaddr', [arg('address', 'address[/mask]')], 'The virtual service address.'),
    m('--vport', [arg('port', 'port')], 'The virtual service port.'),
    mFixed('--vdir', [arg('enum', 'ORIGINAL|REPLY', { values: ['ORIGINAL', 'REPLY'] })], 'The direction.'),
    m('--vmethod', [arg('enum', 'GATE|IPIP|MASQ', { values: ['GATE', 'IPIP', 'MASQ'] })], 'The forwarding method.'),
    m('--vportctl', [arg('port', 'port')], 'The port of the controlling connection.'),
  ],
});

export const osf = match({
  name: 'osf',
  hostDependent: 'needs OS fingerprints loaded with nfnl_osf',
  summary: 'Passive OS fingerprinting of TCP SYN packets.',
  doc: 'Compares the SYN against loaded fingerprints to guess the sender\'s operating system.',
  example: 'iptables -A INPUT -p tcp -m osf --genre Linux -j ACCEPT',
  options: [
    m('--genre', [arg('string', 'string')], 'The OS genre to match.'),
    mFixed('--ttl', [arg('integer', 'level', { max: 2 })], 'How strictly to compare the TTL (0–2).'),
    mFixed('--log', [arg('integer', 'level')], 'Log matches (0 all, 1 first, 2 none found).'),
  ],
});
