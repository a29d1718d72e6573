import type { ExtensionSpec } from '../types.ts';

export const u32: ExtensionSpec = {
  kind: 'match',
  name: 'u32',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--u32']],
  summary: 'Match any 1–4 bytes of the packet against values, with a small language that can follow header lengths.',
  doc: 'Each test reads 4 bytes at an offset from the IP header, reshapes them with `&` (mask), `<<`, `>>`, and moves on to the next header with `@`, then checks the result against values or ranges: `location = value[,value|n:m]`. Tests are joined with `&&` (at most 10). Quote the whole argument.',
  example: 'iptables -A INPUT -m u32 --u32 "0 & 0xFFFF = 0x100:0xFFFF" -j LOG --log-prefix "big packet: "',
  options: [
    {
      name: '--u32', negation: 'prefix', required: true,
      args: [{ name: 'tests', type: 'u32-tests' }],
      summary: 'The tests, as one quoted argument.',
      example: '--u32 "6 & 0xFF = 1 && 4 & 0x3FFF = 0"',
    },
  ],
};
