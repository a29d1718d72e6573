import type { EditedLines, SaveEntry } from './saveDocument.ts';
import type { Chain, Command, RuleSet } from './types.ts';

/** One rule line edited in place: the old command's rule is replaced by the new one's, at the same position of the same chain. */
export interface RulePatch {
  old: Command;
  new: Command;
  chain: Chain;
  /** The rule's position in its chain. */
  index: number;
}

/**
 * Rule sets whose tables were built by appends alone (every iptables-save dump). In other
 * files a rule's content can decide where later commands act (`-D CHAIN spec` deletes the
 * first equal rule), so an edit there rebuilds the tables.
 */
const appendsOnly = new WeakMap<RuleSet, boolean>();

export function onlyAppends(rs: RuleSet): boolean {
  let known = appendsOnly.get(rs);
  if (known === undefined) {
    known = true;
    for (const c of rs.commands) {
      if (!plainAppend(c)) {
        known = false;
        break;
      }
    }
    appendsOnly.set(rs, known);
  }
  return known;
}

/** `-A` whose table and chain are known (no shell expansion decides them). */
export function plainAppend(c: Command): boolean {
  return c.kind === 'append' && !c.uncertain && !c.tableDynamic;
}

/**
 * `-N`, `-E` or `-X` of one chain whose table and name are known: beside plain appends, what
 * leaves a chain's rules the commands that wrote them (ChainFacts.appendsOnly). A `-X` of
 * every chain is not one: it deletes chains no line names.
 */
export function plainChainCommand(c: Command): boolean {
  return (c.kind === 'new-chain' || c.kind === 'rename-chain' || c.kind === 'delete-chain') && c.chain !== undefined && !c.uncertain && !c.tableDynamic;
}

function textOnly(e: SaveEntry): boolean {
  const kind = e.line.kind;
  return kind === 'blank' || kind === 'comment';
}

/** The rule command of a line that sat inside a table, or undefined. */
function ruleCommand(e: SaveEntry): Command | undefined {
  const cmd = e.command;
  return e.line.kind === 'rule' && cmd?.rule && plainAppend(cmd) ? cmd : undefined;
}

/**
 * The rule set after an edit that replaced rule lines of a save file by rule lines appending
 * to the same chains, and added or removed blank and comment lines: the common edit (a port,
 * an address, a comment, a new line) on a 100k-rule dump. Rebuilding the tables from every
 * line takes 130 ms there; this replaces the edited rules where they stand. Undefined when the
 * edit changes anything else (a header, a chain line, another chain, a rule added or removed):
 * the caller then rebuilds.
 *
 * The tables and the command list are shared with `rs`, which is stale afterwards; a chain
 * whose rules change gets a new rule array, so what was derived from the old array (an index
 * by destination) is derived again.
 */
export function patchRuleSet(rs: RuleSet, edited: EditedLines): { ruleSet: RuleSet; patches: RulePatch[] } | undefined {
  // blank and comment lines come and go freely (Enter at the end of a line, a comment typed):
  // they hold nothing of the tables, only their own syntax issues
  const removed = edited.removed.filter((e) => !textOnly(e));
  const added = edited.added.filter((e) => !textOnly(e));
  // an iptables -S listing takes its tables from all its lines (a DNAT typed may make a run nat): rebuilt
  if (rs.dialect !== 'save' || rs.listing || removed.length !== added.length || !onlyAppends(rs)) return undefined;
  // the first line also decides the byte order mark and line ending findings of the whole file
  if (edited.removed.some((e) => e.start === 0) || edited.added.some((e) => e.start === 0)) return undefined;
  const patches: RulePatch[] = [];
  const commands = rs.commands;
  const at: number[] = [];
  let from = 0;
  for (let k = 0; k < removed.length; k++) {
    const a = ruleCommand(removed[k]);
    const b = ruleCommand(added[k]);
    if (!a || !b || a.chain !== b.chain || a.family !== b.family) return undefined;
    // the lines are in document order, and so are the commands
    const i = commands.indexOf(a, from);
    if (i === -1) return undefined;
    from = i + 1;
    at.push(i);
    const chain = rs.tables.get(`${a.family}:${a.table}`)?.chains.get(a.chain ?? '');
    // a chain that exists only because a rule appended to it could vanish with the edit
    if (!chain || (!chain.builtin && !chain.declarations.length)) return undefined;
    const index = chain.rules.indexOf(a.rule!);
    if (index === -1) return undefined;
    patches.push({ old: a, new: b, chain, index });
  }
  // nothing is changed before every line is known to qualify; the command list is changed in
  // place (a copy of 100k entries per keystroke only feeds the garbage collector)
  for (let k = 0; k < patches.length; k++) commands[at[k]] = patches[k].new;
  const gone = new Set<object>();
  const fresh: RuleSet['issues'] = [];
  for (const e of edited.removed) if (textOnly(e)) for (const i of e.issues) gone.add(i);
  for (const e of edited.added) if (textOnly(e)) fresh.push(...e.issues);
  for (let k = 0; k < patches.length; k++) {
    const { old, new: cmd } = patches[k];
    // what the table line gives every rule of its block (see SaveDocument.toRuleSet)
    cmd.table = old.table;
    cmd.rule!.table = old.table;
    for (const i of removed[k].issues) gone.add(i);
    for (const i of old.issues) gone.add(i);
    fresh.push(...added[k].issues, ...cmd.issues);
  }
  const changed = new Set<Chain>();
  for (const p of patches) {
    if (!changed.has(p.chain)) {
      changed.add(p.chain);
      p.chain.rules = p.chain.rules.slice();
    }
    p.chain.rules[p.index] = p.new.rule!;
  }
  const issues = gone.size ? rs.issues.filter((i) => !gone.has(i)) : rs.issues.slice();
  issues.push(...fresh);
  const ruleSet: RuleSet = { ...rs, issues };
  appendsOnly.set(ruleSet, true);
  return { ruleSet, patches };
}
