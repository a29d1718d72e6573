import type { Diagnostic } from './types.ts';

/** How many findings are errors and how many warnings (a summary's figures, the CLI's --max-warnings). */
export interface SeverityCounts {
  errors: number;
  warnings: number;
}

export function severityCounts(diagnostics: readonly Pick<Diagnostic, 'severity'>[]): SeverityCounts {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}
