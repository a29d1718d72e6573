import type { Family } from '../knowledge/types.ts';

/** A packet as the evaluator sees it; an absent field is unknown ("maybe" for any test on it). */
export interface Packet {
  family: Family;
  in?: string;
  out?: string;
  proto?: string;
  src?: string;
  sport?: number;
  dst?: string;
  dport?: number;
  /** Conntrack state: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED. */
  state: string;
  origin: 'remote' | 'local';
  /** Addresses of the host itself: a destination among them goes to INPUT. */
  local: string[];
}

const KEYS = new Set(['in', 'out', 'proto', 'src', 'sport', 'dst', 'dport', 'state', 'family', 'local', 'origin']);

/** Parses the CLI's packet SPEC: `key=value` pairs separated by blanks. */
export function parsePacketSpec(spec: string): { packet?: Packet; error?: string } {
  const p: Packet = { family: 'ipv4', state: 'NEW', origin: 'remote', local: [] };
  for (const part of spec.trim().split(/\s+/).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `'${part}' is not key=value` };
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!KEYS.has(key)) return { error: `unknown key '${key}' (keys: ${[...KEYS].join(', ')})` };
    switch (key) {
      case 'sport':
      case 'dport': {
        if (!/^\d+$/.test(value) || Number(value) > 65535) return { error: `${key} must be a port number, not '${value}'` };
        p[key] = Number(value);
        break;
      }
      case 'state':
        if (!['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'].includes(value.toUpperCase())) return { error: `state must be NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED` };
        p.state = value.toUpperCase();
        break;
      case 'family':
        if (value !== 'ipv4' && value !== 'ipv6') return { error: 'family must be ipv4 or ipv6' };
        p.family = value;
        break;
      case 'origin':
        if (value !== 'remote' && value !== 'local') return { error: 'origin must be remote or local' };
        p.origin = value;
        break;
      case 'local':
        p.local = value.split(',').filter(Boolean);
        break;
      case 'proto':
        p.proto = value.toLowerCase();
        break;
      default:
        (p as unknown as Record<string, string>)[key] = value;
    }
  }
  return { packet: p };
}
