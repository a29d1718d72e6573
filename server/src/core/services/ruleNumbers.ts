import { loadedWithNoflush } from '../dialect.ts';
import type { FirewallDocument } from '../facade.ts';
import { kernelRuleCount } from '../model/kernelRules.ts';
import { onlyAppends } from '../model/patchRuleSet.ts';
import type { Chain, Rule, RuleSet } from '../model/types.ts';
import { commandIndexAt } from './commandAt.ts';

/** The number a rule has in its chain once the file is loaded or the script has run, as `iptables -L CHAIN --line-numbers` shows it. */
export interface RuleNumber {
  /** Where it is shown: right after the chain's name in the rule's `-A CHAIN`, or after the number of `-I CHAIN n` and `-R CHAIN n`. */
  offset: number;
  chain: string;
  /** The kernel's rule numbers for it: one rule, or several where `-s a,b` makes one per address. */
  first: number;
  last: number;
  /** Save files: once iptables-restore has loaded the file; scripts: once the script has run. */
  when: 'loaded' | 'run';
}

/** Per rule list (a chain's rules get a new list when an edit changes them): each rule's first kernel number and how many it makes. */
const numbered = new WeakMap<readonly Rule[], Map<Rule, { first: number; count: number }>>();

function numbersOf(rules: readonly Rule[]): Map<Rule, { first: number; count: number }> {
  let m = numbered.get(rules);
  if (!m) {
    m = new Map();
    let next = 1;
    for (const r of rules) {
      const count = kernelRuleCount(r);
      // a host name may make any number of rules: the numbers after it are not known
      if (count === undefined) break;
      m.set(r, { first: next, count });
      next += count;
    }
    numbered.set(rules, m);
  }
  return m;
}

/**
 * Whether the numbers of a chain's rules are known: in a save file loaded without
 * `--noflush` made of appends (each block empties its table, so the file's rules are the
 * chain); in a script, where it has built the whole chain (see RuleSet.numberedChains).
 */
function numberedIn(doc: FirewallDocument, rs: RuleSet): (c: Chain) => boolean {
  if (rs.dialect === 'script') return (c) => rs.numberedChains?.has(c) ?? false;
  const known = !loadedWithNoflush(doc.documentOptions.fileName) && rs.listing !== 'chains' && onlyAppends(rs);
  return () => known;
}

/** The rule numbers of the rules whose commands start in `[from, to)` of the text, where they are known. */
export function ruleNumbersIn(doc: FirewallDocument, from: number, to: number): RuleNumber[] {
  const rs = doc.ruleSet;
  const out: RuleNumber[] = [];
  const numberedChain = numberedIn(doc, rs);
  const when = rs.dialect === 'script' ? 'run' : 'loaded';
  const commands = rs.commands;
  for (let i = Math.max(0, commandIndexAt(rs, from)); i < commands.length && commands[i].span.start < to; i++) {
    const cmd = commands[i];
    const rule = cmd.rule;
    if (!rule || cmd.span.start < from || !cmd.chainWord || cmd.chain === undefined) continue;
    const chain = rs.tables.get(`${cmd.family}:${cmd.table}`)?.chains.get(cmd.chain);
    if (!chain || !numberedChain(chain)) continue;
    const n = numbersOf(chain.rules).get(rule);
    if (!n) continue;
    // after `-I CHAIN 2` as a whole: the number written there is where the rule went in, this one where it ends up
    const chainWord = cmd.chainWord;
    const at = cmd.position === undefined ? chainWord.span.end : (cmd.args.items.find((it) => it.values[0]?.span.start === chainWord.span.start)?.values[1]?.span.end ?? chainWord.span.end);
    out.push({ offset: at, chain: chain.name, first: n.first, last: n.first + n.count - 1, when });
  }
  return out;
}
