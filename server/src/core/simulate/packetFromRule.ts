import { portNumber } from '../knowledge/values/ports.ts';
import type { Condition, Rule } from '../model/types.ts';
import type { Packet } from './packet.ts';

/** A test's one exact value, or undefined when it is negated, a shell expansion, or a set of values. */
function exact(c: Condition | undefined): string | undefined {
  if (!c || c.negated || c.word.dynamic) return undefined;
  return c.value;
}

/** `-d a.b.c.d` or `a.b.c.d/32` (or `/128`): the one address; networks and lists stay unknown. */
function exactAddress(c: Condition | undefined): string | undefined {
  const v = exact(c);
  if (!v || v.includes(',')) return undefined;
  const [addr, mask] = v.split('/');
  // a host's prefix: /32 of IPv4, /128 of IPv6 (an IPv6 /32 is a network)
  if (mask === undefined || mask === (addr.includes(':') ? '128' : '32')) return addr;
  return undefined;
}

/** `--dport 80`, `--dport http` or `--dports 443` of the rule's matches; ranges and lists stay unknown. */
function exactPort(rule: Rule, names: readonly string[]): number | undefined {
  // loops, not flatMap: DNAT checks ask this for every DNAT of a kube-proxy dump
  for (const m of rule.matches) {
    for (const o of m.options) {
      if (!names.includes(o.name)) continue;
      const v = o.values[0];
      if (o.negated || !v || v.dynamic || /[:,]/.test(v.value)) return undefined;
      return portNumber(v.value);
    }
  }
  return undefined;
}

const SOURCE_PORT = ['--source-port', '--source-ports'];
const DESTINATION_PORT = ['--destination-port', '--destination-ports'];

/** The one interface a condition names, if exactly one (no wildcard, no negation, no shell expansion). */
export function exactInterface(c: Condition | undefined): string | undefined {
  const v = exact(c);
  return v && !v.endsWith('+') ? v : undefined;
}

/** The one input interface the rule names, if exactly one. */
export function exactInInterface(rule: Rule): string | undefined {
  return exactInterface(rule.inInterface);
}

/** The one protocol the rule names (lower case), if any; `all` is none. */
export function exactProtocol(rule: Rule): string | undefined {
  const p = exact(rule.protocol)?.toLowerCase();
  return p === 'all' ? undefined : p;
}

/** The one destination port the rule's matches name, if exactly one. */
export function exactDestinationPort(rule: Rule): number | undefined {
  return exactPort(rule, DESTINATION_PORT);
}

/**
 * The first packet of a new connection that a rule (a DNAT, say) is written for: its
 * interface, protocol, destination and ports where the rule names exactly one, anything
 * else unknown (the source, a range of ports, an interface wildcard). Tracing this packet
 * shows what happens to the connections the rule is about.
 */
export function packetMatchedBy(rule: Rule): Packet {
  return {
    family: rule.family,
    in: exactInInterface(rule),
    out: exactInterface(rule.outInterface),
    proto: exactProtocol(rule),
    src: exactAddress(rule.source),
    sport: exactPort(rule, SOURCE_PORT),
    dst: exactAddress(rule.destination),
    dport: exactDestinationPort(rule),
    state: 'NEW',
    // rules of OUTPUT see the host's own packets
    origin: rule.chain === 'OUTPUT' ? 'local' : 'remote',
    local: [],
  };
}

/** The packet fields packetMatchedBy fills from a rule's tests. */
const RULE_FIELDS = ['in', 'out', 'proto', 'src', 'sport', 'dst', 'dport'] as const;

/**
 * The first packet of a new connection both rules are written for (see packetMatchedBy): each
 * field one of them names exactly, or undefined where both name one and they differ. Its
 * origin is the second rule's.
 */
export function packetMatchedByBoth(a: Rule, b: Rule): Packet | undefined {
  const first = packetMatchedBy(a);
  const out = packetMatchedBy(b);
  for (const f of RULE_FIELDS) {
    const x = first[f];
    if (x === undefined) continue;
    const y = out[f];
    if (y !== undefined && y !== x) return undefined;
    (out as unknown as Record<string, unknown>)[f] = x;
  }
  return out;
}
