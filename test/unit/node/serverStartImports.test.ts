import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/paths.ts';

/**
 * The project's modules a module loads when it is loaded: its imports and re-exports of values
 * (type-only ones are erased), followed. A `require` inside a function is not followed: that is
 * how the server loads its core once the client has the initialize reply.
 */
function loadedWith(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+\.ts)';/gms)) visit(join(dirname(file), m[1]));
  };
  visit(entry);
  return new Set([...seen].map((f) => relative(repoRoot, f)));
}

test('the language server answers initialize without loading the core (knowledge, model, analysis)', () => {
  const loaded = [...loadedWith(join(repoRoot, 'server', 'src', 'bin', 'language-server.ts'))];
  // the reply names the semantic token legend: it must come without the knowledge base
  assert.ok(loaded.includes('server/src/core/services/semanticTokenLegend.ts'), loaded.join('\n'));
  const core = loaded.filter((f) => /^server\/src\/core\/(knowledge|model|analysis|syntax)\//.test(f));
  assert.deepEqual(core, []);
  // node:v8 is loaded with the heap limit after the reply, not before it
  assert.ok(!loaded.includes('server/src/bin/heapGrowth.ts'));
});
