import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SeveritySetting } from '../core/analysis/types.ts';

const VALID = new Set(['off', 'error', 'warning', 'info', 'hint']);

export interface LintConfig {
  file?: string;
  severities: Record<string, SeveritySetting>;
  problems: string[];
}

/** Reads `{"rules": {"CODE": "off|error|warning|info|hint"}}`; bad entries are reported, not fatal. */
export function parseLintConfig(text: string, file?: string): LintConfig {
  const severities: Record<string, SeveritySetting> = {};
  const problems: string[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { file, severities, problems: [`${file ?? '.iptables-lint.json'}: not valid JSON (${(e as Error).message})`] };
  }
  const rules = (json as { rules?: unknown })?.rules;
  if (rules && typeof rules === 'object') {
    for (const [code, sev] of Object.entries(rules as Record<string, unknown>)) {
      if (typeof sev === 'string' && VALID.has(sev)) severities[code] = sev as SeveritySetting;
      else problems.push(`${file ?? '.iptables-lint.json'}: "${code}" must be one of off, error, warning, info, hint`);
    }
  }
  return { file, severities, problems };
}

/** Where `.iptables-lint.json` is looked for, nearest first: the file's folder and every folder above it. */
export function lintConfigPlaces(filePath: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(filePath); ; dir = dirname(dir)) {
    out.push(join(dir, '.iptables-lint.json'));
    if (dirname(dir) === dir) return out;
  }
}

/** The nearest `.iptables-lint.json` in the file's folder or above it. */
export function findLintConfig(filePath: string): LintConfig {
  for (const candidate of lintConfigPlaces(filePath)) {
    try {
      return parseLintConfig(readFileSync(candidate, 'utf8'), candidate);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') {
        return { file: candidate, severities: {}, problems: [`${candidate}: ${(e as Error).message}`] };
      }
    }
  }
  return { severities: {}, problems: [] };
}
