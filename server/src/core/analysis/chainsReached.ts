import type { Chain, Table } from '../model/types.ts';

/**
 * `start` and every chain of its table a packet entering it can be sent to by jumps and
 * gotos, each once, in the order they are first met (the start, then the chains it jumps to,
 * then theirs): the checks that read what FORWARD accepts or what POSTROUTING translates
 * read these chains' rules.
 */
export function chainsReached(table: Table, start: Chain): Chain[] {
  const out = [start];
  const seen = new Set<Chain>(out);
  for (let i = 0; i < out.length; i++) {
    for (const r of out[i].rules) {
      const t = r.target;
      const next = t && !t.spec ? table.chains.get(t.name) : undefined;
      if (next && !seen.has(next)) {
        seen.add(next);
        out.push(next);
      }
    }
  }
  return out;
}
