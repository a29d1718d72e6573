import type { Chain, Rule, Table } from '../model/types.ts';
import { unconditional as withoutTests } from './unconditional.ts';

/** Targets that give a packet its verdict. */
const VERDICTS = new Set(['ACCEPT', 'DROP', 'REJECT', 'QUEUE', 'NFQUEUE']);
/** Targets that end the chain: the verdicts, and RETURN, which only leaves it. */
const FINAL = new Set([...VERDICTS, 'RETURN']);

/**
 * For one table: whether a rule's target ends its chain for every packet it sees (a verdict,
 * RETURN, a goto, or a jump to a user chain that decides every packet it gets, see decides),
 * and whether a jump to the chain of a name decides every packet (a log-and-drop chain).
 * unreachable-rule and shadowing ask; each answer about a chain is kept for the one check.
 */
export function chainEnds(t: Table, unconditional: Map<Chain, number[]>): { ends: (r: Rule) => boolean; jumpDecides: (name: string) => boolean } {
  const memo = new Map<Chain, boolean>();
  /**
   * Every packet that enters the chain gets a verdict there: a rule without tests accepts,
   * drops or rejects it (or jumps to a chain that does), and no rule before it can send a
   * packet back (a RETURN, or a goto, from whose chain the packet returns past this one).
   */
  const decides = (c: Chain): boolean => {
    // no rule without tests: some packets pass through (most chains of a kube-proxy dump, each
    // met on every edit; no memo entry for them)
    const plain = unconditional.get(c);
    if (!plain) return false;
    const known = memo.get(c);
    if (known !== undefined) return known;
    // a loop of jumps: not known to decide
    memo.set(c, false);
    let result = false;
    let next = 0;
    for (let i = 0; i < c.rules.length; i++) {
      const target = c.rules[i].target;
      if (!target) continue;
      // rules without tests and without target (counters) are among the positions too
      while (next < plain.length && plain[next] < i) next++;
      if (next < plain.length && plain[next] === i) {
        next++;
        if (!target.goto && target.name !== 'RETURN' && (VERDICTS.has(target.name) || target.spec?.terminating || (!target.spec && jumpDecides(target.name)))) {
          result = true;
          break;
        }
      }
      if (target.goto || target.name === 'RETURN') break;
    }
    memo.set(c, result);
    return result;
  };
  const jumpDecides = (name: string) => {
    const chain = t.chains.get(name);
    return !!chain && !chain.builtin && decides(chain);
  };
  const ends = (r: Rule) => {
    const target = r.target;
    if (!target) return false;
    return FINAL.has(target.name) || target.goto || (target.spec?.terminating ?? false) || (!target.spec && jumpDecides(target.name));
  };
  return { ends, jumpDecides };
}

/**
 * Whether a chain decides every packet by a verdict of its own: a rule without tests gives it
 * (ACCEPT, DROP, a terminating target such as MASQUERADE) and no RETURN or goto comes before.
 * Every chain that decides every packet does, or jumps to one that does: a table without any
 * has none, which is cheaper to learn than asking chainEnds about each of a kube-proxy dump's
 * 9,000 service chains (each ends in a jump without tests).
 */
export function decidesByItself(c: Chain, unconditional: Map<Chain, number[]>): boolean {
  const plain = unconditional.get(c);
  if (!plain) return false;
  const last = plain[plain.length - 1];
  let next = 0;
  for (let i = 0; i <= last; i++) {
    const target = c.rules[i].target;
    if (!target) continue;
    if (target.goto || target.name === 'RETURN') return false;
    // rules without tests and without target (counters) are among the positions too
    while (next < plain.length && plain[next] < i) next++;
    if (plain[next] === i) {
      next++;
      if (VERDICTS.has(target.name) || target.spec?.terminating) return true;
    }
  }
  return false;
}

/**
 * A rule whose coming, going or change may change which chains decide every packet, and so
 * which rules end their chain (chainEnds, decidesByItself): one with a target, and without
 * tests, or a RETURN or goto. Both skip rules without target: a rule typed on a new line has
 * neither tests nor target until its first option.
 */
export function changesWhatDecides(r: Rule | undefined): boolean {
  const target = r?.target;
  return !!target && (withoutTests(r!) || target.goto || target.name === 'RETURN');
}
