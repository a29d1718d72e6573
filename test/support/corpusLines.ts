import { existsSync, readFileSync, statSync } from 'node:fs';
import { kubeProxyDump } from './kubeDump.ts';
import { corpusRoot, filesUnder, requirement } from './paths.ts';

/**
 * The lines of a generated 3000-rule kube-proxy dump and of every corpus file under 2 MB (read
 * as latin1), for tests that hold two readers of a line to each other. Without the corpus,
 * the dump's alone, said loudly (a failure under CI=true).
 */
export function dumpAndCorpusLines(): string[] {
  const lines = kubeProxyDump(3000).text.split('\n');
  if (!requirement(existsSync(corpusRoot), `the corpus at ${corpusRoot} is missing: only the generated dump is compared`)) {
    for (const p of filesUnder(corpusRoot)) if (statSync(p).size < 2_000_000) lines.push(...readFileSync(p, 'latin1').split('\n'));
  }
  return lines;
}
