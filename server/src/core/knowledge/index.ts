import type { ExtensionSpec } from './types.ts';
import { conntrack } from './matches/conntrack.ts';
import { tcp } from './matches/tcp.ts';
import { DNAT } from './targets/DNAT.ts';
import { ACCEPT, DROP, RETURN } from './targets/verdicts.ts';

export { genericOptions } from './generic.ts';
export type * from './types.ts';

export const matches: readonly ExtensionSpec[] = [tcp, conntrack];
export const targets: readonly ExtensionSpec[] = [ACCEPT, DROP, RETURN, DNAT];

function byName(list: readonly ExtensionSpec[]): Map<string, ExtensionSpec> {
  const map = new Map<string, ExtensionSpec>();
  for (const ext of list) {
    for (const n of [ext.name, ...(ext.aliases ?? [])]) map.set(n, ext);
  }
  return map;
}

const matchByName = byName(matches);
const targetByName = byName(targets);

/** Match names are case-sensitive (`-m TCP` fails: `dscp` and `DSCP` are different extensions). */
export function getMatch(name: string): ExtensionSpec | undefined {
  return matchByName.get(name);
}

/** Target names are case-sensitive: `accept` is a user chain, not ACCEPT. */
export function getTarget(name: string): ExtensionSpec | undefined {
  return targetByName.get(name);
}
