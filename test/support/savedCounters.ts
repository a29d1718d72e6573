/** What `iptables-save -c` says the counters are, read by the kernel tests that check which rules a packet met. */
export interface SavedCounters {
  /** Packets counted by each built-in chain's policy, by `table/chain` (user chains, whose policy is `-`, have none). */
  policies: Map<string, number>;
  /** Every rule in the order written, with its `table/chain`, its packet count and its text from `-A` on. */
  rules: { chain: string; packets: number; text: string }[];
}

export function savedCounters(saved: string): SavedCounters {
  const out: SavedCounters = { policies: new Map(), rules: [] };
  let table = '';
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    const p = /^:(\S+) (\S+) \[(\d+):\d+\]/.exec(line);
    if (p && p[2] !== '-') out.policies.set(`${table}/${p[1]}`, Number(p[3]));
    const m = /^\[(\d+):\d+\] (-A (\S+).*)$/.exec(line);
    if (m) out.rules.push({ chain: `${table}/${m[3]}`, packets: Number(m[1]), text: m[2] });
  }
  return out;
}
