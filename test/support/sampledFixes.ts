import type { Diagnostic, Fix } from '../../server/src/core/analysis/types.ts';

/**
 * The quick fixes of a file's findings to try one by one: at most `perKind` of each kind (a
 * code and the first two words of the title) a file, suppressions left out. A corpus file can
 * offer thousands (deprecated-state-match in a long script), all alike.
 */
export function sampledFixes(findings: readonly Diagnostic[], perKind = 5): { finding: Diagnostic; fix: Fix }[] {
  const taken = new Map<string, number>();
  const out: { finding: Diagnostic; fix: Fix }[] = [];
  for (const finding of findings) {
    for (const fix of finding.fixes ?? []) {
      const kind = `${finding.code} ${fix.title.split(' ').slice(0, 2).join(' ')}`;
      if (fix.suppression || (taken.get(kind) ?? 0) >= perKind) continue;
      taken.set(kind, (taken.get(kind) ?? 0) + 1);
      out.push({ finding, fix });
    }
  }
  return out;
}
