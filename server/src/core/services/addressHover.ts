import type { Family } from '../knowledge/types.ts';
import { formatIPv4, formatIPv6, ipv4Network, ipv6Network, isPlainIPv4 } from '../knowledge/values/addresses.ts';

/**
 * What an address value (`-s`, `-d`, a match's address) means as the kernel reads it: for each
 * network of a list, how many addresses and the first and last, and the network iptables
 * stores where it is written another way (`10.1/16`, `192.168.1.5/24`, a mask written as an
 * address, `2001:DB8:0::/32`). Host names and expansions say nothing here.
 */
export function addressHover(value: string, family: Family): string | undefined {
  const lines: string[] = [];
  for (const part of value.split(',')) {
    const line = family === 'ipv4' ? ipv4Line(part) : ipv6Line(part);
    if (line) lines.push(line);
  }
  return lines.length ? lines.join('\n\n') : undefined;
}

function ipv4Line(part: string): string | undefined {
  const n = ipv4Network(part);
  if (!n) return undefined;
  if (n.bits === undefined) return `**${part}** — the mask ${formatIPv4(n.mask)} is not a prefix: the kernel compares the address under it bit by bit, so the matching addresses are scattered (${formatIPv4(n.net)} with any value in the bits the mask leaves out).`;
  const stored = n.bits === 32 ? formatIPv4(n.net) : `${formatIPv4(n.net)}/${n.bits}`;
  const [address, prefix] = part.split('/');
  const asWritten = isPlainIPv4(address) && address === formatIPv4(n.net) && (prefix === undefined || prefix === String(n.bits));
  const size = 2 ** (32 - n.bits);
  return `**${part}** — ${extent(n.bits, 32, size.toLocaleString('en-US'), formatIPv4(n.net), formatIPv4((n.net + size - 1) >>> 0))}${asWritten ? '' : `; iptables reads it as ${stored}`}.`;
}

function ipv6Line(part: string): string | undefined {
  const n = ipv6Network(part);
  if (!n) return undefined;
  const first = formatIPv6(n.groups);
  if (n.bits === undefined) return `**${part}** — the mask ${formatIPv6(n.mask)} is not a prefix: the kernel compares the address under it bit by bit, so the matching addresses are scattered (${first} with any value in the bits the mask leaves out).`;
  const stored = n.bits === 128 ? first : `${first}/${n.bits}`;
  const last = formatIPv6(n.groups.map((g, i) => g | (~n.mask[i] & 0xffff)));
  const host = 128 - n.bits;
  // up to 2^53 the count is exact; past it, a power of two says it
  const size = host <= 53 ? (2 ** host).toLocaleString('en-US') : `2^${host}`;
  return `**${part}** — ${extent(n.bits, 128, size, first, last)}${part.toLowerCase() === stored || part.toLowerCase() === `${stored}/128` ? '' : `; ip6tables reads it as ${stored}`}.`;
}

/** One address, every address, or how many and the first and last. */
function extent(bits: number, all: number, size: string, first: string, last: string): string {
  if (bits === all) return 'one address';
  if (bits === 0) return 'every address: the same as no test';
  return `${size} addresses, ${first} to ${last}`;
}
