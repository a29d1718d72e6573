import type { Chain, Condition, Rule } from '../model/types.ts';
import { portNumber } from '../knowledge/values/ports.ts';

/**
 * Chains with thousands of rules are mostly one rule per address: kube-proxy's
 * KUBE-SERVICES has one per service destination, a blocklist one per source address or
 * network. An index of a chain's rules by the address they test (destination or source) lets
 * a trace visit only the rules that can match, in their order.
 *
 * The index is built on a chain's first trace, right after a (possibly 100k-rule) parse,
 * when the heap is large and every young-generation collection is expensive: so the build
 * allocates no object per rule. Keys are read from the address text by hand (no regex
 * match arrays, no substrings) and kept in typed arrays; rules sharing a hash bucket are
 * chained through `next`, in rule order.
 */
export const INDEX_FROM = 256;

/** What a chain is indexed by: an address the rules test, or the one destination port they test (a host's accepts). */
export type AddressField = 'source' | 'destination' | 'dport';

interface AddressIndex {
  /** The rule list the index was built from: a chain whose rules change is indexed again. */
  rules: Chain['rules'];
  length: number;
  shift: number;
  /** First rule position per bucket, -1 for none. */
  head: Int32Array;
  /** Next rule position in the same bucket, -1 at the end. */
  next: Int32Array;
  /** The rule's network address (host bits cleared) and its prefix length. */
  key: Uint32Array;
  prefix: Uint8Array;
  /** The prefix lengths that occur, longest first. */
  prefixes: number[];
  /** Positions of rules without a single IPv4 network to test (they may match any packet). */
  generic: Int32Array;
  /**
   * The last lookup's address and answer: a walk asks again for the same packet each time it
   * comes back to the chain from a jump (a FORWARD of 2,500 jumps to per-server chains made
   * the list 2,500 times for each port forward checked).
   */
  lastWant?: number;
  lastOut?: number[];
}

const indexes: Record<AddressField, WeakMap<Chain, AddressIndex>> = { source: new WeakMap(), destination: new WeakMap(), dport: new WeakMap() };

/** The matches whose `--destination-port` tests the packet's own port (multiport's `--destination-ports` too). */
const PORT_MATCHES = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite', 'multiport']);

/**
 * The one destination port a rule requires (`-p tcp --dport 443`, `--dport https`, multiport
 * with one port), or -1: a rule with such a test matches no packet to another port, whatever
 * else it tests (ruleMatches answers no for it). Ranges, lists, negations and expansions: -1.
 */
function requiredPort(rule: Rule): number {
  for (const m of rule.matches) {
    if (!m.spec || !PORT_MATCHES.has(m.spec.name)) continue;
    for (const o of m.options) {
      if (o.name !== '--destination-port' && o.name !== '--destination-ports') continue;
      const v = o.values[0];
      if (o.negated || !v || v.dynamic || v.value.includes(',') || v.value.includes(':')) continue;
      const port = portNumber(v.value);
      if (port !== undefined) return port;
    }
  }
  return -1;
}

/** `a.b.c.d` (no leading zeros, each part ≤ 255) as an unsigned integer; -1 for anything else. */
export function parseExactIPv4(s: string, end = s.length): number {
  let value = 0;
  let part = -1;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // a leading zero may mean octal to some parsers: leave such addresses unindexed
      if (digits === 1 && part === 0) return -1;
      part = (part < 0 ? 0 : part) * 10 + (c - 48);
      if (part > 255) return -1;
      digits++;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = -1;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function bucket(network: number, prefix: number, shift: number): number {
  return Math.imul(network ^ Math.imul(prefix, 0x01000193), 0x9e3779b1) >>> shift;
}

function build(chain: Chain, field: AddressField): AddressIndex {
  const rules = chain.rules;
  const n = rules.length;
  let bits = 1;
  while (1 << bits < n * 2) bits++;
  const shift = 32 - bits;
  const head = new Int32Array(1 << bits).fill(-1);
  const next = new Int32Array(n);
  const key = new Uint32Array(n);
  const prefix = new Uint8Array(n);
  const generic = new Int32Array(n);
  const seen = new Uint8Array(33);
  let g = n;
  // backwards, so that each bucket and the generic list come out in rule order
  for (let i = n - 1; i >= 0; i--) {
    const c: Condition | undefined = field === 'destination' ? rules[i].destination : field === 'source' ? rules[i].source : undefined;
    // a port is a key of its own, looked up exactly (as a /32)
    let addr = field === 'dport' ? requiredPort(rules[i]) : -1;
    let p = 32;
    if (c && !c.negated && !c.word.dynamic) {
      // one network, `a.b.c.d` or `a.b.c.d/NN` (NN 1–32; /0 matches all); a mask, a list or a
      // name stays generic. The prefix is read here, without a substring or an object per rule
      // (allocation in the cold code of a first trace, right after a big parse, is what costs)
      const v = c.value;
      let end = v.length;
      let q = 0;
      let digits = 0;
      while (end > 0 && digits < 3) {
        const ch = v.charCodeAt(end - 1);
        if (ch < 48 || ch > 57) break;
        end--;
        digits++;
      }
      if (digits > 0 && end > 0 && v.charCodeAt(end - 1) === 47) {
        for (let k = end; k < v.length; k++) q = q * 10 + (v.charCodeAt(k) - 48);
        p = q;
        end--;
      } else end = v.length;
      if (p >= 1 && p <= 32) addr = parseExactIPv4(v, end);
    }
    if (addr < 0) {
      generic[--g] = i;
      continue;
    }
    // as iptables does, host bits after the prefix are ignored (`-d 10.1.0.7/24` is 10.1.0.0/24)
    const network = (addr & maskOf(p)) >>> 0;
    const b = bucket(network, p, shift);
    key[i] = network;
    prefix[i] = p;
    seen[p] = 1;
    next[i] = head[b];
    head[b] = i;
  }
  const prefixes: number[] = [];
  for (let p = 32; p >= 1; p--) if (seen[p]) prefixes.push(p);
  return { rules, length: n, shift, head, next, key, prefix, prefixes, generic: generic.subarray(g) };
}

function indexOf(chain: Chain, field: AddressField): AddressIndex {
  let idx = indexes[field].get(chain);
  if (!idx || idx.rules !== chain.rules || idx.length !== chain.rules.length) indexes[field].set(chain, (idx = build(chain, field)));
  return idx;
}

/** The rules of the index whose network holds `want`, and the generic ones, in rule order (kept, see lastOut: not to be changed). */
function lookup(idx: AddressIndex, want: number): number[] {
  if (idx.lastWant === want && idx.lastOut) return idx.lastOut;
  const out = merged(idx, want);
  idx.lastWant = want;
  idx.lastOut = out;
  return out;
}

function merged(idx: AddressIndex, want: number): number[] {
  const own: number[] = [];
  for (const p of idx.prefixes) {
    const network = (want & maskOf(p)) >>> 0;
    for (let i = idx.head[bucket(network, p, idx.shift)]; i >= 0; i = idx.next[i]) if (idx.key[i] === network && idx.prefix[i] === p) own.push(i);
  }
  // each bucket list is in rule order; several prefix lengths interleave
  if (idx.prefixes.length > 1) own.sort((a, b) => a - b);
  const generic = idx.generic;
  // merge two sorted lists of rule positions
  const out: number[] = [];
  let a = 0;
  let b = 0;
  while (a < own.length || b < generic.length) {
    if (b >= generic.length || (a < own.length && own[a] < generic[b])) out.push(own[a++]);
    else out.push(generic[b++]);
  }
  return out;
}

/**
 * The positions of the rules of `chain` that can match a packet from `src` to `dst` (and to
 * port `dport`), in order, or undefined when the chain is small or no index applies (then
 * every rule is a candidate). The destination index is tried first (kube-proxy's chains);
 * when most rules test no destination, the source index (a blocklist) when it leaves fewer;
 * when most test neither, the port index (a host's accepts, one port each) when it leaves fewer.
 */
export function candidateRules(chain: Chain, dst: string | undefined, src?: string, dport?: number): number[] | undefined {
  if (chain.rules.length < INDEX_FROM) return undefined;
  const chosen = byAddress(chain, dst, src);
  if (dport === undefined || (chosen && chosen.idx.generic.length <= chain.rules.length / 2)) return chosen && narrowed(chosen.idx, chosen.want);
  // sampled first, as for the source: a chain of addresses is not indexed by port only to find that out
  const byPort = indexes.dport.has(chain) || sampledShare(chain, 'dport') >= 0.25 ? indexOf(chain, 'dport') : undefined;
  if (byPort && (!chosen || byPort.generic.length < chosen.idx.generic.length)) return narrowed(byPort, dport);
  return chosen && narrowed(chosen.idx, chosen.want);
}

function byAddress(chain: Chain, dst: string | undefined, src: string | undefined): { idx: AddressIndex; want: number } | undefined {
  const wantDst = dst === undefined ? -1 : parseExactIPv4(dst);
  const wantSrc = src === undefined ? -1 : parseExactIPv4(src);
  // a chain where few rules test a destination (a blocklist of sources) is not indexed by
  // destination only to find that out: a first trace builds one index over 100k rules, not two
  const byDst = wantDst >= 0 && !(wantSrc >= 0 && !indexes.destination.has(chain) && sampledShare(chain, 'destination') < 0.25) ? indexOf(chain, 'destination') : undefined;
  if (byDst && (wantSrc < 0 || byDst.generic.length <= chain.rules.length / 2)) return { idx: byDst, want: wantDst };
  const bySrc = wantSrc >= 0 ? indexOf(chain, 'source') : undefined;
  if (bySrc && (!byDst || bySrc.generic.length < byDst.generic.length)) return { idx: bySrc, want: wantSrc };
  return byDst && { idx: byDst, want: wantDst };
}

/** The lookup, or undefined (every rule) where no rule of the chain tests one address: a list of them all would be made for nothing. */
function narrowed(idx: AddressIndex, want: number): number[] | undefined {
  return idx.prefixes.length ? lookup(idx, want) : undefined;
}

/** The share of 64 rules spread over the chain that test one plain address in `field` (or require one port). */
function sampledShare(chain: Chain, field: AddressField): number {
  const rules = chain.rules;
  let hits = 0;
  for (let k = 0; k < 64; k++) {
    const rule = rules[Math.floor((k * rules.length) / 64)];
    if (field === 'dport') {
      if (requiredPort(rule) >= 0) hits++;
      continue;
    }
    const c = rule[field];
    if (c && !c.negated && !c.word.dynamic) hits++;
  }
  return hits / 64;
}
