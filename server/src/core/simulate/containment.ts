import type { BoundOption, Condition, Rule } from '../model/types.ts';
import { protocolNumber } from '../knowledge/index.ts';
import { networkWithin } from '../knowledge/values/addresses.ts';
import { interfaceMatches, listInSinglePort, parsedNetworks } from './conditions.ts';
import { PACKET_STATES } from './packet.ts';

/**
 * Does every packet that `b` matches also match `a`? Proved only from tests we understand
 * exactly (protocol, addresses and prefixes, interfaces with `+`, ports and ranges,
 * conntrack states); anything else makes the answer "no" (not provable).
 */
export function covers(a: Rule, b: Rule): boolean {
  return coversBut(a, b, undefined);
}

/**
 * The connection states of `b`'s packets that `a` matches, where `a` tests one set of states
 * (`-m conntrack --ctstate NEW`, `-m state --state ESTABLISHED,RELATED`) and covers `b` in all
 * its other tests: a chain that accepts ESTABLISHED,RELATED, drops INVALID and accepts NEW for
 * port 22 decides every packet to port 22 with three rules, none of which covers it alone.
 * Undefined otherwise.
 */
export function statesCovered(a: Rule, b: Rule): readonly string[] | undefined {
  const o = stateTest(a);
  if (!o || o.negated) return undefined;
  const states = statesOf(o);
  if (!states || !coversBut(a, b, o)) return undefined;
  return states;
}

/** The one state test of rule `r` (conntrack's --ctstate, state's --state), undefined where it has none or several. */
export function stateTest(r: Rule): BoundOption | undefined {
  let found: BoundOption | undefined;
  for (const m of r.matches) {
    for (const o of m.options) {
      if (o.name !== '--ctstate' && o.name !== '--state') continue;
      if (found) return undefined;
      found = o;
    }
  }
  return found;
}

/** The states a state test names (upper case), when each is one of a packet's states (not conntrack's SNAT or DNAT). */
export function statesOf(o: BoundOption): string[] | undefined {
  const v = o.values[0];
  if (!v || v.dynamic) return undefined;
  const states = v.value.toUpperCase().split(',');
  return states.every((x) => (PACKET_STATES as readonly string[]).includes(x)) ? states : undefined;
}

/** covers(), leaving out `skip`, one of `a`'s options. */
function coversBut(a: Rule, b: Rule, skip: BoundOption | undefined): boolean {
  if (a.dynamic || b.dynamic || a.problems.length || b.problems.length) return false;
  if (!coversProto(a.protocol, b.protocol)) return false;
  if (!coversAddress(a.source, b.source) || !coversAddress(a.destination, b.destination)) return false;
  if (!coversIface(a.inInterface, b.inInterface) || !coversIface(a.outInterface, b.outInterface)) return false;
  if (a.fragment && (!b.fragment || a.fragment.negated !== b.fragment.negated)) return false;
  for (const m of a.matches) {
    if (m.name === 'comment') continue;
    if (!m.spec) return false;
    for (const o of m.options) if (o !== skip && !coversOption(o, b)) return false;
  }
  return true;
}

function plain(c: Condition | undefined): c is Condition {
  return !!c && !c.negated && !c.word.dynamic;
}

function coversProto(a: Condition | undefined, b: Condition | undefined): boolean {
  if (!a) return true;
  if (!plain(a) || !plain(b)) return false;
  const na = protocolNumber(a.value);
  return na === 0 || (na !== undefined && na === protocolNumber(b.value));
}

function coversAddress(a: Condition | undefined, b: Condition | undefined): boolean {
  if (!a) return true;
  if (!plain(a) || !plain(b)) return false;
  // as iptables reads them (host bits cleared, `10/8` filled with zeros), each parsed once per
  // test: a chain's rules are compared with each other pairwise. A host name is not known to
  // cover anything, itself included: each rule looks it up, and a name with several addresses
  // may answer in another order or with others
  const outer = parsedNetworks(a);
  return parsedNetworks(b).every((i) => i !== undefined && outer.some((o) => o !== undefined && networkWithin(i, o) === true));
}

function coversIface(a: Condition | undefined, b: Condition | undefined): boolean {
  if (!a) return true;
  if (!plain(a) || !plain(b)) return false;
  if (b.value.endsWith('+')) return a.value.endsWith('+') && b.value.startsWith(a.value.slice(0, -1));
  return interfaceMatches(a.value, b.value);
}

/** Each port test's ranges, read once: chains are compared pairwise, and an evaluation compares each rule with every assumption before it. */
const rangesRead = new WeakMap<BoundOption, [number, number][] | null>();

function ranges(o: BoundOption): [number, number][] | undefined {
  let r = rangesRead.get(o);
  if (r === undefined) rangesRead.set(o, (r = readRanges(o) ?? null));
  return r ?? undefined;
}

function readRanges(o: BoundOption): [number, number][] | undefined {
  const v = o.values[0];
  if (!v || v.dynamic || o.negated || listInSinglePort(o)) return undefined;
  const out: [number, number][] = [];
  for (const part of v.value.split(',')) {
    const [lo, hi] = part.includes(':') ? part.split(':') : [part, part];
    const l = lo === '' ? 0 : Number(lo);
    const h = hi === '' ? 65535 : Number(hi);
    if (!Number.isInteger(l) || !Number.isInteger(h)) return undefined;
    out.push([Math.min(l, h), Math.max(l, h)]);
  }
  return out;
}

const PORT_KIND: Record<string, 'src' | 'dst'> = { '--source-port': 'src', '--source-ports': 'src', '--destination-port': 'dst', '--destination-ports': 'dst' };

function coversOption(a: BoundOption, b: Rule): boolean {
  const kind = PORT_KIND[a.name];
  if (kind) {
    const ra = ranges(a);
    if (!ra) return false;
    for (const m of b.matches) {
      for (const o of m.options) {
        if (PORT_KIND[o.name] !== kind) continue;
        const rb = ranges(o);
        if (rb && rb.every(([l, h]) => ra.some(([L, H]) => L <= l && h <= H))) return true;
      }
    }
    return false;
  }
  if (a.name === '--ctstate' || a.name === '--state') {
    const va = a.values[0];
    if (!va || va.dynamic || a.negated) return false;
    const sa = new Set(va.value.toUpperCase().split(','));
    // a state written without its value (`--ctstate -j DROP`, a syntax error) covers nothing
    for (const m of b.matches) {
      for (const o of m.options) {
        if (o.name !== '--ctstate' && o.name !== '--state') continue;
        const vb = o.values[0];
        if (!o.negated && !!vb && !vb.dynamic && vb.value.toUpperCase().split(',').every((s) => sa.has(s))) return true;
      }
    }
    return false;
  }
  return false;
}
