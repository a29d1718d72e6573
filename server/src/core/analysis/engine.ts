import type { Command, RuleSet } from '../model/types.ts';
import type { LineIndex } from '../text/lineIndex.ts';
import { drain, type Steps } from '../services/steps.ts';
import { chainFactsOnTheWay } from './chainGraph.ts';
import { NO_FINDINGS, type CommandCache } from './commandCache.ts';
import { rules as allRules } from './registry.ts';
import { applySuppressions, suppressionFix } from './suppressions.ts';
import type { UfwLoad } from '../model/ufwLoad.ts';
import type { AnalysisSettings, Diagnostic, HookFacts, LintRule, RuleContext, SeveritySetting } from './types.ts';

export const defaultSettings: AnalysisSettings = { sshPort: 22 };

export interface RunOptions {
  settings?: Partial<AnalysisSettings>;
  /** Per-code severity overrides (`.iptables-lint.json`, then the editor setting). */
  severities?: Record<string, SeveritySetting>;
  rules?: readonly LintRule[];
  /** Kept by a document across edits: line-local findings of unchanged commands are reused. */
  commandCache?: CommandCache;
  /** Whether the text holds `iptables-lint` directives, when the caller knows (false: the text is not searched for them). */
  directives?: boolean;
  /** Reads `[from, to)` of the text; a document just edited reads it without copying it into one piece (see EditedText). */
  read?: (from: number, to: number) => string;
  /** A file of hooks: what its down hooks run, and more (see RuleContext.hooks). */
  hooks?: HookFacts;
  /** A ufw rules file read with the others ufw loads (see RuleContext.ufw). */
  ufw?: UfwLoad;
}

/** Findings of the same rule at the same place with the same words are one finding. */
function findingKey(d: Diagnostic): string {
  return `${d.code} ${d.span.start} ${d.span.end} ${d.message}`;
}

/** Removes the findings from `from` on that repeat one before them (the same code, place and message). */
function dropRepeated(out: Diagnostic[], from: number): void {
  const seen = new Set(out.slice(0, from).map(findingKey));
  let kept = from;
  for (let i = from; i < out.length; i++) {
    const key = findingKey(out[i]);
    if (seen.has(key)) continue;
    seen.add(key);
    out[kept++] = out[i];
  }
  out.length = kept;
}

/**
 * Runs every rule over a rule set. A rule that throws is reported as one `internal-error`
 * diagnostic naming it; the others still run.
 */
export function runRules(ruleSet: RuleSet, text: string, lines: LineIndex, options: RunOptions = {}): Diagnostic[] {
  return drain(runRulesSteps(ruleSet, text, lines, options));
}

/**
 * Commands looked at between two yields of runRulesSteps (all per-command rules each): the
 * first thousand of the 100k dump's first analysis took 31–37 ms, the code not yet compiled
 * (two thousand 50–73 ms).
 */
const COMMANDS_PER_STEP = 1000;

/**
 * runRules in steps: it yields every few thousand commands of the walk over them, and after
 * each rule over the whole set, so that a front end answers other requests while the first
 * analysis of a big file runs (0.8–1 s for a 100k-rule dump).
 */
export function* runRulesSteps(ruleSet: RuleSet, text: string, lines: LineIndex, options: RunOptions = {}): Steps<Diagnostic[]> {
  const settings: AnalysisSettings = { ...defaultSettings, ...options.settings };
  const out: Diagnostic[] = [];
  const failed = new Set<LintRule>();
  const fail = (rule: LintRule, e: unknown) => {
    if (failed.has(rule)) return;
    failed.add(rule);
    out.push({
      code: 'internal-error',
      severity: 'error',
      message: `The ${rule.code} check failed on this file (${e instanceof Error ? e.message : String(e)}); other checks ran. Please report it.`,
      span: { start: 0, end: 0 },
    });
  };
  const read = options.read ?? ((from: number, to: number) => text.slice(from, to));
  const active: { rule: LintRule; ctx: RuleContext }[] = [];
  for (const rule of options.rules ?? allRules) {
    const override = options.severities?.[rule.code];
    if (override === 'off') continue;
    const severity = override ?? rule.severity;
    active.push({
      rule,
      ctx: { ruleSet, text, read, settings, hooks: options.hooks, ufw: options.ufw, report: (d) => out.push({ ...d, code: rule.code, severity: override ?? d.severity ?? severity }) },
    });
  }
  // one walk over the commands: each command is looked at by every per-command rule while
  // its objects are at hand, instead of one walk per rule over 100k rules
  const perCommand = active.filter((a) => a.rule.checkCommand && !(options.commandCache && a.rule.lineLocal));
  const lineLocal = options.commandCache ? active.filter((a) => a.rule.checkCommand && a.rule.lineLocal) : [];
  const cache = options.commandCache;
  cache?.begin(lineLocal.map((a) => a.rule), options.severities);
  // 100k commands times a dozen rules: the loop asks a plain list, not the set of failed rules
  type Check = { check: NonNullable<LintRule['checkCommand']>; rule: LintRule; ctx: RuleContext; dead: boolean };
  const checks = (list: typeof active): Check[] => list.map((a) => ({ check: a.rule.checkCommand!, rule: a.rule, ctx: a.ctx, dead: false }));
  const perCommandChecks = checks(perCommand);
  const lineLocalChecks = checks(lineLocal);
  const run = (list: Check[], cmd: RuleSet['commands'][number]) => {
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c.dead) continue;
      try {
        c.check(cmd, c.ctx);
      } catch (e) {
        c.dead = true;
        fail(c.rule, e);
      }
    }
  };
  // the chain facts the whole-set rules need are gathered in the walk over the commands
  let facts = perCommand.length || lineLocal.length ? chainFactsOnTheWay(ruleSet) : undefined;
  // gathering them starts with every chain's name (36k on the 100k dump, 10–15 ms)
  if (facts) yield;
  const withFindings: RuleSet['commands'] = [];
  // one command's line-local findings: those kept from an earlier run, or checked now and kept
  const lineLocalOf = (c: CommandCache, cmd: RuleSet['commands'][number]) => {
    const from = out.length;
    const kept = c.recall(cmd);
    if (kept) for (const d of kept) out.push(d);
    else {
      const failures = failed.size;
      run(lineLocalChecks, cmd);
      // a failing rule is reported once for the document, not remembered per line
      if (failed.size === failures) c.remember(cmd, out.length === from ? NO_FINDINGS : out.slice(from));
    }
    if (out.length > from) withFindings.push(cmd);
  };
  // after an edit of rules in place, with the facts carried over: only the commands that had
  // findings and the new ones
  const changed = cache && lineLocal.length && !perCommand.length && !facts ? cache.changedOnly(ruleSet) : undefined;
  if (changed) {
    for (const cmd of changed) lineLocalOf(cache!, cmd);
  } else if (perCommand.length || lineLocal.length) {
    let walked = 0;
    for (const cmd of ruleSet.commands) {
      if (++walked % COMMANDS_PER_STEP === 0) yield;
      try {
        facts?.visit(cmd);
      } catch {
        // gathered again on demand inside the rules that need them, where a failure is reported
        facts = undefined;
      }
      run(perCommandChecks, cmd);
      if (cache && lineLocal.length) lineLocalOf(cache, cmd);
    }
    try {
      facts?.finish();
    } catch {
      // as above: the rules gather them again and report a failure
    }
  }
  // a rule that failed left commands without findings kept: the next run walks them all
  if (cache && lineLocal.length) cache.finished(ruleSet, failed.size ? undefined : withFindings);
  // a script's function bound at each call, or a loop's command at each word (RuleSet.instances):
  // what the arguments make of its commands, each finding once (the calls share the body's words
  // and its findings)
  if (ruleSet.instances?.length && (perCommand.length || lineLocal.length)) {
    const seen = new Set(out.map(findingKey));
    for (const cmd of ruleSet.instances) {
      const from = out.length;
      run(perCommandChecks, cmd);
      run(lineLocalChecks, cmd);
      for (const d of out.splice(from)) {
        const key = findingKey(d);
        if (seen.has(key)) continue;
        seen.add(key);
        // found in the body: the call (an instance spans it) says with which arguments; found
        // in a loop's words: the command (or call) the loop runs with that word
        if (d.span.start < cmd.span.start || d.span.end > cmd.span.end) d.related = [...(d.related ?? []), { span: cmd.span, message: cmd.loopValues ? loopRun(cmd.loopValues) : 'with the arguments of this call' }];
        out.push(d);
      }
    }
  }
  const wholeSetFrom = out.length;
  for (const a of active) {
    if (!a.rule.check || failed.has(a.rule)) continue;
    yield;
    try {
      if (a.rule.prepare) yield* a.rule.prepare(ruleSet);
      a.rule.check(a.ctx);
    } catch (e) {
      fail(a.rule, e);
    }
  }
  // the calls of a function bound at each call share its body's words: a whole-set rule that
  // finds the same thing at each call reports it once
  if (ruleSet.instances?.length) dropRepeated(out, wholeSetFrom);
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const kept = options.directives === false ? out : applySuppressions(text, lines, out);
  for (const d of kept) {
    if (d.code === 'internal-error') continue;
    d.fixes = [...(d.fixes ?? []), suppressionFix(d.code, d.span.start, lines, read)];
  }
  return kept;
}

/** Which pass of its loops an instance is: the word, or each loop's variable and word where loops are nested. */
function loopRun(values: NonNullable<Command['loopValues']>): string {
  if (values.length === 1) return `where the loop runs this command with ${values[0].value.text}`;
  return `where the loops run this command with ${values.map((b) => `${b.name}=${b.value.text}`).join(', ')}`;
}
