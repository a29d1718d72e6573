import { BUILTIN_CHAINS } from './builtinChains.ts';
import type { Command } from './types.ts';

/**
 * `iptables -S` prints a table's rules as the argument lists that would make them, without the
 * `*table` line, chain lines or COMMIT of an iptables-save file: first `-P` for each built-in
 * chain, then `-N` for each user chain, then the rules. `iptables -S; iptables -t nat -S`
 * prints one such run per table. People keep and share that listing (`iptables -S > rules.txt`,
 * `iptables -S | iptables-lint -`): it is read as the table it lists rather than as a save file
 * whose every line stands outside a table.
 */

/** The line kinds a save file's entries have (see SaveLine); only rules and text appear in a listing. */
interface ListingEntry {
  line: { kind: string };
  command?: Command;
}

/** A text whose lines are all rules, blanks or comments, with at least one rule: no table, chain or COMMIT line. */
export function isRuleListing(entries: readonly ListingEntry[]): boolean {
  let rules = 0;
  for (const e of entries) {
    const kind = e.line.kind;
    if (kind === 'table' || kind === 'chain' || kind === 'commit') return false;
    if (kind === 'rule') rules++;
  }
  return rules > 0;
}

/** Most likely first where the listing leaves the choice open: security has filter's chains, and is rare. */
const PREFERENCE = ['filter', 'nat', 'mangle', 'raw', 'security'];

/**
 * The table each entry of a listing belongs to (indexed as the entries), and whether every run
 * lists a whole table (its `-P` lines name all the table's built-in chains). A run starts at the
 * first entry and at each `-P` that follows a command other than `-P`, or names a chain the
 * run's `-P` lines named already. A run's table is the one whose built-in chains are exactly
 * those its `-P` lines name (iptables -S names them all); else one that has all of them; of
 * those, one that has the built-in chains its rules are added to and that its targets
 * restricted to certain tables allow (DNAT: nat); then filter before nat, mangle, raw and
 * security.
 */
export function listingTables(entries: readonly ListingEntry[]): { tables: string[]; whole: boolean } {
  const out = new Array<string>(entries.length);
  let whole = true;
  let runStart = 0;
  let policies = new Set<string>();
  let policiesOnly = true;
  const close = (end: number) => {
    const table = tableOf(policies, entries, runStart, end);
    for (let i = runStart; i < end; i++) out[i] = table;
    // `iptables -S CHAIN` lists one chain: `-P` for a built-in one, `-N` for a user chain
    if (BUILTIN_CHAINS[table].length !== policies.size) whole = false;
  };
  for (let i = 0; i < entries.length; i++) {
    const cmd = entries[i].command;
    if (!cmd || entries[i].line.kind !== 'rule') continue;
    if (cmd.kind === 'policy' && cmd.chain !== undefined) {
      if (i > runStart && (!policiesOnly || policies.has(cmd.chain))) {
        close(i);
        runStart = i;
        policies = new Set();
      }
      policies.add(cmd.chain);
      policiesOnly = true;
    } else policiesOnly = false;
  }
  close(entries.length);
  return { tables: out, whole };
}

function tableOf(policies: Set<string>, entries: readonly ListingEntry[], from: number, to: number): string {
  const hasAll = (t: string) => [...policies].every((c) => BUILTIN_CHAINS[t].includes(c));
  const exact = PREFERENCE.filter((t) => hasAll(t) && BUILTIN_CHAINS[t].length === policies.size);
  let candidates = exact.length ? exact : PREFERENCE.filter(hasAll);
  if (!candidates.length) candidates = PREFERENCE;
  const narrow = (keep: (t: string) => boolean) => {
    const narrowed = candidates.filter(keep);
    if (narrowed.length) candidates = narrowed;
  };
  for (let i = from; i < to; i++) {
    const cmd = entries[i].command;
    // a built-in chain the run adds to (`-A PREROUTING` is not filter's)
    const chain = cmd?.chain;
    if (chain !== undefined && PREFERENCE.some((t) => BUILTIN_CHAINS[t].includes(chain))) narrow((t) => BUILTIN_CHAINS[t].includes(chain));
    const allowed = cmd?.rule?.target?.spec?.tables as readonly string[] | undefined;
    if (allowed) narrow((t) => allowed.includes(t));
  }
  return candidates[0];
}
