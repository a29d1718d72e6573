import { runRules, type RunOptions } from '../analysis/engine.ts';
import { rules as allRules } from '../analysis/registry.ts';
import type { Diagnostic, RelatedInfo } from '../analysis/types.ts';
import type { UfwLoad } from '../model/ufwLoad.ts';
import { LineIndex } from '../text/lineIndex.ts';

/**
 * The checks that follow a packet through filter FORWARD or INPUT: in a ufw rules file they
 * read the tables ufw loads from all its files (the built-in chains, their policies and ufw's
 * chains are in none of them). A finding about what ufw itself decides (its policies) is about
 * no line of the file and is left out.
 */
const UFW_CODES = new Set(['dnat-without-forward-accept', 'masquerade-without-forward-accept', 'lan-reachable-from-wan', 'ssh-lockout-risk', 'redirect-without-input-accept']);

/**
 * A ufw rules file's findings: those of the file alone, with the codes of UFW_CODES judged
 * instead on the tables as ufw loads them (`load`: see ufwLoad), each about the file's own
 * lines. What decided a finding in another file, or in ufw's own rules, is named in its
 * related information, placed on the finding.
 */
export function withUfwLoad(found: Diagnostic[], load: UfwLoad, options: RunOptions): Diagnostic[] {
  const rules = (options.rules ?? allRules).filter((r) => UFW_CODES.has(r.code));
  if (!rules.length) return found;
  const whole = runRules(load.ruleSet, load.text, new LineIndex(load.text), { severities: options.severities, settings: options.settings, rules, ufw: load });
  const out = found.filter((d) => !UFW_CODES.has(d.code));
  for (const d of whole) {
    const own = ownFinding(d, load);
    if (own) out.push(own);
  }
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return out;
}

/** A finding of the whole load moved into the file's own offsets; undefined for one about another file's lines. */
function ownFinding(d: Diagnostic, load: UfwLoad): Diagnostic | undefined {
  // a check that failed is reported whatever its place
  if (d.code === 'internal-error') return d;
  if (!load.holds(d.span)) return undefined;
  const span = load.toOwn(d.span);
  const related = d.related?.map((r): RelatedInfo => {
    if (load.holds(r.span)) return { ...r, span: load.toOwn(r.span) };
    const place = load.placeOf(r.span.start);
    const where = place.file ? `${place.file}, line ${place.line}` : ufwPolicyAt(load, r.span.start);
    return { span, message: `${r.message} (${where})` };
  });
  const fixes = d.fixes?.filter((f) => f.edits.every((e) => load.holds(e.span))).map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: load.toOwn(e.span) })) }));
  return { ...d, span, ...(related ? { related } : {}), ...(fixes ? { fixes } : {}) };
}

/**
 * The policy of /etc/default/ufw behind a place in ufw's own rules (see ufwLoad): its input
 * policy where that line is about INPUT (`:INPUT DROP`, `-A ufw-skip-to-policy-input -j DROP`),
 * else its forward policy.
 */
function ufwPolicyAt(load: UfwLoad, offset: number): string {
  const line = load.text.slice(load.text.lastIndexOf('\n', offset - 1) + 1, load.text.indexOf('\n', offset));
  return /input/i.test(line) ? `ufw's DEFAULT_INPUT_POLICY="${load.inputPolicy}" in ${load.defaultsFile}` : `ufw's DEFAULT_FORWARD_POLICY="${load.forwardPolicy}" in ${load.defaultsFile}`;
}
