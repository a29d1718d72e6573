import type { RulePatch } from '../model/patchRuleSet.ts';
import type { Command, RuleSet } from '../model/types.ts';
import type { Span } from '../text/span.ts';
import type { Diagnostic, LintRule, SeveritySetting } from './types.ts';

/**
 * Findings of the line-local rules, kept per command across edits. An edit re-parses only
 * the lines it touches; the commands of the other lines are the same objects, so their
 * findings are reused instead of checking 100k rules again. Offsets are stored relative to
 * the command's start, because an edit above moves the line.
 *
 * The findings live in a slot on the command itself rather than in a WeakMap: 100k weak
 * entries made every garbage collection of a big document slower (ephemerons are traced
 * separately), and the first analysis paid about a second for them. Most commands have no
 * finding; they all share one entry per family and table.
 */
export class CommandCache {
  /** Changes whenever the rules or severities change: every older entry is then stale. */
  private generation = 0;
  private severities: Record<string, SeveritySetting> | undefined;
  private rules: readonly LintRule[] | undefined;
  private empty = new Map<string, CachedFindings>();
  private lastEmpty: CachedFindings | undefined;

  /**
   * The rule set of the last run, the commands that had findings in it, and the rule edits
   * since (see patched): the next run on the patched rule set looks at those commands only,
   * not at every command of a 100k-rule dump.
   */
  private last: { ruleSet: RuleSet; withFindings: Command[]; removed: Set<Command>; added: Command[] } | undefined;

  /** Starts a run with these line-local rules and severities; entries from a run with others are dropped. */
  begin(rules: readonly LintRule[], severities: Record<string, SeveritySetting> | undefined): void {
    // compared by content: a front end may build the same severities afresh for every run
    // (the language server merges .iptables-lint.json and the setting on each publish)
    if (this.generation && sameSeverities(severities, this.severities) && sameRules(rules, this.rules)) return;
    this.rules = rules;
    this.severities = severities;
    // unique across documents: a command is only ever judged by the cache that filled its slot
    this.generation = ++generations;
    this.empty.clear();
    this.last = undefined;
  }

  /** An edit replaced rules of `from` in place, giving `to` (see patchRuleSet). */
  patched(from: RuleSet, to: RuleSet, patches: readonly RulePatch[]): void {
    const last = this.last;
    if (!last || last.ruleSet !== from) {
      this.last = undefined;
      return;
    }
    last.ruleSet = to;
    for (const p of patches) {
      if (p.old) last.removed.add(p.old);
      if (p.new) last.added.push(p.new);
    }
  }

  /**
   * The commands to look at in a run over `rs` when the last run was over the rule set it was
   * patched from: those that had findings and those added since. Undefined when every
   * command must be looked at.
   */
  changedOnly(rs: RuleSet): Command[] | undefined {
    const last = this.last;
    if (!last || last.ruleSet !== rs) return undefined;
    const out: Command[] = [];
    for (const c of last.withFindings) if (!last.removed.has(c)) out.push(c);
    for (const c of last.added) if (!last.removed.has(c)) out.push(c);
    return out;
  }

  /** After a run over `rs`: the commands that had findings in it (undefined: not known, the next run looks at every command). */
  finished(rs: RuleSet, withFindings: Command[] | undefined): void {
    this.last = withFindings && { ruleSet: rs, withFindings, removed: new Set(), added: [] };
  }

  remember(cmd: Command, found: readonly Diagnostic[]): void {
    if (!found.length) {
      // consecutive commands mostly share family and table: the key is built when they change
      let shared = this.lastEmpty;
      if (!shared || shared.generation !== this.generation || shared.family !== cmd.family || shared.table !== cmd.table) {
        const key = `${cmd.family}:${cmd.table}`;
        shared = this.empty.get(key);
        if (!shared) this.empty.set(key, (shared = { generation: this.generation, family: cmd.family, table: cmd.table, findings: NO_FINDINGS }));
        this.lastEmpty = shared;
      }
      cmd.lineFindings = shared;
      return;
    }
    const base = cmd.span.start;
    cmd.lineFindings = { generation: this.generation, family: cmd.family, table: cmd.table, findings: found.map((d) => moved(d, -base)) };
  }

  /** The findings kept for this command, placed at its current offset; undefined when they do not apply any more. */
  recall(cmd: Command): readonly Diagnostic[] | undefined {
    const c = cmd.lineFindings;
    if (!c || c.generation !== this.generation || c.family !== cmd.family || c.table !== cmd.table) return undefined;
    if (!c.findings.length) return NO_FINDINGS;
    const base = cmd.span.start;
    return c.findings.map((d) => moved(d, base));
  }
}

export interface CachedFindings {
  generation: number;
  family: string;
  table: string;
  findings: readonly Diagnostic[];
}

/** The one empty list of findings, shared by every command that has none. */
export const NO_FINDINGS: readonly Diagnostic[] = [];
let generations = 0;

function sameSeverities(a: Record<string, SeveritySetting> | undefined, b: Record<string, SeveritySetting> | undefined): boolean {
  if (a === b) return true;
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  return ka.length === kb.length && ka.every((k) => a![k] === b?.[k]);
}

function sameRules(a: readonly LintRule[], b: readonly LintRule[] | undefined): boolean {
  return !!b && a.length === b.length && a.every((r, i) => r === b[i]);
}

function move(span: Span, by: number): Span {
  return { start: span.start + by, end: span.end + by };
}

function moved(d: Diagnostic, by: number): Diagnostic {
  const out: Diagnostic = { code: d.code, severity: d.severity, message: d.message, span: move(d.span, by) };
  if (d.related) out.related = d.related.map((r) => ({ span: move(r.span, by), message: r.message }));
  if (d.fixes) out.fixes = d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ span: move(e.span, by), text: e.text })) }));
  return out;
}
