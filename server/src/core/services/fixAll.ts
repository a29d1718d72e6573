import type { RunOptions } from '../analysis/engine.ts';
import type { Diagnostic, Fix, FixEdit } from '../analysis/types.ts';
import { FirewallDocument, type DocumentOptions } from '../facade.ts';

/** What `fixAll` did: the text after the fixes, how many it applied, and the findings of that text. */
export interface FixAllResult {
  text: string;
  /** Safe fixes applied, over all passes. */
  fixed: number;
  /** The findings of the fixed text (what is left to do by hand). */
  diagnostics: Diagnostic[];
  /** The edits of the one pass that fixed everything, in the original text's offsets; undefined when it took more passes or fixed nothing. */
  edits?: FixEdit[];
}

/**
 * A fix that keeps what the rules do (see Fix.safe): the one `--fix` and the editor's fix-all
 * apply. A finding offering several fixes is a choice for a person, unless one of them is safe.
 */
export function safeFix(d: Diagnostic): Fix | undefined {
  return d.fixes?.find((f) => f.safe);
}

/** Where a fix's edits lie, from the first one's start to the last one's end. */
function extent(fix: Fix): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const e of fix.edits) {
    start = Math.min(start, e.span.start);
    end = Math.max(end, e.span.end);
  }
  return { start, end };
}

/**
 * The text with fixes applied, those whose edits would touch or overlap an earlier one's left
 * out (as ESLint does: what they would change depends on the order, so they wait for a pass over
 * the fixed text). Fixes are taken in the order of their first edit.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; applied: Fix[]; edits: FixEdit[] } {
  const ordered = fixes.filter((f) => f.edits.length).map((fix) => ({ fix, ...extent(fix) }));
  ordered.sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: Fix[] = [];
  const edits: FixEdit[] = [];
  let lastEnd = -1;
  for (const f of ordered) {
    if (f.start <= lastEnd) continue;
    applied.push(f.fix);
    edits.push(...f.fix.edits);
    lastEnd = f.end;
  }
  // in text order (one fix's edits never overlap each other), with the text between them kept
  edits.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(text.slice(at, e.span.start), e.text);
    at = e.span.end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), applied, edits };
}

/** Passes over the text before giving up: a fix that makes another safe fix possible needs a second. */
export const MAX_FIX_PASSES = 10;

/**
 * Applies every safe fix of a text's findings, then lints the result again and fixes what the
 * new text offers, until nothing safe is left (at most MAX_FIX_PASSES lints). `first` is the
 * text's findings when the caller has them already (an open document's), with the same
 * options. Never throws: the facade reports its failures as findings.
 */
export function fixAll(text: string, docOptions: DocumentOptions, runOptions: RunOptions = {}, first?: Diagnostic[]): FixAllResult {
  let diagnostics = first ?? new FirewallDocument(text, docOptions).diagnostics(runOptions);
  let fixed = 0;
  let passes = 0;
  let edits: FixEdit[] | undefined;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = diagnostics.map(safeFix).filter((f): f is Fix => f !== undefined);
    if (!fixes.length) break;
    const next = applyFixes(text, fixes);
    if (next.text === text) break;
    passes++;
    edits = passes === 1 ? next.edits : undefined;
    fixed += next.applied.length;
    text = next.text;
    diagnostics = new FirewallDocument(text, docOptions).diagnostics(runOptions);
  }
  return { text, fixed, diagnostics, edits };
}
