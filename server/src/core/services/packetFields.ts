import { isIPv6, natAddressAndPort, parseIPv4 } from '../knowledge/values/addresses.ts';
import { portNumber } from '../knowledge/values/ports.ts';
import type { Condition, RuleSet } from '../model/types.ts';
import { PACKET_KEYS, PACKET_STATES, type PacketKey } from '../simulate/packet.ts';

/** What each SPEC key means, for the editor's packet input. */
export const PACKET_KEY_DOCS: Record<PacketKey, string> = {
  in: 'interface the packet arrives on',
  out: 'interface the packet leaves by',
  proto: 'protocol (tcp, udp, icmp…)',
  src: 'source address',
  sport: 'source port',
  dst: 'destination address',
  dport: 'destination port',
  'icmp-type': 'ICMP (ICMPv6) type: a name or type[/code]',
  state: 'conntrack state (NEW by default)',
  family: "ipv4 or ipv6; without it, the first address's family, else the file's",
  local: "the host's own addresses, comma-separated: a destination among them goes to INPUT",
  origin: 'remote (default) or local: a packet the host sends itself, through OUTPUT',
};

export interface PacketFields {
  keys: { key: PacketKey; detail: string }[];
  /** Values worth offering per key: fixed ones, and those the rules mention. */
  values: Record<PacketKey, string[]>;
}

const MAX_VALUES = 200;

/** A set that keeps first-seen order and stops growing at a bound (100k-rule dumps). */
class Seen {
  readonly items = new Set<string>();
  add(v: string | undefined): void {
    if (v !== undefined && v !== '' && this.items.size < MAX_VALUES) this.items.add(v);
  }
  list(): string[] {
    return [...this.items];
  }
}

/**
 * Keys and the values a packet SPEC can take for this rule set: the interfaces,
 * addresses, ports and protocols its rules name, so the user picks a packet the rules
 * are about rather than typing one blind.
 */
export function packetFields(rs: RuleSet): PacketFields {
  const ifaces = new Seen();
  const addresses = new Seen();
  const ports = new Seen();
  const protos = new Seen();
  const icmpTypes = new Seen();
  const isAddress = (v: string) => !!parseIPv4(v) || isIPv6(v);
  const exact = (c: Condition | undefined) => (c && !c.word.dynamic ? c.value : undefined);
  const iface = (c: Condition | undefined) => {
    const v = exact(c);
    if (v && !v.endsWith('+')) ifaces.add(v);
  };
  const address = (v: string | undefined) => {
    for (const part of (v ?? '').split(',')) {
      const [a, mask] = part.split('/');
      // a network is not a packet's address; a host route is
      if ((mask === undefined || mask === '32' || mask === '128') && isAddress(a)) addresses.add(a);
    }
  };
  const port = (v: string) => {
    for (const part of v.split(/[,:]/)) {
      const n = part === '' ? undefined : portNumber(part);
      if (n !== undefined) ports.add(String(n));
    }
  };
  for (const t of rs.tables.values()) {
    for (const c of t.chains.values()) {
      for (const r of c.rules) {
        iface(r.inInterface);
        iface(r.outInterface);
        address(exact(r.source));
        address(exact(r.destination));
        const p = exact(r.protocol);
        if (p && p !== 'all') protos.add(p.toLowerCase());
        for (const o of r.options) {
          const v = o.values[0];
          if (!v || v.dynamic) continue;
          if (o.name === '--icmp-type' || o.name === '--icmpv6-type') icmpTypes.add(v.value);
          else if (o.name === '--destination-port' || o.name === '--source-port' || o.name === '--destination-ports' || o.name === '--source-ports' || o.name === '--ports' || o.name === '--to-ports') port(v.value);
          else if (o.name === '--to-destination' || o.name === '--to-source') {
            const { address: a, port: p } = natAddressAndPort(v.value);
            if (a) address(a);
            if (p && /^\d+/.test(p)) ports.add(/^\d+/.exec(p)![0]);
          }
        }
      }
    }
  }
  const hasV6 = [...rs.tables.values()].some((t) => t.family === 'ipv6');
  for (const p of ['tcp', 'udp', 'icmp', ...(hasV6 ? ['icmpv6'] : [])]) protos.add(p);
  for (const t of ['echo-request', ...(hasV6 ? ['neighbour-solicitation', 'neighbour-advertisement'] : [])]) icmpTypes.add(t);
  const addressList = addresses.list();
  return {
    keys: PACKET_KEYS.map((key) => ({ key, detail: PACKET_KEY_DOCS[key] })),
    values: {
      in: ifaces.list(),
      out: ifaces.list(),
      proto: protos.list(),
      src: addressList,
      sport: ports.list(),
      dst: addressList,
      dport: ports.list(),
      'icmp-type': icmpTypes.list(),
      state: [...PACKET_STATES],
      family: ['ipv4', 'ipv6'],
      local: addressList,
      origin: ['remote', 'local'],
    },
  };
}
