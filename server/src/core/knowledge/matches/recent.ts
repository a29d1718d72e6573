import type { ExtensionSpec } from '../types.ts';

export const recent: ExtensionSpec = {
  kind: 'match',
  name: 'recent',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--set', '--rcheck', '--update', '--remove']],
  // measured (1.8.9, both backends): iptables refuses --rttl with --set or --remove; the kernel
  // refuses --seconds and --hitcount with them (Invalid argument), which `iptables-restore --test` passes
  exclusive: [
    ['--set', '--rcheck', '--update', '--remove'],
    ['--set', '--rttl'], ['--remove', '--rttl'],
    ['--set', '--seconds'], ['--remove', '--seconds'],
    ['--set', '--hitcount'], ['--remove', '--hitcount'],
  ],
  summary: 'Keep a list of recently seen addresses and match on whether, how recently and how often an address was seen.',
  doc: 'One rule adds addresses with `--set`; others test them with `--rcheck` or `--update`, narrowed by `--seconds` and `--hitcount`. Lists live in /proc/net/xt_recent/NAME; the kernel remembers 100 addresses per list and 20 hits per address by default (module parameters ip_list_tot and ip_pkt_list_tot).',
  example: 'iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 4 --name ssh -j DROP',
  mistakes: ['The kernel refuses a --hitcount above the xt_recent module\'s ip_pkt_list_tot when that parameter is set (older kernels set it to 20); where it is 0, as on current kernels, up to 65535 is taken. `iptables-restore --test` does not catch either: the rule fails when loaded.'],
  options: [
    { name: '--name', negation: 'none', args: [{ name: 'name', type: 'string', truncateAt: 199, fileIn: '/proc/net/xt_recent' }], summary: 'The list to use.', default: 'DEFAULT' },
    { name: '--set', negation: 'prefix', args: [], excludes: ['--rcheck', '--update', '--remove', '--rttl'], summary: 'Add the address to the list, or refresh it; always matches.' },
    { name: '--rsource', negation: 'none', args: [], summary: 'Remember and test the source address (the default).' },
    { name: '--rdest', negation: 'none', args: [], summary: 'Remember and test the destination address.' },
    { name: '--mask', negation: 'none', args: [{ name: 'netmask', type: 'host-mask' }], summary: 'Mask applied to addresses before they are stored and compared (group a network as one entry).' },
    { name: '--rcheck', negation: 'prefix', args: [], excludes: ['--set', '--update', '--remove'], summary: 'Match when the address is in the list.' },
    { name: '--update', negation: 'prefix', args: [], excludes: ['--set', '--rcheck', '--remove'], summary: 'Like --rcheck, and record this packet as a new sighting when it matches.' },
    { name: '--remove', negation: 'prefix', args: [], excludes: ['--set', '--rcheck', '--update'], summary: 'Remove the address from the list; matches when it was there.' },
    { name: '--seconds', negation: 'none', args: [{ name: 'seconds', type: 'integer', min: 1 }], excludes: ['--set', '--remove'], summary: 'With --rcheck or --update: only count sightings within this many seconds.' },
    { name: '--reap', negation: 'none', args: [], requires: ['--seconds'], summary: 'Purge entries older than --seconds as a side effect.' },
    { name: '--hitcount', negation: 'none', args: [{ name: 'hits', type: 'integer', max: 65535 }], excludes: ['--set', '--remove'], summary: 'With --rcheck or --update: require at least this many sightings.' },
    { name: '--rttl', negation: 'none', args: [], excludes: ['--set', '--remove'], summary: 'With --rcheck or --update: also require the TTL seen when the address was added (against spoofed sources).' },
  ],
};
