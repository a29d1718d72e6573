import type { Family } from '../types.ts';
import { portNumber } from './ports.ts';

/** Address parsing the way iptables reads `-s`, `-d` and NAT targets. */

export function parseIPv4(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  const groups = s.replace('::', ':x:').split(':').filter((g) => g !== '');
  let count = 0;
  for (const g of groups) {
    if (g === 'x') continue;
    if (g.includes('.')) {
      if (!parseIPv4(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count++;
    else return false;
  }
  return dbl.length === 2 ? count < 8 : count === 8;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?$/;

export function isHostname(s: string): boolean {
  return HOSTNAME.test(s) && !/^[\d.]+$/.test(s);
}

const other = (f: Family) => (f === 'ipv4' ? 'IPv6' : 'IPv4');

/** One address with an optional `/prefix` or `/netmask`. Host names are accepted (resolved by iptables). */
export function checkAddress(value: string, family: Family): string | undefined {
  const v = value.startsWith('!') ? value.slice(1) : value;
  const slash = v.indexOf('/');
  const host = slash === -1 ? v : v.slice(0, slash);
  const mask = slash === -1 ? undefined : v.slice(slash + 1);
  const v4 = parseIPv4(host);
  const v6 = isIPv6(host);
  if (!v4 && !v6) {
    if (/^[\d.]+$/.test(host)) return `'${host}' is not a valid IPv4 address (four numbers 0–255).`;
    if (isHostname(host)) return mask === undefined || /^\d+$/.test(mask) ? undefined : `'${mask}' is not a valid mask.`;
    return `'${host}' is not an address or host name.`;
  }
  if ((v4 && family === 'ipv6') || (v6 && family === 'ipv4')) return `'${host}' is an ${other(family)} address.`;
  if (mask !== undefined) {
    const max = v4 ? 32 : 128;
    if (/^\d+$/.test(mask)) {
      if (Number(mask) > max) return `Prefix length /${mask} is out of range: at most /${max}.`;
    } else if (v4) {
      const mm = parseIPv4(mask);
      if (!mm) return `'${mask}' is neither a prefix length nor a dotted netmask.`;
    } else if (!isIPv6(mask)) return `'${mask}' is not a valid prefix length.`;
  }
  return undefined;
}

export function checkAddressList(value: string, family: Family): string | undefined {
  for (const part of value.split(',')) {
    if (!part) return 'Empty entry in the address list.';
    const p = checkAddress(part, family);
    if (p) return p;
  }
  return undefined;
}

/** `a.b.c.d[-e.f.g.h]` (iprange). */
export function checkAddressRange(value: string, family: Family): string | undefined {
  const [from, to, ...rest] = value.split('-');
  if (rest.length) return `'${value}' has more than one '-'.`;
  for (const a of [from, to]) {
    if (a === undefined) continue;
    if (!(family === 'ipv4' ? parseIPv4(a) : isIPv6(a))) return `'${a}' is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address.`;
  }
  return undefined;
}

/** `[ipaddr[-ipaddr]][:port[-port]]` for DNAT/SNAT; IPv6 addresses with a port go in brackets. */
export function checkNatDestination(value: string, family: Family): string | undefined {
  let addr = value;
  let ports: string | undefined;
  if (family === 'ipv6' && value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close === -1) return `Missing ']' in '${value}'.`;
    addr = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest) {
      if (!rest.startsWith(':')) return `Expected ':port' after ']' in '${value}'.`;
      ports = rest.slice(1);
    }
  } else if (family === 'ipv4' || !value.includes('::')) {
    const colon = value.indexOf(':');
    if (family === 'ipv4' && colon !== -1) {
      addr = value.slice(0, colon);
      ports = value.slice(colon + 1);
    }
  }
  if (addr) {
    const r = checkAddressRange(addr, family);
    if (r) return family === 'ipv4' && isIPv6(addr.split('-')[0]) ? `'${addr}' is an IPv6 address.` : r;
  }
  if (ports !== undefined) {
    // port[-port][/baseport], ports by number or service name
    // a single service name (ftp-data), or numbers: iptables takes no names inside a range
    const m = portNumber(ports) !== undefined ? [ports, ports] : /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(ports);
    const a = m ? portNumber(m[1]) : undefined;
    const b = m?.[2] === undefined ? a : portNumber(m[2]);
    if (!m || a === undefined || b === undefined) return `'${ports}' is not a port or port range (write port or port-port).`;
    if (a > 65535 || b > 65535) return `Port ${Math.max(a, b)} is out of range (0–65535).`;
    if (b < a) return `The port range ${ports} is reversed.`;
    if (m[3] !== undefined) {
      const base = portNumber(m[3]);
      if (base === undefined || base < 1 || base > 65535) return `Base port '${m[3]}' is not valid (1–65535).`;
    }
  }
  if (!addr && ports === undefined) return 'Give an address, a port, or both.';
  return undefined;
}

export function checkMac(value: string): string | undefined {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(value) ? undefined : `'${value}' is not a MAC address (six hex pairs separated by colons).`;
}

/** Interface names: at most 15 characters, `+` only at the end as a wildcard, no slashes or blanks. */
export function checkInterface(value: string): string | undefined {
  if (!value) return 'An interface name cannot be empty.';
  if (value.length > 15) return `'${value}' is longer than the 15 characters an interface name can have.`;
  if (/[\s/]/.test(value)) return `'${value}' is not a valid interface name.`;
  return undefined;
}
