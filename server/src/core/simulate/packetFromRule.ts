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
  if (mask === undefined || mask === '32' || mask === '128') return addr;
  return undefined;
}

/** `--dport 80`, `--dport http` or `--dports 443` of the rule's matches; ranges and lists stay unknown. */
function exactPort(rule: Rule, names: string[]): number | undefined {
  const o = rule.matches.flatMap((m) => m.options).find((x) => names.includes(x.name));
  const v = o?.values[0];
  if (!o || o.negated || !v || v.dynamic || /[:,]/.test(v.value)) return undefined;
  return portNumber(v.value);
}

/**
 * The first packet of a new connection that a rule (a DNAT, say) is written for: its
 * interface, protocol, destination and ports where the rule names exactly one, anything
 * else unknown (the source, a range of ports, an interface wildcard). Tracing this packet
 * shows what happens to the connections the rule is about.
 */
export function packetMatchedBy(rule: Rule): Packet {
  const inIf = exact(rule.inInterface);
  const outIf = exact(rule.outInterface);
  const proto = exact(rule.protocol)?.toLowerCase();
  return {
    family: rule.family,
    in: inIf && !inIf.endsWith('+') ? inIf : undefined,
    out: outIf && !outIf.endsWith('+') ? outIf : undefined,
    proto: proto === 'all' ? undefined : proto,
    src: exactAddress(rule.source),
    sport: exactPort(rule, ['--source-port', '--source-ports']),
    dst: exactAddress(rule.destination),
    dport: exactPort(rule, ['--destination-port', '--destination-ports']),
    state: 'NEW',
    // rules of OUTPUT see the host's own packets
    origin: rule.chain === 'OUTPUT' ? 'local' : 'remote',
    local: [],
  };
}
