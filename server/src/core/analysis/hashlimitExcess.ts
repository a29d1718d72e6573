import type { MatchUse } from '../model/types.ts';

/**
 * A hashlimit match that takes the packets over its rate, not those under it: `--hashlimit-above`,
 * or `! --hashlimit-upto`, which iptables turns into it (measured with 1.8.9, both backends:
 * `! --hashlimit-above` is listed as `--hashlimit-upto` and the other way round).
 */
export function matchesExcess(m: MatchUse): boolean {
  const options = m.options;
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (o.name === '--hashlimit-above') return !o.negated;
    if (o.name === '--hashlimit-upto') return o.negated;
  }
  return false;
}
