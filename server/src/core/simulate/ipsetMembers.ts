import type { Family } from '../knowledge/types.ts';
import { setsOfIpsetSave } from '../model/ipsetSteps.ts';
import type { BoundOption, MatchUse, RuleSet } from '../model/types.ts';
import { inAddressRange, inNetwork } from './conditions.ts';
import type { Packet } from './packet.ts';
import { and, not, type Tri } from './tristate.ts';

/** A set the host holds, as `ipset save` lists it. */
export interface IpsetMembers {
  type: string;
  family?: Family;
  /** Entries as written (`10.0.0.1`, `10.0.0.0/24`, `10.0.0.1-10.0.0.9`), their options left out. */
  members: string[];
  /** hash:net entries marked `nomatch`: exceptions inside the members' networks. */
  nomatch: string[];
}

/**
 * The sets of an `ipset save` listing with their members: the sets as `ipset restore` makes
 * them (setsOfIpsetSave; `made`, where the caller has them already), then each
 * `add NAME ENTRY [timeout N] [nomatch] …` line's entry.
 */
export function parseIpsetSave(text: string, made: ReturnType<typeof setsOfIpsetSave> = setsOfIpsetSave(text)): Map<string, IpsetMembers> {
  const sets = new Map<string, IpsetMembers>();
  for (const s of made) sets.set(s.name, { type: s.type ?? '', ...(s.family ? { family: s.family } : {}), members: [], nomatch: [] });
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    const s = w[0] === 'add' && w.length >= 3 ? sets.get(w[1]) : undefined;
    if (s) (w.includes('nomatch') ? s.nomatch : s.members).push(w[2]);
  }
  return sets;
}

/** Set types whose entries are addresses or networks alone: membership is the packet's address in one. */
const ADDRESS_SETS = new Set(['hash:ip', 'hash:net', 'bitmap:ip']);

/** Does `addr` fall in an entry: an address, a network, or a range `a-b` (IPv4)? */
function inEntry(addr: string, entry: string): Tri {
  return entry.includes('-') ? inAddressRange(addr, entry) : inNetwork(addr, entry);
}

/** Whether the packet's address is a member: in some entry and in no nomatch exception. */
function member(s: IpsetMembers, addr: string): Tri {
  let r: Tri = 'no';
  for (const e of s.members) {
    const t = inEntry(addr, e);
    if (t === 'yes') {
      r = 'yes';
      break;
    }
    if (t === 'maybe') r = 'maybe';
  }
  // an exception inside a member network wins where it is more specific: not worked out here
  if (r !== 'no' && s.nomatch.some((e) => inEntry(addr, e) !== 'no')) return 'maybe';
  return r;
}

/**
 * `-m set --match-set NAME src|dst` against the sets the packet's host holds (Packet.sets):
 * decided for sets of addresses or networks and one direction; anything else (ports in the
 * set, several directions, counters, a set not listed) stays undecided.
 */
export function setMatchCond(m: MatchUse, p: Packet): Tri {
  let r: Tri = 'yes';
  for (const o of m.options) r = and(r, o.name === '--match-set' ? matchSetOption(o, p) : o.name === '--update-counters' || o.name === '--update-subcounters' ? 'yes' : 'maybe');
  return r;
}

function matchSetOption(o: BoundOption, p: Packet): Tri {
  const [name, flags] = o.values;
  const s = name && !name.dynamic ? p.sets?.get(name.value) : undefined;
  if (!s || !flags || flags.dynamic || !ADDRESS_SETS.has(s.type) || (flags.value !== 'src' && flags.value !== 'dst')) return 'maybe';
  const addr = flags.value === 'src' ? p.src : p.dst;
  if (addr === undefined || (s.family ?? 'ipv4') !== p.family) return 'maybe';
  const t = member(s, addr);
  return o.negated ? not(t) : t;
}

/**
 * The sets a script makes and fills, as they stand once it has run, for its packet trace:
 * those it creates once and only adds plain entries to, all outside any shell condition. A
 * set it deletes entries from, empties, renames or destroys, fills with an expansion or under
 * a condition, or restores from a here-document (whose adds are not followed) is left out
 * (its members are not known), and so is every set where the script restores sets from a
 * file or names one with an expansion.
 */
export function scriptSetMembers(rs: RuleSet): Map<string, IpsetMembers> | undefined {
  const steps = rs.ipsets;
  if (!steps?.length || steps.some((s) => s.kind === 'unknown')) return undefined;
  const sets = new Map<string, IpsetMembers>();
  const unknown = new Set<string>();
  for (const s of steps) {
    const name = s.name;
    if (name === undefined) return undefined;
    if (s.kind === 'create' && !sets.has(name) && s.guard === 0 && !s.restored) sets.set(name, { type: s.type ?? '', ...(s.family ? { family: s.family } : {}), members: [], nomatch: [] });
    else if (s.kind === 'fill' && s.adds !== undefined && s.guard === 0 && !/[$`]/.test(s.adds) && sets.has(name)) {
      const set = sets.get(name)!;
      (s.nomatch ? set.nomatch : set.members).push(s.adds);
    } else unknown.add(name);
  }
  for (const name of unknown) sets.delete(name);
  return sets.size ? sets : undefined;
}
