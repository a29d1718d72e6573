import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRules, type RunOptions } from '../../server/src/core/analysis/engine.ts';
import type { Diagnostic, Fix, LintRule } from '../../server/src/core/analysis/types.ts';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFixes } from '../../server/src/core/services/fixAll.ts';
import { withUfwLoad } from '../../server/src/core/services/ufwFindings.ts';
import { ufwLoad } from '../../server/src/core/model/ufwLoad.ts';
import type { Family } from '../../server/src/core/knowledge/types.ts';
import type { Dialect } from '../../server/src/core/model/types.ts';
import type { HookFormat } from '../../server/src/core/model/hookFiles.ts';

/**
 * Table tests for one rule, ESLint style. Each case is a document; in `invalid` cases the
 * expected ranges are marked with «…» (stripped before linting), so a test states exactly
 * where each diagnostic of the rule's code must be, and nothing else of that code may appear.
 */
export interface RuleCase {
  /** Document text; «» mark expected ranges in invalid cases. */
  code: string;
  dialect?: Dialect;
  family?: Family;
  /** The file's name, where it says how the file is loaded (rules.v4: by iptables-restore at boot, without --noflush). */
  fileName?: string;
  /** A file of hooks, wg-quick's or ifupdown's: its hooks are the script (see model/hookFiles.ts). */
  hooks?: HookFormat;
  name?: string;
  options?: RunOptions;
  /** For invalid cases: expected severity of every reported diagnostic. */
  severity?: Diagnostic['severity'];
}

export function stripMarkers(marked: string): { text: string; ranges: { start: number; end: number }[] } {
  let text = '';
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (const ch of marked) {
    if (ch === '«') open.push(text.length);
    else if (ch === '»') ranges.push({ start: open.pop() ?? 0, end: text.length });
    else text += ch;
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text, ranges };
}

export function lintWith(rule: LintRule, text: string, c: Omit<RuleCase, 'code'> = {}): Diagnostic[] {
  const doc = new FirewallDocument(text, { dialect: c.hooks ? 'script' : c.dialect ?? 'save', family: c.family, fileName: c.fileName, hooks: c.hooks });
  // a file of hooks is read through the view of its hooks (doc.text), with what down runs beside it
  const found = runRules(doc.ruleSet, doc.text, doc.lines, { ...c.options, hooks: doc.hookFacts, rules: [rule] });
  // a ufw rules file with its surroundings: the checks that follow FORWARD read ufw's whole load, as the document does
  const ufw = c.options?.settings?.workspaceUfw;
  return (ufw ? withUfwLoad(found, ufwLoad(doc.text, doc.family, ufw), { ...c.options, rules: [rule] }) : found).filter((d) => d.code === rule.code);
}

/**
 * The text with the first finding's first quick fix applied, how many findings are left then
 * (a fix that works leaves none), and that finding: what each rule's fix test checks.
 */
export function fixFirst(rule: LintRule, text: string, c: Omit<RuleCase, 'code'> = {}): { text: string; left: number; finding: Diagnostic } {
  const [finding] = lintWith(rule, text, c);
  assert.ok(finding?.fixes?.length, 'a finding with a fix');
  const fixedText = applyFix(text, finding.fixes[0]);
  return { text: fixedText, left: lintWith(rule, fixedText, c).length, finding };
}

/**
 * The text with each finding of `code` fixed in turn: the first fix of the first finding, on the
 * text the fix before left, until none is left (as a user applies them one after the other).
 */
export function fixedInTurn(text: string, fileName: string, code: string): string {
  let fixed = text;
  for (let round = 0; ; round++) {
    assert.ok(round < 100, `${code}: the fixes never leave the text without a finding`);
    const next = new FirewallDocument(fixed, { fileName }).diagnostics().find((d) => d.code === code);
    if (!next) return fixed;
    assert.ok(next.fixes?.length, `${code}: a finding without a fix`);
    fixed = applyFix(fixed, next.fixes[0]);
  }
}

function label(c: RuleCase): string {
  return c.name ?? c.code.replace(/«|»/g, '').trim().split('\n').filter((l) => !/^(\*|:|COMMIT|#)/.test(l)).join(' | ').slice(0, 90);
}

export function ruleTable(rule: LintRule, cases: { valid: RuleCase[]; invalid: RuleCase[] }): void {
  for (const c of cases.valid) {
    test(`${rule.code} valid: ${label(c)}`, () => {
      const diags = lintWith(rule, c.code, c);
      assert.deepEqual(diags.map((d) => ({ start: d.span.start, end: d.span.end, message: d.message })), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${rule.code} invalid: ${label(c)}`, () => {
      const { text, ranges } = stripMarkers(c.code);
      assert.ok(ranges.length > 0, 'an invalid case must mark at least one range with «…»');
      const diags = lintWith(rule, text, c);
      assert.deepEqual(
        diags.map((d) => ({ start: d.span.start, end: d.span.end, text: text.slice(d.span.start, d.span.end) })),
        ranges.map((r) => ({ ...r, text: text.slice(r.start, r.end) })),
      );
      if (c.severity) for (const d of diags) assert.equal(d.severity, c.severity);
    });
  }
}

/** Wraps rule lines into a filter (or other) table block. */
export function table(name: string, body: string): string {
  return `*${name}\n${body.replace(/^\n/, '')}${body.endsWith('\n') ? '' : '\n'}COMMIT\n`;
}

/** The text with a quick fix's edits applied, as the editor and `--fix` apply them. */
export function applyFix(text: string, fix: Fix): string {
  return applyFixes(text, [fix]).text;
}
