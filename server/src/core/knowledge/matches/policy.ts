import type { ExtensionSpec } from '../types.ts';

export const policy: ExtensionSpec = {
  kind: 'match',
  name: 'policy',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--dir']],
  summary: 'Match the IPsec policy a packet was decapsulated with (--dir in) or will be encapsulated with (--dir out).',
  doc: 'Without --strict, any element of the policy may satisfy the tests. With --strict, each element is described in order, separated by --next, and the whole policy must match. `--pol none` matches traffic that does not go through IPsec.',
  example: 'iptables -A FORWARD -m policy --dir in --pol ipsec --proto esp -j ACCEPT',
  mistakes: ['--dir in only works in PREROUTING, INPUT and FORWARD; --dir out only in FORWARD, OUTPUT and POSTROUTING.'],
  options: [
    {
      name: '--dir', negation: 'none', required: true,
      // measured (1.8.9): the kernel refuses `--dir in` in OUTPUT and POSTROUTING, `--dir out` in PREROUTING and INPUT
      chainsByValue: { in: ['PREROUTING', 'INPUT', 'FORWARD'], out: ['FORWARD', 'OUTPUT', 'POSTROUTING'] },
      args: [{ name: 'in|out', type: 'enum', values: ['in', 'out'], valueDocs: { in: 'The policy used to decapsulate (PREROUTING, INPUT, FORWARD).', out: 'The policy that will encapsulate (FORWARD, OUTPUT, POSTROUTING).' } }],
      summary: 'Which policy to look at: the one used on the way in, or the one for the way out.',
    },
    {
      name: '--pol', negation: 'none',
      args: [{ name: 'none|ipsec', type: 'enum', values: ['none', 'ipsec'] }],
      summary: 'Match packets that are (ipsec) or are not (none) subject to IPsec processing.',
    },
    { name: '--strict', negation: 'none', args: [], requires: ['--reqid', '--spi', '--proto', '--mode', '--tunnel-src', '--tunnel-dst'], summary: 'Describe the policy exactly, element by element, instead of matching any element.' },
    { name: '--reqid', negation: 'prefix', args: [{ name: 'id', type: 'integer' }], summary: 'Match the reqid of the policy rule (setkey unique:id).' },
    { name: '--spi', negation: 'prefix', args: [{ name: 'spi', type: 'integer' }], summary: 'Match the SPI of the security association.' },
    {
      name: '--proto', negation: 'prefix',
      args: [{ name: 'ah|esp|ipcomp', type: 'enum', ignoreCase: true, values: ['esp', 'ah', 'ipcomp', '50', '51', '108'] }],
      summary: 'Match the IPsec protocol: ah, esp or ipcomp (or their numbers).',
    },
    {
      name: '--mode', negation: 'prefix',
      args: [{ name: 'tunnel|transport', type: 'enum', values: ['tunnel', 'transport'] }],
      summary: 'Match the encapsulation mode.',
    },
    { name: '--tunnel-src', negation: 'prefix', requires: ['--mode'], args: [{ name: 'addr[/mask]', type: 'address' }], summary: 'Match the source end of a tunnel-mode SA (needs --mode tunnel).' },
    { name: '--tunnel-dst', negation: 'prefix', requires: ['--mode'], args: [{ name: 'addr[/mask]', type: 'address' }], summary: 'Match the destination end of a tunnel-mode SA (needs --mode tunnel).' },
    { name: '--next', negation: 'none', args: [], repeatable: true, requires: ['--strict'], summary: 'Start describing the next element of a --strict policy.' },
  ],
};
