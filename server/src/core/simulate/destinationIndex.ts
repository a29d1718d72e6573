import type { Chain, Rule } from '../model/types.ts';

/**
 * Chains with thousands of rules (kube-proxy's KUBE-SERVICES) are mostly one rule per
 * destination address: an index by exact destination lets a trace visit only the rules
 * that can match, in their order.
 *
 * The index is built on a chain's first trace, right after a (possibly 100k-rule) parse,
 * when the heap is large and every young-generation collection is expensive: so the build
 * allocates no object per rule. Keys are read from the address text by hand (no regex
 * match arrays, no substrings) and kept in typed arrays; rules sharing a hash bucket are
 * chained through `next`, in rule order.
 */
export const INDEX_FROM = 256;

interface DestinationIndex {
  /** The rule list the index was built from: a chain whose rules change is indexed again. */
  rules: Rule[];
  length: number;
  shift: number;
  /** First rule position per bucket, -1 for none. */
  head: Int32Array;
  /** Next rule position in the same bucket, -1 at the end. */
  next: Int32Array;
  key: Uint32Array;
  /** Positions of rules without a single exact IPv4 destination (they may match any packet). */
  generic: Int32Array;
}

const indexes = new WeakMap<Chain, DestinationIndex>();

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

function bucket(addr: number, shift: number): number {
  return Math.imul(addr, 0x9e3779b1) >>> shift;
}

function build(chain: Chain): DestinationIndex {
  const rules = chain.rules;
  const n = rules.length;
  let bits = 1;
  while (1 << bits < n * 2) bits++;
  const shift = 32 - bits;
  const head = new Int32Array(1 << bits).fill(-1);
  const next = new Int32Array(n);
  const key = new Uint32Array(n);
  const generic = new Int32Array(n);
  let g = n;
  // backwards, so that each bucket and the generic list come out in rule order
  for (let i = n - 1; i >= 0; i--) {
    // The rule's one exact IPv4 destination (`-d a.b.c.d` or `a.b.c.d/32`), or -1. The same
    // reading as parseExactIPv4, written out here: in the cold code of a first trace a
    // call per rule costs a third of the build.
    const d = rules[i].destination;
    let addr = -1;
    if (d && !d.negated && !d.word.dynamic) {
      const v = d.value;
      let end = v.length;
      // "/32" is the one address; any other prefix, a mask or a list stays generic
      if (end > 3 && v.charCodeAt(end - 3) === 47 && v.charCodeAt(end - 2) === 51 && v.charCodeAt(end - 1) === 50) end -= 3;
      let value = 0;
      let part = -1;
      let digits = 0;
      let dots = 0;
      let j = 0;
      for (; j < end; j++) {
        const c = v.charCodeAt(j);
        if (c >= 48 && c <= 57) {
          if (digits === 1 && part === 0) break;
          part = (part < 0 ? 0 : part) * 10 + (c - 48);
          if (part > 255) break;
          digits++;
        } else if (c === 46 && digits > 0 && dots < 3) {
          value = value * 256 + part;
          part = -1;
          digits = 0;
          dots++;
        } else break;
      }
      if (j === end && dots === 3 && digits > 0) addr = value * 256 + part;
    }
    if (addr < 0) {
      generic[--g] = i;
      continue;
    }
    const b = bucket(addr, shift);
    key[i] = addr;
    next[i] = head[b];
    head[b] = i;
  }
  return { rules, length: n, shift, head, next, key, generic: generic.subarray(g) };
}

/**
 * The positions of the rules of `chain` that can match a packet to `dst`, in order, or
 * undefined when the chain is small or the destination is not one IPv4 address (then every
 * rule is a candidate).
 */
export function candidateRules(chain: Chain, dst: string | undefined): number[] | undefined {
  if (chain.rules.length < INDEX_FROM || dst === undefined) return undefined;
  const want = parseExactIPv4(dst);
  if (want < 0) return undefined;
  let idx = indexes.get(chain);
  if (!idx || idx.rules !== chain.rules || idx.length !== chain.rules.length) indexes.set(chain, (idx = build(chain)));
  const own: number[] = [];
  for (let i = idx.head[bucket(want, idx.shift)]; i >= 0; i = idx.next[i]) if (idx.key[i] === want) own.push(i);
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
