import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needBuild, requirement } from '../support/paths.ts';
import { packageVsix } from '../vscode/packageVsix.ts';

/** Entry names of a zip file, read with Python's zipfile (python3 is installed by .ci/run). */
function zipEntries(zip: string): string[] | undefined {
  const r = spawnSync('python3', ['-c', 'import sys, zipfile\nfor n in zipfile.ZipFile(sys.argv[1]).namelist(): print(n)', zip], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n') : undefined;
}

function zipText(zip: string, entry: string): string {
  const r = spawnSync('python3', ['-c', 'import sys, zipfile\nsys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', zip, entry], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const skip = needBuild() || requirement(spawnSync('python3', ['--version']).status === 0, 'python3 is missing (it reads the .vsix)');

test('plain `vsce package` (no flags) packs only the bundles, grammars, rule pages, README, licence and icon', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'vsix-'));
  try {
    const vsix = packageVsix(work);
    const entries = zipEntries(vsix)!;
    const files = entries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
    const allowed = [/^dist\/[\w-]+\.cjs$/, /^syntaxes\/[\w.-]+\.json$/, /^docs\/rules\/[\w-]+\.md$/, /^readme\.md$/, /^LICENSE\.txt$/, /^client\/images\/icon\.png$/, /^package\.json$/];
    for (const f of files) assert.ok(allowed.some((re) => re.test(f)), `unexpected file in the .vsix: ${f}`);
    for (const needed of ['dist/extension.cjs', 'dist/extension-main.cjs', 'dist/language-server-main.cjs', 'dist/iptables-language-server.cjs', 'syntaxes/iptables-save.tmLanguage.json', 'docs/rules/dnat-without-forward-accept.md', 'readme.md', 'LICENSE.txt', 'client/images/icon.png']) {
      assert.ok(files.includes(needed), `${needed} missing from the .vsix`);
    }
    // The packaged README is the project README without repository-relative links and images.
    const readme = zipText(vsix, 'extension/readme.md');
    assert.match(readme, /^# iptables Language Support$/m);
    for (const m of readme.matchAll(/\]\(([^)\s]+)\)/g)) assert.match(m[1]!, /^(https:\/\/|#)/, `relative link left in the packaged README: ${m[1]}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
