import { targets } from '../knowledge/index.ts';
import { nearestName } from './nearestName.ts';

const TARGET_NAMES = targets.flatMap((t) => [t.name, ...(t.aliases ?? [])]);

/**
 * `-j NAME` where NAME is neither a target nor a declared chain: iptables first tries a
 * target extension, then a chain. We call it an unknown target when it reads like one
 * (all capitals, or close to a target's name, `accept` for ACCEPT) and an undefined chain
 * otherwise.
 */
export function looksLikeTarget(name: string): { suggestion?: string } | undefined {
  const suggestion = nearestName(name, TARGET_NAMES);
  if (suggestion) return { suggestion };
  if (/^[A-Z][A-Z0-9_]*$/.test(name) && name.length <= 12) return {};
  return undefined;
}

export function targetNames(): readonly string[] {
  return TARGET_NAMES;
}
