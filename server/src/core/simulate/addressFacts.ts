import { networksOverlap, networkWithin, type Network } from '../knowledge/values/addresses.ts';
import type { Condition, Rule } from '../model/types.ts';
import { parsedNetworks } from './conditions.ts';

/**
 * What a rule assumed to match (or not) says of the packet's unknown source or destination,
 * and what a later rule's test of that address then is: past `-s 10.0.0.0/8 -j LOG` assumed
 * to match, `-s 192.0.2.0/24` is false and `! -s 10.0.0.0/8` too; past `-s 10.1.0.0/16 -j
 * ACCEPT` assumed not to match, `! -s 10.1.0.0/16` is true. covers() proves the rest (a rule
 * inside one assumed not to match). Only networks read exactly (contiguous masks, one family)
 * count.
 */

/** The packet's address is in one of `nets` (`inside`), or in none of them. */
interface AddressFact {
  nets: readonly Network[];
  inside: boolean;
}

/** The networks of a test (as the evaluator parsed them), or undefined when one is not read exactly (a name, a scattered mask, an expansion). */
function networks(c: Condition): readonly Network[] | undefined {
  if (c.word.dynamic) return undefined;
  const list = parsedNetworks(c);
  return list.every((n) => n !== undefined && n.bits !== undefined) ? (list as readonly Network[]) : undefined;
}

/**
 * The fact an assumption gives about one field's test `c` of its rule: matched, the address
 * is in its networks (or, negated, in none); not matched, the same reversed, but only where
 * that test is all the rule asks (else another test may be what failed).
 */
function factOf(c: Condition | undefined, matched: boolean, alone: boolean): AddressFact | undefined {
  if (!c || (!matched && !alone)) return undefined;
  const nets = networks(c);
  return nets && { nets, inside: matched !== c.negated };
}

/** What the test `c` is for an address the fact describes: certainly true, certainly false, or not known. */
function testUnder(f: AddressFact, c: Condition): boolean | undefined {
  const nets = networks(c);
  if (!nets) return undefined;
  // in the fact's networks: networks holding all of them take it, networks all apart from them do not
  // in none of them: networks all inside them do not take it
  const takes = f.inside ? f.nets.every((a) => nets.some((b) => networkWithin(a, b) === true)) : false;
  const misses = f.inside ? nets.every((b) => f.nets.every((a) => networksOverlap(a, b) === false)) : nets.every((b) => f.nets.some((a) => networkWithin(b, a) === true));
  if (!takes && !misses) return undefined;
  return takes !== c.negated;
}

/**
 * What an assumption about rule `a` proves of rule `b` by the addresses: 'no' where it makes
 * one of `b`'s address tests false, 'yes' where `b` tests that address alone and the test is
 * certainly true; undefined otherwise.
 */
export function addressVerdict(a: Rule, matched: boolean, b: Rule): 'yes' | 'no' | undefined {
  if (a.dynamic || a.problems.length || b.dynamic || b.problems.length) return undefined;
  for (const field of ['source', 'destination'] as const) {
    const test = b[field];
    if (!test) continue;
    // a rule that asks nothing else: its not matching says the address is not (or is) in its networks
    const fact = factOf(a[field], matched, onlyTest(a, field));
    const holds = fact && testUnder(fact, test);
    if (holds === false) return 'no';
    if (holds === true && onlyTest(b, field)) return 'yes';
  }
  return undefined;
}

/** Whether the address `field` is the rule's one test (comments aside). */
function onlyTest(r: Rule, field: 'source' | 'destination'): boolean {
  const other = field === 'source' ? r.destination : r.source;
  return !r.protocol && !other && !r.inInterface && !r.outInterface && !r.fragment && r.matches.every((m) => m.name === 'comment');
}
