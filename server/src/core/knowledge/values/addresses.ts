import type { Family } from '../types.ts';
import { toolName } from '../toolName.ts';
import { checkDashRange } from './ports.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/**
 * Addresses the way iptables reads them. IPv4 parts are read like strtoul with base 0, so
 * `010` is 8; missing parts are filled with zeros (`10` is 10.0.0.0, `10.1` is 10.1.0.0).
 * Host names are looked up once, when the rule is added.
 */

/** Strict dotted quad `a.b.c.d` with decimal parts 0–255. */
export function parseIPv4(s: string): number[] | undefined {
  return isDottedQuad(s, false) ? s.split('.').map(Number) : undefined;
}

/** `a.b.c.d` written the plain way: decimal parts 0–255 without leading zeros (which iptables may read as octal). */
export function isPlainIPv4(s: string): boolean {
  return isDottedQuad(s, true);
}

/** A strict dotted quad as one unsigned 32-bit number (an address or a dotted netmask), or undefined. */
export function ipv4Number(s: string): number | undefined {
  const p = parseIPv4(s);
  return p ? ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3] : undefined;
}

/** An IPv4 network: its address with the host bits cleared, its mask, and its prefix length when the mask is contiguous. */
export interface IPv4Network {
  net: number;
  mask: number;
  bits: number | undefined;
}

/**
 * `a.b.c.d`, `a.b.c.d/n` or `a.b.c.d/m.m.m.m` (strict dotted quads) as a network; undefined
 * for anything else (a host name, IPv6, a prefix over 32). A dotted mask need not be
 * contiguous: the kernel compares under it bit by bit.
 */
export function ipv4Network(spec: string): IPv4Network | undefined {
  const slash = spec.indexOf('/');
  const host = slash === -1 ? spec : spec.slice(0, slash);
  // iptables' short and odd forms too (`10/8` is 10.0.0.0/8, `010.1` is 8.1.0.0)
  const n = ipv4Number(host) ?? looseNumber(host);
  if (n === undefined) return undefined;
  if (slash === -1) return { net: n, mask: 0xffffffff, bits: 32 };
  const written = spec.slice(slash + 1);
  let mask: number;
  let bits: number | undefined;
  const length = prefixLength(written);
  if (length !== undefined) {
    bits = length;
    if (bits > 32) return undefined;
    mask = prefixMask(bits);
  } else {
    const m = ipv4Number(written);
    if (m === undefined) return undefined;
    mask = m;
    // the leading one bits, when nothing follows them
    const lead = Math.clz32(~m >>> 0);
    bits = prefixMask(lead) === m ? lead : undefined;
  }
  return { net: (n & mask) >>> 0, mask, bits };
}

/**
 * A prefix length as both tools read it, like strtoul with base 0: `0x20` is 32 and `010` is 8
 * (iptables -S and ip6tables -S show /32 and /8, 1.8.9); undefined for anything else.
 */
function prefixLength(written: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(written)) return parseInt(written, 16);
  if (/^0[0-7]*$/.test(written)) return parseInt(written, 8);
  return /^[1-9]\d*$/.test(written) ? Number(written) : undefined;
}

/** The private IPv4 networks (RFC 1918): hosts there need source NAT to reach the internet. */
export const PRIVATE_IPV4: readonly IPv4Network[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((n) => ipv4Network(n)!);

/** Whether `inner` lies wholly inside `outer` (both with contiguous masks). */
export function ipv4NetworkWithin(inner: IPv4Network, outer: IPv4Network): boolean {
  return inner.bits !== undefined && outer.bits !== undefined && inner.bits >= outer.bits && ((inner.net & outer.mask) >>> 0) === outer.net;
}

/** Whether two networks share an address (both with contiguous masks): the shorter mask decides. */
export function ipv4NetworksOverlap(a: IPv4Network, b: IPv4Network): boolean {
  const mask = (a.mask & b.mask) >>> 0;
  return ((a.net & mask) >>> 0) === ((b.net & mask) >>> 0);
}

/** A network inside one of the private ranges. */
export function isPrivateIPv4Network(n: IPv4Network): boolean {
  return PRIVATE_IPV4.some((p) => ipv4NetworkWithin(n, p));
}

/** An IPv4 number as a dotted quad. */
export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** An address in iptables' own reading (see parseIPv4Loose) as one unsigned 32-bit number. */
function looseNumber(s: string): number | undefined {
  const b = parseIPv4Loose(s);
  return b ? ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3] : undefined;
}

function prefixMask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** An IPv4 mask whose ones all come before its zeros (255.255.255.0, not 255.0.255.0). */
function contiguous(mask: number): boolean {
  return /^1*0*$/.test(mask.toString(2).padStart(32, '0'));
}

/**
 * `a.b.c.d`, decimal parts 0–255 of one to three digits; with `canonical`, also no leading
 * zeros. A character loop: every address of a 100k-rule dump passes through here.
 */
function isDottedQuad(s: string, canonical: boolean): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  let leadingZero = false;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (canonical && leadingZero && digits > 1)) return false;
      if (++parts > 4) return false;
      digits = value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) leadingZero = c === 48;
      if (++digits > 3) return false;
      value = value * 10 + c - 48;
    } else return false;
  }
  return parts === 4;
}

function part(p: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(p)) return parseInt(p, 16);
  if (/^0[0-7]+$/.test(p)) return parseInt(p, 8);
  if (/^(0|[1-9]\d*)$/.test(p)) return Number(p);
  return undefined;
}

/**
 * iptables' own IPv4 reading: one to four parts, each decimal, hex or octal, 0–255; the
 * missing trailing parts are zero. Returns the four bytes, or undefined.
 */
export function parseIPv4Loose(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const bytes = parts.map(part);
  if (bytes.some((b) => b === undefined || b > 255)) return undefined;
  while (bytes.length < 4) bytes.push(0);
  return bytes as number[];
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  if (/:::/.test(s)) return false;
  if ((s.startsWith(':') && !s.startsWith('::')) || (s.endsWith(':') && !s.endsWith('::'))) return false;
  const groups = s.replace('::', ':x:').split(':').filter((g) => g !== '');
  let count = 0;
  for (const [i, g] of groups.entries()) {
    if (g === 'x') continue;
    if (g.includes('.')) {
      if (i !== groups.length - 1 || !parseIPv4(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count++;
    else return false;
  }
  return dbl.length === 2 ? count < 8 : count === 8;
}

/** The eight 16-bit groups of a valid IPv6 address (see isIPv6); undefined for anything else. */
export function ipv6Groups(s: string): number[] | undefined {
  if (!isIPv6(s)) return undefined;
  const words = (part: string): number[] => {
    const out: number[] = [];
    for (const g of part.split(':').filter((x) => x !== '')) {
      if (g.includes('.')) {
        const b = parseIPv4(g)!;
        out.push(b[0] * 256 + b[1], b[2] * 256 + b[3]);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const [head, tail] = s.split('::');
  const a = words(head);
  if (tail === undefined) return a;
  const b = words(tail);
  return [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
}

/** An IPv6 address as RFC 5952 writes it: lower case, the longest run of two or more zero groups as `::`. */
export function formatIPv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * An IPv6 network: its address as eight 16-bit groups with the host bits cleared, its mask as
 * eight groups, and its prefix length when the mask is contiguous.
 */
export interface IPv6Network {
  groups: readonly number[];
  mask: readonly number[];
  bits: number | undefined;
}

/**
 * `addr`, `addr/n` (n 0–128, read as prefixLength reads it) or `addr/mask` (a mask written as an address, which
 * ip6tables takes and the kernel applies bit by bit) as a network; undefined for anything else
 * (a host name, IPv4, a prefix over 128).
 */
export function ipv6Network(spec: string): IPv6Network | undefined {
  const slash = spec.indexOf('/');
  const groups = ipv6Groups(slash === -1 ? spec : spec.slice(0, slash));
  if (!groups) return undefined;
  let mask: number[];
  let bits: number | undefined;
  if (slash === -1) {
    bits = 128;
    mask = ipv6PrefixMask(128);
  } else {
    const written = spec.slice(slash + 1);
    const length = prefixLength(written);
    if (length !== undefined) {
      bits = length;
      if (bits > 128) return undefined;
      mask = ipv6PrefixMask(bits);
    } else {
      const m = ipv6Groups(written);
      if (!m) return undefined;
      mask = m;
      const lead = leadingOnes(m);
      bits = ipv6PrefixMask(lead).every((g, i) => g === m[i]) ? lead : undefined;
    }
  }
  return { groups: groups.map((g, i) => g & mask[i]), mask, bits };
}

/** Whether the address (eight groups) lies in the network. */
export function ipv6InNetwork(address: readonly number[], n: IPv6Network): boolean {
  for (let i = 0; i < 8; i++) if ((address[i] & n.mask[i]) !== n.groups[i]) return false;
  return true;
}

/** Whether `inner` lies wholly inside `outer` (both with contiguous masks). */
export function ipv6NetworkWithin(inner: IPv6Network, outer: IPv6Network): boolean {
  return inner.bits !== undefined && outer.bits !== undefined && inner.bits >= outer.bits && ipv6InNetwork(inner.groups, outer);
}

/** A network of either family: an address test's part as iptables reads it. */
export type Network = IPv4Network | IPv6Network;

/** A network as iptables reads `spec`: IPv4 first (`10/8`), else IPv6; undefined for what is neither (a host name). */
export function network(spec: string): Network | undefined {
  return ipv4Network(spec) ?? ipv6Network(spec);
}

function v6Network(n: Network): n is IPv6Network {
  return 'groups' in n;
}

/** Whether `inner` lies wholly inside `outer`; undefined across families. */
export function networkWithin(inner: Network, outer: Network): boolean | undefined {
  if (v6Network(inner) !== v6Network(outer)) return undefined;
  return v6Network(inner) ? ipv6NetworkWithin(inner, outer as IPv6Network) : ipv4NetworkWithin(inner, outer as IPv4Network);
}

/** Whether two networks (contiguous masks) share an address; undefined across families. */
export function networksOverlap(a: Network, b: Network): boolean | undefined {
  if (v6Network(a) !== v6Network(b)) return undefined;
  if (!v6Network(a)) return ipv4NetworksOverlap(a, b as IPv4Network);
  const shorter = a.bits! <= (b as IPv6Network).bits! ? a : (b as IPv6Network);
  const longer = shorter === a ? (b as IPv6Network) : a;
  return ipv6InNetwork(longer.groups, shorter);
}

/** The mask of a prefix length 0–128 as eight groups. */
function ipv6PrefixMask(bits: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    const left = Math.max(0, Math.min(16, bits - 16 * i));
    out.push(left === 0 ? 0 : (0xffff << (16 - left)) & 0xffff);
  }
  return out;
}

/** The one bits a mask starts with. */
function leadingOnes(mask: readonly number[]): number {
  let n = 0;
  for (const g of mask) {
    if (g === 0xffff) n += 16;
    else return n + Math.clz32(~(g << 16));
  }
  return n;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?$/;

/** Looks like a host name iptables would try to resolve (not a mistyped number). */
export function isHostname(s: string): boolean {
  return HOSTNAME.test(s) && /[A-Za-z_-]/.test(s) && !/^[0-9a-fA-F:.]+$/.test(s);
}

const familyName = (f: Family) => (f === 'ipv4' ? 'IPv4' : 'IPv6');
const tool = (f: Family) => (f === 'ipv4' ? 'iptables' : 'ip6tables');

function wrongFamily(host: string, family: Family): ValueProblem {
  const other: Family = family === 'ipv4' ? 'ipv6' : 'ipv4';
  return error(`'${host}' is an ${familyName(other)} address; ${tool(family)} only takes ${familyName(family)} addresses (use ${tool(other)} for this rule).`);
}

/** The family a literal address belongs to, if it is one. */
export function literalAddressFamily(s: string): Family | undefined {
  if (isIPv6(s)) return 'ipv6';
  if (parseIPv4(s)) return 'ipv4';
  return undefined;
}

/** One host: a numeric address of the family or a host name; no mask. */
function checkHostPart(host: string, family: Family, allowNames: boolean, loose: boolean, hasMask = false): ValueProblem | undefined {
  if (host === '') return error('An address is missing.');
  if (family === 'ipv4') {
    if (isDottedQuad(host, true)) return undefined;
    if (isIPv6(host)) return wrongFamily(host, family);
    const odd = host.split('.').some((p) => /^0\d|^0x/i.test(p));
    if (parseIPv4(host) && !odd) return undefined;
    const bytes = loose ? parseIPv4Loose(host) : undefined;
    if (bytes) {
      // `10/8` is the usual short way to write a network; a lone `10` is one host, 10.0.0.0
      if (!odd && hasMask) return undefined;
      const dotted = bytes.join('.');
      return warning(`iptables reads '${host}' as ${dotted}${odd ? ' (a leading 0 means octal, 0x hex)' : ' (missing parts become 0)'}: write ${dotted} to say so.`, dotted);
    }
    if (/^[0-9.]+$/.test(host)) return error(`'${host}' is not a valid IPv4 address: four numbers 0–255 separated by dots.`);
  } else {
    if (parseIPv4(host)) return wrongFamily(host, family);
    if (isIPv6(host)) return undefined;
    if (host.startsWith('[') && host.endsWith(']') && isIPv6(host.slice(1, -1))) return error(`Write the address without brackets: '${host.slice(1, -1)}'.`, host.slice(1, -1));
    if (host.includes('%')) return error(`'${host}': zone indexes (%eth0) are not accepted; match the interface with -i instead.`, host.split('%')[0]);
    if (/^[0-9a-fA-F:.]+$/.test(host) && host.includes(':')) return error(`'${host}' is not a valid IPv6 address.`);
  }
  if (allowNames && isHostname(host)) return undefined;
  return error(`'${host}' is not ${family === 'ipv4' ? 'an IPv4' : 'an IPv6'} address${allowNames ? ' or a host name' : ''}.`);
}

/** A mask after '/': a prefix length or, for IPv4, a dotted netmask; IPv6 also takes an address-style mask. A suggestion is a mask. */
function checkMask(mask: string, family: Family): ValueProblem | undefined {
  const max = family === 'ipv4' ? 32 : 128;
  if (mask === '') return error(`The mask after '/' is missing: write a prefix length 0–${max}.`);
  if (family === 'ipv4' && mask.includes('.')) {
    const parts = mask.split('.');
    const bytes = parts.length === 4 ? parseIPv4Loose(mask) : undefined;
    if (!bytes) return error(`'${mask}' is not a valid netmask: write four numbers 0–255 (255.255.255.0) or a prefix length 0–32.`);
    if (!contiguous(looseNumber(mask)!)) return warning(`The netmask ${mask} is not contiguous; iptables takes it, but it selects scattered addresses. Did you mean a prefix length?`);
    return undefined;
  }
  if (family === 'ipv6' && mask.includes(':')) return isIPv6(mask) ? undefined : error(`'${mask}' is not a valid IPv6 mask.`);
  const n = prefixLength(mask);
  if (n !== undefined) {
    if (n > max) return error(`Prefix length /${mask} is out of range: ${familyName(family)} prefixes are 0–${max}.`, String(max));
    if (/^0[0-7]+$/.test(mask)) return warning(`/${mask} starts with 0, so ${toolName(family)} reads it as an octal number: the prefix is /${n}, not /${Number(mask)}. Write /${n} if that is what you mean.`, String(n));
    return undefined;
  }
  return error(`'${mask}' is not a valid mask: write a prefix length 0–${max}${family === 'ipv4' ? ' or a dotted netmask' : ''}.`);
}

/**
 * An IPv4 address as inet_aton reads it, as a 32-bit number: one to four parts, each decimal,
 * octal (leading 0) or hex (0x); the last part fills the bits the others leave (`24` is
 * 0.0.0.24, `10.1` is 10.0.0.1). Undefined when it is not one.
 */
function inetAton(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((p) => !/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(p))) return undefined;
  const n = parts.map((p) => Number(/^0[0-7]+$/.test(p) ? parseInt(p, 8) : p));
  const last = n[n.length - 1];
  if (n.slice(0, -1).some((x) => x > 255) || last >= 2 ** (8 * (5 - n.length))) return undefined;
  return n.slice(0, -1).reduce((acc, x, i) => acc + x * 2 ** (24 - 8 * i), 0) + last;
}

/**
 * A mask written as an address (recent's `--mask`). Measured with iptables 1.8.9: a number
 * is read as an address, so `--mask 24` is the mask 0.0.0.24 (iptables -S shows it), not /24;
 * ip6tables refuses a number.
 */
export function checkHostMask(value: string, family: Family): ValueProblem | undefined {
  if (family === 'ipv6') return isIPv6(value) ? undefined : error(`'${value}' is not an IPv6 mask: write it as an address, such as ffff:ffff:ffff:ffff:: for /64.`);
  const n = inetAton(value);
  if (n === undefined) return error(`'${value}' is not a mask: write it as an address, such as 255.255.255.0.`);
  // `0` is 0.0.0.0 either way
  if (!value.includes('.') && n !== 0) {
    const bits = Number(value);
    const meant = Number.isInteger(bits) && bits <= 32 && /^\d+$/.test(value) ? formatIPv4(prefixMask(bits)) : undefined;
    return warning(`'${value}' is read as the address ${formatIPv4(n)}, not as a prefix length: this option takes a mask written as an address${meant ? ` (${meant} for /${bits})` : ''}.`, meant);
  }
  return contiguous(n) ? undefined : warning(`The mask ${value} is not contiguous; iptables takes it, but it selects scattered addresses.`);
}

/**
 * A prefix length or a mask written as an address (connlimit's `--connlimit-mask`). Measured
 * with iptables 1.8.9: iptables reads a number up to 32 as a prefix length and a larger one as
 * an address (33 is the mask 0.0.0.33); ip6tables refuses past 128.
 */
export function checkPrefixOrMask(value: string, family: Family): ValueProblem | undefined {
  const max = family === 'ipv4' ? 32 : 128;
  if (/^(\d+|0[xX][0-9a-fA-F]+)$/.test(value)) {
    const n = Number(/^0\d/.test(value) ? parseInt(value, 8) : value);
    if (n <= max) return undefined;
    if (family === 'ipv6') return error(`/${value} is too long a prefix: at most ${max}.`, String(max));
  }
  if (family === 'ipv6') return isIPv6(value) ? undefined : error(`'${value}' is neither a prefix length (0–128) nor an IPv6 mask.`);
  const n = inetAton(value);
  if (n === undefined) return error(`'${value}' is neither a prefix length (0–32) nor a netmask.`);
  if (!value.includes('.')) return warning(`${value} is past 32, so iptables reads it as the address ${formatIPv4(n)} and uses that as the mask: connections are counted by scattered bits of the address. Write a prefix length 0–32.`);
  return contiguous(n) ? undefined : warning(`The mask ${value} is not contiguous; iptables takes it, but it counts connections by scattered bits of the address.`);
}

/** A mask of no bits (`/0`; `/0.0.0.0` for IPv4, `/::` for IPv6): iptables then takes any address, without reading it. */
export function isNullMask(mask: string, family: Family): boolean {
  return /^0+$/.test(mask) || mask === (family === 'ipv4' ? '0.0.0.0' : '::');
}

/**
 * One address with an optional `/prefix` or `/netmask`, or a host name (-s, -d, conntrack,
 * policy, ipvs, NETMAP...).
 */
export function checkAddress(value: string, family: Family, opts: { allowNames?: boolean; allowMask?: boolean } = {}): ValueProblem | undefined {
  const allowNames = opts.allowNames ?? true;
  const allowMask = opts.allowMask ?? true;
  const slash = value.indexOf('/');
  const host = slash === -1 ? value : value.slice(0, slash);
  const mask = slash === -1 ? undefined : value.slice(slash + 1);
  if (/^\d+(\.\d+){3}-\d+(\.\d+){3}$/.test(value) || (family === 'ipv6' && /^[0-9a-fA-F:]+-[0-9a-fA-F:]+$/.test(value) && value.split('-').every(isIPv6))) {
    return error(`'${value}' is a range; use -m iprange --src-range/--dst-range for ranges, or a prefix.`);
  }
  if (mask !== undefined && !allowMask) return error(`'${value}': a single address is expected here, without a mask.`, host);
  // measured (1.8.9, both tools): with a null mask the address is not even read ("any/0"), whatever it is
  if (mask !== undefined && isNullMask(mask, family)) return undefined;
  const p = checkHostPart(host, family, allowNames, true, mask !== undefined);
  if (p && p.severity !== 'warning') return p;
  if (mask !== undefined) {
    const m = checkMask(mask, family);
    // the mask's suggestion is the mask alone; the fix replaces the whole value
    if (m) return m.suggestion === undefined ? m : { ...m, suggestion: `${host}/${m.suggestion}` };
  }
  if (p) return p.suggestion !== undefined && mask !== undefined ? { ...p, suggestion: `${p.suggestion}/${mask}` } : p;
  if (mask !== undefined) return family === 'ipv4' ? hostBits(value) : hostBitsIPv6(value);
  return undefined;
}

/**
 * DNPT/SNPT `--src-pfx`, `--dst-pfx`: an IPv6 prefix and its length. The kernel takes lengths
 * 1 to 64 only, and no bits set after the prefix (ip6tables 1.8.9 on Linux 6.18, measured:
 * `dead::/48` loads; `dead::beef/64`, `dead::/65`, `dead::/0` and `dead::beef` without a
 * length are refused with "Invalid argument").
 */
export function checkNptPrefix(value: string): ValueProblem | undefined {
  const slash = value.indexOf('/');
  const host = slash === -1 ? value : value.slice(0, slash);
  if (!isIPv6(host)) return checkAddress(value, 'ipv6');
  if (slash === -1) return error(`'${value}' needs its prefix length: NPT translates a prefix of 1 to 64 bits (${host}/64).`, `${host}/64`);
  const written = value.slice(slash + 1);
  if (!/^\d+$/.test(written) || Number(written) < 1 || Number(written) > 64) return error(`'${value}': NPT translates a prefix of 1 to 64 bits; the kernel refuses /${written}.`);
  const p = hostBitsIPv6(value);
  return p && error(`'${value}' has bits set after the prefix: the kernel refuses it for NPT. Write ${p.suggestion}.`, p.suggestion);
}

/** hostBits for IPv6 with a prefix length: `2001:db8::5/64` matches all of 2001:db8::/64. */
function hostBitsIPv6(value: string): ValueProblem | undefined {
  const slash = value.indexOf('/');
  const groups = ipv6Groups(value.slice(0, slash));
  const n = ipv6Network(value);
  if (!groups || !n || n.bits === undefined || n.groups.every((g, i) => g === groups[i])) return undefined;
  const network = `${formatIPv6(n.groups)}/${n.bits}`;
  return warning(`'${value}' has bits set after the prefix: ip6tables matches the whole network ${network}. Write ${network} for the network, or ${value.slice(0, slash)} alone for the one host.`, network);
}

/**
 * `192.168.1.5/24`: an address with bits set after its prefix. iptables clears them and
 * matches the whole network, which is what a copy of `ip addr`'s output means, and not what
 * someone who meant the one host wrote: say which it is.
 */
function hostBits(value: string): ValueProblem | undefined {
  const slash = value.indexOf('/');
  const written = value.slice(0, slash);
  const strict = ipv4Number(written);
  // a short form (`10.1/8`) is read with its missing parts as zeros first
  const host = strict ?? looseNumber(written);
  const net = ipv4Network(value);
  if (host === undefined || !net || net.bits === undefined || net.net === host) return undefined;
  const dotted = (n: number) => [24, 16, 8, 0].map((k) => (n >>> k) & 255).join('.');
  const network = `${dotted(net.net)}/${net.bits}`;
  const size = 2 ** (32 - net.bits);
  const read = strict === undefined ? ` (iptables reads ${written} as ${dotted(host)})` : '';
  return warning(`'${value}' has bits set after the prefix${read}: iptables matches the whole network ${network} (${size.toLocaleString('en-US')} addresses). Write ${network} for the network, or ${dotted(host)} alone for the one host.`, network);
}

/**
 * `a.b.c.d` or `a.b.c.d/n` written the plain way (no leading zeros, n from 0 to 32): nearly
 * every -s and -d of a dump. Settled here by one pass over the characters; anything else goes
 * through the full check, which tells what is wrong.
 */
function plainIPv4Network(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash === -1) return isDottedQuad(s, true);
  const bits = s.length - slash - 1;
  if (bits < 1 || bits > 2) return false;
  const d1 = s.charCodeAt(slash + 1) - 48;
  if (d1 < 0 || d1 > 9) return false;
  let prefix = d1;
  if (bits === 2) {
    const d2 = s.charCodeAt(slash + 2) - 48;
    if (d1 === 0 || d2 < 0 || d2 > 9 || d1 * 10 + d2 > 32) return false;
    prefix = d1 * 10 + d2;
  }
  if (!isDottedQuad(s.slice(0, slash), true)) return false;
  if (prefix === 32) return true;
  // bits after the prefix (`10.0.0.1/8`) go through the full check, which reports them; read
  // without a parts array: a dump has thousands of networks
  let value = 0;
  let part = 0;
  for (let i = 0; i < slash; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      value = value * 256 + part;
      part = 0;
    } else part = part * 10 + (c - 48);
  }
  value = value * 256 + part;
  return ((value & ~prefixMask(prefix)) >>> 0) === 0;
}

/** Comma-separated addresses (-s / -d): iptables adds one rule per entry. */
export function checkAddressList(value: string, family: Family): ValueProblem | undefined {
  if (family === 'ipv4' && plainIPv4Network(value)) return undefined;
  let first: ValueProblem | undefined;
  for (const item of value.split(',')) {
    if (item === '') return error('Empty entry in the address list (two commas, or a comma at an end).');
    const p = checkAddress(item, family);
    if (p && p.severity !== 'warning') return p.suggestion !== undefined ? { ...p, suggestion: value.replace(item, p.suggestion) } : p;
    if (p && !first) first = p.suggestion !== undefined ? { ...p, suggestion: value.replace(item, p.suggestion) } : p;
  }
  return first;
}

function compare(a: string, b: string, family: Family): number {
  if (family === 'ipv4') {
    const x = parseIPv4Loose(a)!;
    const y = parseIPv4Loose(b)!;
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
  }
  const x = ipv6Groups(a);
  const y = ipv6Groups(b);
  return x && y ? compareIPv6(x, y) : 0;
}

/** The order of two IPv6 addresses (eight groups each): negative, zero or positive. */
export function compareIPv6(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** `from[-to]` (iprange, NAT address ranges): numeric addresses only. */
export function checkAddressRange(value: string, family: Family, opts: { strict?: boolean } = {}): ValueProblem | undefined {
  const ends = family === 'ipv6' ? value.split('-') : value.split('-');
  if (ends.length > 2) return error(`'${value}' has more than one '-'; a range is from-to.`);
  if (value.includes('/')) return error(`'${value}': a range takes plain addresses, no /mask. For a network, write its first and last address, or use -s/-d with a prefix.`);
  let warn: ValueProblem | undefined;
  for (const a of ends) {
    const p = checkHostPart(a, family, false, !opts.strict);
    if (p && (p.severity !== 'warning' || opts.strict)) return p;
    if (p && opts.strict) return error(p.message);
    warn ??= p;
  }
  if (ends.length === 2 && compare(ends[0], ends[1], family) > 0) return warning(`The range ${value} is reversed and never matches: write ${ends[1]}-${ends[0]}.`, `${ends[1]}-${ends[0]}`);
  return warn;
}

/** An address with a port as iptables writes them: an IPv6 address in brackets (`[2001:db8::10]:8080`). */
export function addressWithPort(address: string, port: number | undefined): string {
  if (port === undefined) return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * The first address and the ports of a NAT target's `[ipaddr[-ipaddr]][:port[-port]]`, read
 * as iptables reads it: an IPv6 address with a port in brackets, a value with one colon an
 * address and a port, with more an IPv6 address alone (`::1`). Either part may be missing.
 */
export function natAddressAndPort(value: string): { address?: string; port?: string } {
  let address = value;
  let port: string | undefined;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    address = close === -1 ? value.slice(1) : value.slice(1, close);
    if (close !== -1 && value[close + 1] === ':') port = value.slice(close + 2);
  } else {
    const colon = value.indexOf(':');
    if (colon !== -1 && value.indexOf(':', colon + 1) === -1) {
      address = value.slice(0, colon);
      port = value.slice(colon + 1);
    }
  }
  address = address.split('-')[0];
  return { ...(address ? { address } : {}), ...(port ? { port } : {}) };
}

/**
 * `[ipaddr[-ipaddr]][:port[-port[/baseport]]]` for DNAT and SNAT. IPv6 addresses followed by
 * a port go in brackets: `[2001:db8::1]:80`, ranges inside them: `[a-b]:80`.
 */
export function checkNatDestination(value: string, family: Family): ValueProblem | undefined {
  let addr = value;
  let ports: string | undefined;
  if (value === '') return error('Give an address, a port, or both.');
  if (family === 'ipv6') {
    if (value.startsWith('[')) {
      const close = value.indexOf(']');
      if (close === -1) return error(`Missing ']' in '${value}'.`);
      addr = value.slice(1, close);
      const rest = value.slice(close + 1);
      if (rest !== '') {
        if (!rest.startsWith(':')) return error(`Expected ':port' after ']' in '${value}'; a range goes inside the brackets: [from-to]:port.`);
        ports = rest.slice(1);
      }
    } else if (parseIPv4(value.split(/[-:]/)[0])) {
      return wrongFamily(value.split(/[-:]/)[0], family);
    }
  } else {
    const colon = value.indexOf(':');
    if (colon !== -1) {
      const before = value.slice(0, colon);
      // a dot before the first colon rules IPv6 out (its dotted tail comes after the last colon)
      if ((!before.includes('.') && isIPv6(value.split('-')[0])) || (before !== '' && !/^[0-9.-]+$/.test(before))) {
        const host = value.split('-')[0];
        return isIPv6(host) ? wrongFamily(host, family) : error(`'${before}' is not an IPv4 address.`);
      }
      addr = before;
      ports = value.slice(colon + 1);
    }
  }
  if (addr !== '') {
    const r = checkAddressRange(addr, family, { strict: true });
    if (r && r.severity !== 'warning') return r.message.includes('is not') && isHostname(addr) ? error(`'${addr}': NAT targets take numeric addresses only, no host names.`) : r;
    if (r) return r;
  }
  if (ports !== undefined) {
    if (ports === '') return error(`Nothing after ':' in '${value}': write a port or first-last.`);
    return checkDashRange(ports, true);
  }
  return undefined;
}

/** Comma-separated plain IPv6 addresses (rt --rt-0-addrs), at most 16. */
export function checkIPv6AddressList(value: string, maxItems = 16): ValueProblem | undefined {
  const items = value.split(',');
  if (items.length > maxItems) return error(`At most ${maxItems} addresses can be listed; this list has ${items.length}.`);
  for (const a of items) {
    const p = checkHostPart(a, 'ipv6', false, false);
    if (p) return p;
  }
  return undefined;
}

export function checkMac(value: string): ValueProblem | undefined {
  if (/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(value)) return undefined;
  if (/^[0-9a-fA-F]{2}([-.][0-9a-fA-F]{2}){5}$/.test(value)) return error(`'${value}': separate the six bytes with ':'.`, value.replace(/[-.]/g, ':'));
  return error(`'${value}' is not a MAC address: six hex bytes separated by ':', like 00:11:22:33:44:55.`);
}
