import { targets } from './index.ts';
import type { Family } from './types.ts';
import { error, warning, type ValueProblem } from './values/problem.ts';

/** The longest chain or target name iptables takes: "must be under 29 chars" (iptables 1.8.9). */
export const CHAIN_NAME_MAX = 28;

/**
 * The verdicts -j reads before any chain. iptables-restore refuses a chain line with one of
 * these names on both backends (nf_tables: "may not clash with target name"; legacy: "error
 * creating chain … File exists"); other targets' names it takes on a chain line.
 */
const VERDICTS = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

/**
 * The targets of each family. `iptables -N` refuses a chain named like any target extension
 * iptables can load for the family (it looks the name up as a target first), so
 * `ip6tables -N TTL` is taken and `iptables -N TTL` is not. Names are case-sensitive.
 */
const targetNames = new Map<Family, Set<string>>([
  ['ipv4', new Set(targets.filter((t) => t.families.includes('ipv4')).map((t) => t.name))],
  ['ipv6', new Set(targets.filter((t) => t.families.includes('ipv6')).map((t) => t.name))],
]);

/**
 * How a chain gets its name: `-N` (iptables, or an `-N` line iptables-restore reads), a chain
 * line `:NAME` of iptables-restore input, or the new name of `-E`, which iptables takes
 * unchecked.
 */
export type ChainNaming = 'new-chain' | 'chain-line' | 'rename';

/**
 * What is wrong with a chain's name where it is made or renamed; undefined when iptables takes
 * it and it works. Measured with iptables 1.8.9, nf_tables and legacy. Names holding shell
 * expansions must not be passed here.
 */
export function chainNameProblem(name: string, family: Family, naming: ChainNaming): ValueProblem | undefined {
  if (naming === 'rename') return renameProblem(name, family);
  if (name === '') return error('A chain name cannot be empty.');
  if (name.length > CHAIN_NAME_MAX) return error(`'${name}' is ${name.length} characters long; chain names have at most ${CHAIN_NAME_MAX}.`);
  const first = name[0];
  // -N is refused by both backends; a chain line so named by iptables-nft-restore (the usual
  // backend) only, iptables-legacy-restore takes it
  if (first === '!' || first === '-') return error(`A chain name cannot start with '${first}'.`);
  if (naming === 'chain-line') return VERDICTS.has(name) ? error(`A chain cannot be named ${name}: iptables-restore refuses a chain with a verdict's name (-j ${name} is the verdict).`) : undefined;
  if (/\s/.test(name)) return error('A chain name cannot hold blanks.');
  if (targetNames.get(family)?.has(name)) return error(`A chain cannot be named ${name}: -j ${name} means the ${name} target, so iptables refuses a chain of that name.`);
  return undefined;
}

/**
 * `-E OLD NEW` gives the chain a name iptables refuses everywhere else: the rename succeeds
 * (nf_tables; legacy refuses a verdict's name), but no rule can then jump to the chain, and a
 * saved copy of the tables is refused by iptables-restore (a long name, a verdict's name).
 */
function renameProblem(name: string, family: Family): ValueProblem | undefined {
  if (name.length > CHAIN_NAME_MAX) {
    return warning(`iptables renames the chain to this ${name.length}-character name, but nothing else takes it: -j refuses names over ${CHAIN_NAME_MAX} characters, and iptables-restore refuses these tables once they are saved.`);
  }
  if (VERDICTS.has(name)) return warning(`-j ${name} is the verdict, not this chain, and iptables-restore refuses these tables once they are saved (iptables-legacy refuses the rename itself).`);
  if (targetNames.get(family)?.has(name)) return warning(`-j ${name} means the ${name} target, not this chain: once renamed, no rule can jump to it.`);
  return undefined;
}
