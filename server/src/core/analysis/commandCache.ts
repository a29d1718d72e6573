import type { Command } from '../model/types.ts';
import type { Span } from '../text/span.ts';
import type { Diagnostic, SeveritySetting } from './types.ts';

/**
 * Findings of the line-local rules, kept per command across edits. An edit re-parses only
 * the lines it touches; the commands of the other lines are the same objects, so their
 * findings are reused instead of checking 100k rules again. Offsets are stored relative to
 * the command's start, because an edit above moves the line.
 */
export type CommandCache = WeakMap<Command, CachedFindings>;

export interface CachedFindings {
  family: string;
  table: string;
  severities: Record<string, SeveritySetting> | undefined;
  findings: readonly Diagnostic[];
}

const NONE: readonly Diagnostic[] = [];

function move(span: Span, by: number): Span {
  return { start: span.start + by, end: span.end + by };
}

function moved(d: Diagnostic, by: number): Diagnostic {
  const out: Diagnostic = { code: d.code, severity: d.severity, message: d.message, span: move(d.span, by) };
  if (d.related) out.related = d.related.map((r) => ({ span: move(r.span, by), message: r.message }));
  if (d.fixes) out.fixes = d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ span: move(e.span, by), text: e.text })) }));
  return out;
}

export function remember(cache: CommandCache, cmd: Command, severities: CachedFindings['severities'], found: readonly Diagnostic[]): void {
  const base = cmd.span.start;
  cache.set(cmd, { family: cmd.family, table: cmd.table, severities, findings: found.length ? found.map((d) => moved(d, -base)) : NONE });
}

/** The findings kept for this command, placed at its current offset; undefined when they do not apply any more. */
export function recall(cache: CommandCache, cmd: Command, severities: CachedFindings['severities']): Diagnostic[] | undefined {
  const c = cache.get(cmd);
  if (!c || c.family !== cmd.family || c.table !== cmd.table || c.severities !== severities) return undefined;
  const base = cmd.span.start;
  return c.findings.length ? c.findings.map((d) => moved(d, base)) : [];
}
