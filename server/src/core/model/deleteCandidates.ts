import { protocolNumber } from '../knowledge/protocols.ts';
import type { ArgSpec } from '../knowledge/types.ts';
import { ipv4Network, ipv4Number, ipv6Network, isPlainIPv4 } from '../knowledge/values/addresses.ts';
import { ctStates } from '../knowledge/values/conntrack.ts';
import { parseBigNumber } from '../knowledge/values/integers.ts';
import { readsPortsByResolver, resolvePort } from '../knowledge/values/ports.ts';
import { storedRate, writtenRateUnit } from '../knowledge/values/rates.ts';
import { logLevelNumber, rejectTypeName } from '../knowledge/values/enums.ts';
import type { Family } from '../knowledge/types.ts';
import type { BoundOption, Chain, Condition, MatchUse, Rule, TargetUse } from './types.ts';

/**
 * The rules of `chain` that may be the one `-D CHAIN spec` names when none reads the same
 * (see ruleKey); undefined when any rule may be (the spec has a shell expansion or a problem of
 * its own). None in a chain whose every rule is known: iptables refuses the command.
 *
 * The values of a rule are written in many ways iptables stores alike, and options left at
 * their defaults (`--limit-burst 5`, `--log-level 4`) are the same rule as options left out
 * (1.8.9, measured), so rules are told apart only by what is stored one way: where they jump,
 * the protocol number, IPv4 and IPv6 networks, interfaces, the matches they load in their order, and the values of
 * the options both give, of a match or of the target, whose every spelling is known here (ports, connection states,
 * comments and names, marks, limit and hashlimit rates, iprange's ranges, log prefixes and levels,
 * reject types, NAT addresses and ports, conntrack's addresses). Measured with iptables 1.8.9 (nft): a `-D` with a match the rule lacks, without
 * one it has (`-m comment`, `-m tcp` alone), with `-m state` for `-m conntrack`, with its matches in another order, with another
 * port, range, port list order or comment, or with an option negated the other way is refused;
 * `--dport ssh` deletes `--dport 22:22`, `--state related,established` deletes
 * `--state ESTABLISHED,RELATED`, multiport `ssh,http` deletes `22,80`, `--mark 16/240` deletes
 * `--mark 0x10/0xf0` and `--mark 010` deletes `--mark 8`; another mask is refused; `--limit
 * 60/min` deletes `--limit 1/s`, `--limit 7` deletes `7/second` (not `7/hour`); iprange's
 * `10.0.0.7` deletes `10.0.0.7-10.0.0.7`, another end is refused. Targets: `--log-level warning`
 * deletes `4`, another level or a prefix differing in its first 29 characters is refused;
 * `--reject-with tcp-rst` deletes `tcp-reset` (names in any case); DNAT's `10.0.0.5:8080`
 * deletes `10.0.0.5-10.0.0.5:8080-8080` but not `10.0.0.5`, REDIRECT's `8082` deletes
 * `8082-8082`; MARK's `--set-mark 0x10/0x0f` deletes `16/0x1f` (the mask takes the value's
 * bits), `--set-xmark` keeps its mask as given. hashlimit's `5/min` deletes `5/minute`; its
 * `60/min` does not delete `1/sec` (the table's expiry follows the unit written). conntrack's
 * `--ctorigsrc 10.0.0.0/24` is not deleted by `10.0.0.0/25` nor by its negation.
 */
export function deleteCandidates(chain: Chain, deleted: Rule): Rule[] | undefined {
  if (deleted.dynamic || deleted.problems.length) return undefined;
  const target = targetKey(deleted);
  const proto = protocolOf(deleted.protocol);
  const src = networkOf(deleted.source);
  const dst = networkOf(deleted.destination);
  const inIface = interfaceOf(deleted.inInterface);
  const outIface = interfaceOf(deleted.outInterface);
  const matches = matchesOf(deleted);
  return chain.rules.filter(
    (r) =>
      r.dynamic ||
      r.problems.length ||
      (targetKey(r) === target &&
        !differ(protocolOf(r.protocol), proto) &&
        !differ(networkOf(r.source), src) &&
        !differ(networkOf(r.destination), dst) &&
        !differ(interfaceOf(r.inInterface), inIface) &&
        !differ(interfaceOf(r.outInterface), outIface) &&
        !differ(matchesOf(r), matches) &&
        !optionsDiffer(r, deleted)),
  );
}

/** The target a rule jumps or goes to, as iptables names it; '' without one. */
function targetKey(r: Rule): string {
  const t = r.target;
  return t ? `${t.goto ? '-g' : '-j'} ${t.name}` : '';
}

/** The protocol number a rule tests (0 for none, `-p all` too); undefined for a name not known here. */
function protocolOf(c: Condition | undefined): string | undefined {
  if (!c) return '0';
  const n = c.word.dynamic ? undefined : protocolNumber(c.value);
  return n === undefined ? undefined : `${c.negated ? '!' : ''}${n}`;
}

/**
 * The network a rule tests (`any` for none, `0/0` too); undefined for a name, a list or an
 * expansion. An IPv6 network by its address alone: ip6tables-nft 1.8.9 finds a rule by the
 * address with its host bits cleared and not by the mask (measured: `-D -s 2001:db8:1::/56`
 * deletes `-s 2001:db8:1::/48`, and `/48` deletes `/64`; `-D -s 2001:db8:1:5::/64` and
 * `2001:db8:1::/40` do not), where iptables compares the mask too.
 */
function networkOf(c: Condition | undefined): string | undefined {
  if (!c) return 'any';
  if (c.word.dynamic || c.value.includes(',')) return undefined;
  const n = ipv4Network(c.value);
  if (n) return n.mask === 0 ? (c.negated ? undefined : 'any') : `${c.negated ? '!' : ''}${n.net}/${n.mask}`;
  const n6 = ipv6Network(c.value);
  if (!n6) return undefined;
  return n6.bits === 0 ? (c.negated ? undefined : 'any') : `${c.negated ? '!' : ''}${n6.groups.join(':')}`;
}

/** The interface a rule tests (`any` for none); undefined for `+` alone or an expansion. */
function interfaceOf(c: Condition | undefined): string | undefined {
  if (!c) return 'any';
  return c.word.dynamic || c.value === '+' ? undefined : `${c.negated ? '!' : ''}${c.value}`;
}

/**
 * The matches a rule loads, by name, in the order iptables loads them (the rule's, where the
 * binding puts an implicit protocol match at its first option); undefined when one is not
 * known here. `-p tcp -m comment --comment x --dport 22` stores comment then tcp, as `-p tcp
 * -m comment --comment x -m tcp --dport 22` does, and a `-D` naming them the other way round is
 * refused (iptables 1.8.9, nft, measured).
 */
function matchesOf(r: Rule): string | undefined {
  let names = '';
  for (const m of r.matches) {
    if (!m.spec) return undefined;
    names += names ? ` ${m.spec.name}` : m.spec.name;
  }
  return names;
}

/** Both read, and read differently: certainly not the same rule. */
function differ(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

/**
 * An option both rules give, in a match each loads once or in the target both jump to, with
 * values read differently or negated the other way (`--dport 22` and `--dport 23`, `!
 * --dport 22`, `--to-destination 10.0.0.5:8080` and `10.0.0.6:8080`). Only value types whose
 * every spelling is known here are compared.
 */
function optionsDiffer(a: Rule, b: Rule): boolean {
  for (const ma of a.matches) {
    const mb = onlyLike(b.matches, ma);
    if (mb && onlyLike(a.matches, ma) && usesDiffer(ma, mb, a.family)) return true;
  }
  // the same target (see targetKey): its options as the kernel keeps them
  return !!(a.target?.spec && b.target?.spec === a.target.spec && usesDiffer(a.target, b.target, a.family));
}

/** Two uses of one match or target: an option both give, read differently. */
function usesDiffer(ua: MatchUse | TargetUse, ub: MatchUse | TargetUse, family: Family): boolean {
  // hashlimit's table entries expire after the unit a rate is written in, unless an expiry is
  // given: without one on either side, 60/minute (a minute's expiry) is not 1/second (measured)
  const how = { family, rateUnit: !hasExpiry(ua) && !hasExpiry(ub) };
  for (const oa of ua.options) {
    const arg = oa.spec?.args[0];
    if (!arg || oa.spec!.args.length !== 1 || !COMPARED.has(arg.type)) continue;
    const ob = onlyLike(ub.options, oa);
    if (!ob || !onlyLike(ua.options, oa)) continue;
    const va = storedValue(oa, arg, ua, how);
    const vb = storedValue(ob, arg, ub, how);
    if (va === undefined || vb === undefined) continue;
    if (oa.negated !== ob.negated || va !== vb) return true;
  }
  return false;
}

/** The one entry of `list` (matches of a rule, options of a match) with `like`'s spec, when there is exactly one. */
function onlyLike<T extends { spec?: unknown }>(list: readonly T[], like: T): T | undefined {
  let found: T | undefined;
  for (const x of list) {
    if (x.spec !== like.spec) continue;
    if (found) return undefined;
    found = x;
  }
  return found;
}

const COMPARED = new Set<ArgSpec['type']>([
  'port-range', 'port-range-loose', 'port-list', 'state-list', 'ctstate-list', 'string', 'mark', 'rate', 'rate-or-bytes', 'address-range',
  'nat-destination', 'port-or-range-dash', 'log-level', 'reject-with', 'address',
]);

const STATES = new Set(ctStates.map(([s]) => s));

function hasExpiry(use: MatchUse | TargetUse): boolean {
  return use.options.some((o) => o.spec?.name === '--hashlimit-htable-expire');
}

/**
 * The value as iptables stores it, for the types compared; undefined when not read here.
 * `use`: the match or target it is an option of; `how.rateUnit`: a hashlimit rate's unit counts.
 */
function storedValue(o: BoundOption, arg: ArgSpec, use: MatchUse | TargetUse, how: { family: Family; rateUnit: boolean }): string | undefined {
  const v = o.keptValue ?? (o.values.length === 1 && !o.values[0].dynamic ? o.values[0].value : undefined);
  if (v === undefined) return undefined;
  switch (arg.type) {
    case 'port-range':
    case 'port-range-loose':
      // one port is the range of that port alone (`22` is `22:22`); a reversed range is kept as written
      return portRange(v, arg, true);
    case 'port-list': {
      // multiport keeps a range apart from a single port, and the list in its order
      const parts = v.split(',').map((p) => portRange(p, arg, false));
      return parts.includes(undefined) ? undefined : parts.join(',');
    }
    case 'state-list':
    case 'ctstate-list': {
      // a set of flags: any order, any case, repeats once
      const set = new Set(v.toUpperCase().split(','));
      for (const s of set) if (!STATES.has(s)) return undefined;
      return [...set].sort().join(',');
    }
    case 'mark': {
      // value and mask as numbers (decimal, 0x hex or 0 octal, as iptables reads them); no mask is every bit
      const [value, mask, more] = v.split('/');
      const n = parseBigNumber(value);
      let m = mask === undefined ? 0xffffffffn : parseBigNumber(mask);
      if (more !== undefined || n === undefined || m === undefined) return undefined;
      // MARK's and CONNMARK's --set-mark clear the value's bits too: 0x10/0x0f is kept as 0x10/0x1f
      if (o.spec?.name === '--set-mark' && use.spec?.kind === 'target') m |= n;
      return `${n}/${m}`;
    }
    case 'rate':
    case 'rate-or-bytes': {
      // limit and hashlimit keep the time between packets: 60/minute is 1/second (limit's scale;
      // rates it tells apart hashlimit's finer one does too). Bytes are not read here
      const r = storedRate(v);
      if (r === undefined) return undefined;
      return arg.type === 'rate-or-bytes' && how.rateUnit ? `${r} ${writtenRateUnit(v)}` : String(r);
    }
    case 'address': {
      // conntrack's --ctorigsrc and the like: an IPv4 network, host bits cleared. Two networks
      // apart are certainly refused; the same network written another way may be too (iptables-nft
      // 1.8.9 refuses `10.1.1.1/32` for `10.1.1.1`, measured), which is left alone
      const n = v.includes(',') ? undefined : ipv4Network(v);
      return n && `${n.net}/${n.mask}`;
    }
    case 'nat-destination':
      return natRange(v);
    case 'port-or-range-dash': {
      // `8080` is the range of it alone
      const ends = v.split('-');
      if (ends.length > 2 || ends.some((p) => !/^\d+$/.test(p))) return undefined;
      return `${Number(ends[0])}-${Number(ends[ends.length - 1])}`;
    }
    case 'log-level': {
      const n = logLevelNumber(v);
      return n === undefined ? undefined : String(n);
    }
    case 'reject-with':
      return rejectTypeName(v, how.family);
    case 'address-range': {
      // iprange's two IPv4 addresses (one alone is the range of it alone); others not read here
      const ends = v.split('-');
      const nums = ends.map((a) => (isPlainIPv4(a) ? ipv4Number(a) : undefined));
      if (ends.length > 2 || nums.includes(undefined)) return undefined;
      return `${nums[0]}-${nums[nums.length - 1]}`;
    }
    case 'string':
      // texts kept as written up to a length (a comment, a recent list's or a helper's name);
      // other strings may be read first (a string match's hex, a log prefix's escapes)
      return arg.truncateAt !== undefined ? v.slice(0, arg.truncateAt) : undefined;
    default:
      return undefined;
  }
}

function portRange(v: string, arg: ArgSpec, single: boolean): string | undefined {
  const parts = v.split(':');
  if (parts.length > 2) return undefined;
  const ends: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (p === '') {
      ends.push(i === 0 ? 0 : 65535);
      continue;
    }
    // read as iptables reads it (see resolverPort): a number it wraps is left unknown
    const n = resolvePort(p, arg.serviceProtocol, readsPortsByResolver(arg.type));
    if (typeof n !== 'number') return undefined;
    ends.push(n);
  }
  if (ends.length === 1) return single ? `${ends[0]}:${ends[0]}` : `${ends[0]}`;
  return `${ends[0]}:${ends[1]}`;
}

/**
 * DNAT's and SNAT's `[addr[-addr]][:port[-port]]` as the kernel keeps it: an address alone is
 * the range of it alone, so is a port; no port is none (`10.0.0.5` is not `10.0.0.5:8080`).
 * IPv4 addresses and port numbers only; anything else (IPv6, `/baseport`) is not read here.
 */
function natRange(v: string): string | undefined {
  const colon = v.indexOf(':');
  const addr = colon === -1 ? v : v.slice(0, colon);
  const port = colon === -1 ? undefined : v.slice(colon + 1);
  let out = '';
  if (addr) {
    const ends = addr.split('-');
    const nums = ends.map((a) => (isPlainIPv4(a) ? ipv4Number(a) : undefined));
    if (ends.length > 2 || nums.includes(undefined)) return undefined;
    out = `${nums[0]}-${nums[nums.length - 1]}`;
  }
  if (port !== undefined) {
    const ends = port.split('-');
    if (ends.length > 2 || ends.some((p) => !/^\d+$/.test(p))) return undefined;
    out += `:${Number(ends[0])}-${Number(ends[ends.length - 1])}`;
  }
  return out || undefined;
}
