import { serviceNames } from './services.ts';

/** A port number 0–65535 or a service name from /etc/services. */
export function checkPort(value: string): string | undefined {
  if (/^\d+$/.test(value)) return Number(value) > 65535 ? `Port ${value} is out of range (0–65535).` : undefined;
  if (serviceNames.has(value)) return undefined;
  return `'${value}' is neither a port number nor a service name in /etc/services.`;
}

export function portNumber(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  return serviceNames.get(value);
}

/** `port`, `first:last`, `:last`, `first:` (tcp/udp --sport/--dport). */
export function checkPortRange(value: string, anyOrder = false): string | undefined {
  const parts = value.split(':');
  if (parts.length > 2) return `'${value}' has more than one ':'; a range is first:last.`;
  if (parts.length === 1) return checkPort(value);
  const [a, b] = parts;
  for (const p of [a, b]) if (p !== '') {
    const e = checkPort(p);
    if (e) return e;
  }
  const na = a === '' ? 0 : portNumber(a)!;
  const nb = b === '' ? 65535 : portNumber(b)!;
  if (na > nb && !anyOrder) return `The range ${value} is reversed: iptables would swap it silently, write ${b}:${a}.`;
  return undefined;
}

/** multiport: up to 15 ports, a range counting as two. */
export function checkPortList(value: string): string | undefined {
  let count = 0;
  for (const item of value.split(',')) {
    if (!item) return 'Empty entry in the port list.';
    const e = checkPortRange(item);
    if (e) return e;
    count += item.includes(':') ? 2 : 1;
  }
  if (count > 15) return `multiport takes at most 15 ports (a range counts as two); this list counts ${count}.`;
  return undefined;
}

/** `port[-port]` (MASQUERADE/REDIRECT --to-ports). */
export function checkDashRange(value: string): string | undefined {
  // a service name may itself hold a dash (ftp-data): try the whole word first
  const m = portNumber(value) !== undefined ? [value, value] : /^(\d+)(?:-(\d+))?$/.exec(value);
  const a = m ? portNumber(m[1]) : undefined;
  const b = m?.[2] === undefined ? a : portNumber(m[2]);
  if (!m || a === undefined || b === undefined) return `'${value}' is not a port or port range (port or port-port).`;
  if (a > 65535 || b > 65535) return `Port ${Math.max(a, b)} is out of range (0–65535).`;
  if (b < a) return `The port range ${value} is reversed.`;
  return undefined;
}
