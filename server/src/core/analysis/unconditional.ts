import type { Rule } from '../model/types.ts';

/** Matches every packet: no protocol, address, interface, fragment or match test. */
export function unconditional(r: Rule): boolean {
  return !r.protocol && !r.source && !r.destination && !r.inInterface && !r.outInterface && !r.fragment && r.matches.every((m) => m.name === 'comment') && !r.dynamic && r.problems.length === 0;
}
