import type { FirewallDocument } from '../facade.ts';
import type { RuleSet } from '../model/types.ts';
import type { UfwLoad } from '../model/ufwLoad.ts';
import type { Span } from '../text/span.ts';

/**
 * What a trace follows a packet through: the document's own rules, or for a ufw rules file
 * judged with the files around it the tables as ufw loads them (FORWARD, its policy and ufw's
 * chains are in none of its files; see ufwLoad), as its findings and hover do.
 */
export interface TraceSource {
  ruleSet: RuleSet;
  /** The text the rule set's spans are offsets of. */
  text: string;
  /** Where a span of `text` is: the document's own (in its offsets), another file's line, or a rule ufw writes itself (neither). */
  place(span: Span): { own: Span } | { file?: string; line?: number };
}

export function traceSource(doc: FirewallDocument, load: UfwLoad | undefined = doc.ufwLoad): TraceSource {
  if (!load) return { ruleSet: doc.ruleSet, text: doc.text, place: (span) => ({ own: span }) };
  return {
    ruleSet: load.ruleSet,
    text: load.text,
    place(span) {
      const p = load.placeOf(span.start);
      if (p.own) return { own: load.toOwn(span) };
      return p.file ? { file: p.file, line: p.line } : {};
    },
  };
}

/**
 * Why a document cannot be traced: it has no model (binary, over the size limit, or no room for
 * its model: see FirewallDocument.skipped), as its one finding says. Undefined when it can be.
 */
export function whyNotTraced(doc: FirewallDocument): string | undefined {
  if (!doc.skipped) return undefined;
  return doc.diagnostics()[0]?.message ?? 'This file is not analysed.';
}
