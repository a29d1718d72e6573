import type { IpsetStep } from '../../model/ipsetSteps.ts';
import type { Command, RestoreInput, Rule, RuleSet } from '../../model/types.ts';
import { stateAt } from '../setState.ts';
import { setsNamedBy } from '../setsNamed.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** A rule naming a set, in the chain that holds it. */
interface Use {
  rule: Rule;
  family: string;
  table: string;
  chain: string;
}

/** The rules of the tables a run leaves that name `name`: the last run's, still there when the script starts again. */
function usesLeft(rs: RuleSet, name: string): Use[] {
  const out: Use[] = [];
  for (const t of rs.tables.values()) {
    for (const c of t.chains.values()) {
      for (const r of c.rules) if (setsNamedBy(r).some((w) => w.value === name)) out.push({ rule: r, family: t.family, table: t.name, chain: c.name });
    }
  }
  return out;
}

/** Whether a step empties the chain of a use: `-F` of it or of its whole table, `-D` of a rule naming the set there, an iptables-restore input that loads its table. */
function removes(step: Command | RestoreInput, use: Use, name: string): boolean {
  if ('ruleSet' in step) return step.flushes && step.ruleSet.tables.has(`${use.family}:${use.table}`);
  if (step.family !== use.family || step.table !== use.table) return false;
  if (step.kind === 'flush') return !step.chain || step.chain === use.chain;
  return step.kind === 'delete' && step.chain === use.chain && !!step.rule && setsNamedBy(step.rule).some((w) => w.value === name);
}

/** The step's rules (a here-document's too) that name the set, in their chains. */
function usesAdded(step: Command | RestoreInput, name: string): Use[] {
  const cmds = 'ruleSet' in step ? step.ruleSet.commands : [step];
  const out: Use[] = [];
  for (const c of cmds) {
    if ((c.kind === 'append' || c.kind === 'insert' || c.kind === 'replace') && c.rule && c.chain && setsNamedBy(c.rule).some((w) => w.value === name)) out.push({ rule: c.rule, family: c.family, table: c.table, chain: c.chain });
  }
  return out;
}

/**
 * The rules that still name the set when a destroy runs `upto` steps into a second run: the
 * last run's, and those this run added before it, unless a step before it emptied their chain.
 */
function usesAt(rs: RuleSet, name: string, upto: number): Use[] {
  const steps = rs.steps ?? [];
  let live = usesLeft(rs, name);
  for (let i = 0; i < upto && i < steps.length; i++) {
    const s = steps[i];
    live = live.filter((u) => !removes(s, u, name));
    live.push(...usesAdded(s, name));
  }
  return live;
}

/**
 * The quick fix: `-exist` before the set's name, and `ipset flush NAME` on the line after,
 * with the create line's own way of running ipset (`sudo ipset`, `$IPSET`) and indent: the
 * create then succeeds on every run and the adds after it fill the set afresh. Offered on an
 * ipset command line, not inside an `ipset restore` input.
 */
function existAndFlush(ctx: RuleContext, create: IpsetStep, name: string): Fix[] {
  const text = ctx.text;
  const lineStart = text.lastIndexOf('\n', create.span.start - 1) + 1;
  const before = text.slice(lineStart, create.span.start);
  const m = /^([ \t]*)(.*?(?:\bipset|\$\{?IPSET\w*\}?)\s+(?:-\S+\s+)*)(?:create|-N|n|--create)\s+$/.exec(before);
  if (!m) return [];
  let end = text.indexOf('\n', create.span.end);
  // a command continued on the next lines (`\` at the end) ends where they do
  while (end > 0 && text.charCodeAt(end - 1) === 92) end = text.indexOf('\n', end + 1);
  const at = end === -1 ? text.length : end;
  return [{
    title: `Create ${name} with -exist and empty it (ipset flush ${name})`,
    edits: [
      { span: { start: create.span.start, end: create.span.start }, text: '-exist ' },
      { span: { start: at, end: at }, text: `\n${m[1]}${m[2]}flush ${name}` },
    ],
  }];
}

export const setExistsOnRerun: LintRule = {
  code: 'set-exists-on-rerun',
  severity: 'warning',
  summary: 'A script\'s `ipset create` or `ipset add` (without -exist) that fails when the script runs again: the set, or the entry, is left from the last run (a destroy above is refused while the last run\'s rules still use the set).',
  docs: {
    description: 'Reports an unconditional `ipset create NAME` without `-exist` in a script whose run leaves the set in place, when a second run reaches it with the set still there: nothing above it destroys the set, or the `ipset destroy` above it runs while rules still name the set (the rules the last run added, in chains not flushed before the destroy, or rules added above it), which ipset refuses. A create under a condition (`ipset list NAME || ipset create NAME …`) or whose failure the script expects is left alone, and a script that restores sets from a file or names them with expansions makes the check stand down. The related information points to the destroy that fails and to a rule that holds the set. The quick fix creates the set with `-exist` and empties it on the next line (`ipset flush NAME`), so the adds after it fill it afresh on every run. Likewise an unconditional `ipset add NAME ENTRY` without `-exist` where the set keeps the last run\'s entries (created with `-exist`, or left in place) and nothing above empties it (`ipset flush`, a destroy that succeeds, a `swap`): the entry is there already and ipset refuses it; the fix adds `-exist`.',
    rationale: 'Firewall scripts are run again after each edit. Measured with ipset 7.17 and iptables 1.8.9 in a network namespace: on the second run `ipset destroy blocklist` fails ("Set cannot be destroyed: it is in use by a kernel component") while the INPUT rule of the first run still names it, then `ipset create blocklist` fails ("set with the same name already exists") and every `ipset add` after it ("it\'s already added"): the blocklist is never refreshed, and under `set -e` the script stops before its rules. Flushing the rules before the destroy, or `ipset create -exist` then `ipset flush`, runs again cleanly.',
    bad: { dialect: 'script', text: 'ipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\niptables -F INPUT\niptables -A INPUT -m set --match-set blocklist src -j DROP\n' },
    good: { dialect: 'script', text: 'iptables -F INPUT\nipset destroy blocklist 2>/dev/null\nipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const sets = rs.ipsets;
    if (rs.dialect !== 'script' || !sets?.length || !rs.steps || rs.wrapsTool || rs.sourcesFiles) return;
    // sets made from a file, or named by expansions: which exist is not known
    if (sets.some((s) => s.kind === 'unknown')) return;
    sets.forEach((c, i) => {
      if (c.adds !== undefined) return addAgain(ctx, sets, c, i);
      const name = c.name;
      if (c.kind !== 'create' || c.exist || c.failureHandled || c.guard !== 0 || name === undefined) return;
      // a second create in the same run fails on the first run already: not this rule's
      if (stateAt(rs, sets, i, name, 0).kind === 'created') return;
      // the set is left at the end of a run
      if (stateAt(rs, sets, sets.length, name, 0).kind !== 'created') return;
      // on the second run: the last destroy above it that surely runs
      let destroy: IpsetStep | undefined;
      for (let j = 0; j < i; j++) {
        const s = sets[j];
        if (s.guard === 0 && ((s.kind === 'destroy' && (s.name === undefined || s.name === name)) || (s.kind === 'rename' && s.name === name))) destroy = s;
      }
      if (!destroy) {
        ctx.report({
          span: c.span,
          message: `Run again, this create fails: set ${name} is left from the last run and nothing above destroys it (ipset: set with the same name already exists). Use ipset create -exist ${name} … then ipset flush ${name} to refill it, or destroy it first, after the rules that use it are flushed.`,
          fixes: existAndFlush(ctx, c, name),
        });
        return;
      }
      const holding = usesAt(rs, name, destroy.order);
      if (!holding.length) return;
      ctx.report({
        span: c.span,
        message: `Run again, this create fails: the ipset destroy above it is refused while rules still use set ${name} (${holding[0].table} ${holding[0].chain}${holding.length > 1 ? ` and ${holding.length - 1} more` : ''}), so the set is left from the last run. Flush or delete those rules before the destroy, or use ipset create -exist ${name} … then ipset flush ${name}.`,
        related: [
          { span: destroy.span, message: `refused on a second run: set ${name} is in use` },
          { span: holding[0].rule.span, message: `still uses ${name} when the destroy runs` },
        ],
        fixes: existAndFlush(ctx, c, name),
      });
    });
  },
};

/**
 * An `ipset add S ENTRY` without `-exist` that fails on a second run: S is left with the last
 * run's entries (created with `-exist`, or never destroyed) and nothing above empties it, so
 * ENTRY is in it already ("Element cannot be added to the set: it's already added").
 */
function addAgain(ctx: RuleContext, sets: readonly IpsetStep[], add: IpsetStep, i: number): void {
  const rs = ctx.ruleSet;
  const name = add.name;
  if (add.exist || add.failureHandled || add.guard !== 0 || name === undefined) return;
  if (stateAt(rs, sets, sets.length, name, 0).kind !== 'created') return;
  for (let j = 0; j < i; j++) {
    const s = sets[j];
    const mine = s.name === undefined || s.name === name;
    // emptied: a flush, or a destroy that succeeds on the second run (a create follows);
    // a create without -exist fails on the second run itself, and is reported there
    if (mine && s.kind === 'flush') return;
    if (s.kind === 'create' && s.name === name && !s.exist) return;
    if (mine && s.kind === 'destroy' && !usesAt(rs, name, s.order).length) return;
    if (s.kind === 'rename' && s.to === name) return;
  }
  ctx.report({
    span: add.command,
    message: `Run again, this add fails: ${add.adds} is in set ${name} already, left from the last run (nothing above empties the set), and ipset refuses an entry it holds (it's already added). Use ipset add -exist, or ipset flush ${name} before the adds.`,
    fixes: [{ title: `Add with -exist`, edits: [{ span: { start: add.span.start, end: add.span.start }, text: '-exist ' }] }],
  });
}