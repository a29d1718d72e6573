import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from '../../server/src/core/analysis/types.ts';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { traceLenses } from '../../server/src/core/services/codeLens.ts';
import { completionsAt } from '../../server/src/core/services/completion.ts';
import { applyFixes } from '../../server/src/core/services/fixAll.ts';
import { hoverAt } from '../../server/src/core/services/hover.ts';
import { definitionAt, referencesAt } from '../../server/src/core/services/navigation.ts';
import { semanticTokens } from '../../server/src/core/services/semanticTokens.ts';
import { tracePacket } from '../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../server/src/core/simulate/packet.ts';
import { corpusRoot, filesUnder, repoRoot, requirement } from '../support/paths.ts';

/**
 * The corpus's files (and the project's examples) broken the way a file is while someone types: a few random cuts and
 * insertions of iptables and shell fragments each. Whatever the text, nothing throws, no
 * check fails (`internal-error`), every service answers, each quick fix edits inside the text
 * and its result lints without a failing check, and an edit made to the open document gives
 * the diagnostics a fresh document of the edited text gives. Seeded: a failure names the seed
 * and file that reproduce it.
 */
const skip = requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`);

const FRAGMENTS = [' -j ', ' ! ', ' -m ', "'", '"', '\\\n', '$(', '<<EOF\n', '*nat\n', '*raw\n', 'COMMIT\n', ':X - [0:0]\n', '-A ', '-I ', ' NOTRACK', ' --dport ', ' -p tcp', ' MASQUERADE', ' DNAT --to-destination 10.0.0.1:80', '\n', ' ', '#', ';', '|| true', 'iptables ', 'ip6tables -t raw -A PREROUTING ', ' -i lo', ' -o eth0', ' --ctstate NEW', ' -j CT --notrack', ' $WAN', 'WAN=eth0\n', '-N ', ' RETURN', ' -g ', '0', '/', ',', ':', '-', '\t', '\r', 'é', '\u0000', '\tpost-up ', '\tpre-down ', 'iface vmbr9 inet manual\n', ' $IFACE', 'PostUp = '];
const PACKETS = ['in=eth0 proto=tcp dport=80', 'in=eth0 out=eth1 proto=udp dport=53 src=10.0.0.2 dst=192.0.2.8', 'origin=local proto=tcp dport=443', 'in=wan0 proto=tcp dst=203.0.113.1 dport=22 local=203.0.113.1'];
const MUTATIONS = 600;

/** A linear congruential generator: the same seed, the same mutations. */
function generator(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

function mutate(text: string, rnd: () => number): { text: string; start: number; end: number; ins: string } {
  const start = Math.floor(rnd() * (text.length + 1));
  const end = Math.min(text.length, start + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 40)));
  const ins = rnd() < 0.3 ? '' : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)]).join('');
  return { text: text.slice(0, start) + ins + text.slice(end), start, end, ins };
}

const key = (d: Diagnostic) => `${d.code}@${d.span.start}-${d.span.end}: ${d.message}`;

test(`${MUTATIONS} mutated corpus files: nothing throws or fails, fixes stay in the text, an edit gives what a fresh document gives`, { skip, timeout: 300_000 }, () => {
  const files = filesUnder(corpusRoot).filter((f) => statSync(f).size < 200_000 && !/\.md$/.test(f));
  // dumps and scripts most of the time: the upstream test tables are many and small; the
  // project's examples hold the kinds the corpus has none of (wg-quick and ifupdown configurations)
  const real = files.filter((f) => !f.includes('iptables-tests'));
  const examples = filesUnder(join(repoRoot, 'examples'));
  const problems: string[] = [];
  for (let i = 0; i < MUTATIONS && problems.length < 5; i++) {
    const seed = 1000 + i;
    const rnd = generator(seed);
    const pick = rnd();
    const list = pick < 0.1 ? examples : pick < 0.85 ? real : files;
    const file = list[Math.floor(rnd() * list.length)];
    const where = `${relative(file.startsWith(corpusRoot) ? corpusRoot : repoRoot, file)} (seed ${seed})`;
    let text = readFileSync(file, 'utf8');
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) text = mutate(text, rnd).text;
    try {
      const doc = new FirewallDocument(text, { fileName: file });
      const found = doc.diagnostics();
      for (const d of found) if (d.code === 'internal-error') problems.push(`${where}: ${d.message}`);
      for (let k = 0; k < 4; k++) {
        const at = Math.floor(rnd() * (text.length + 1));
        hoverAt(doc, at);
        completionsAt(doc, at);
        definitionAt(doc.chains, at);
        referencesAt(doc.chains, at, true);
      }
      semanticTokens(doc.ruleSet);
      traceLenses(doc.ruleSet);
      tracePacket(doc.ruleSet, { ...parsePacketSpec(PACKETS[Math.floor(rnd() * PACKETS.length)]).packet!, family: doc.family });
      for (const d of found.slice(0, 5)) {
        for (const fix of d.fixes ?? []) {
          for (const e of fix.edits) if (e.span.start < 0 || e.span.end > text.length || e.span.start > e.span.end) problems.push(`${where}: ${d.code}'s fix '${fix.title}' edits outside the text`);
          const fixed = applyFixes(text, [fix]).text;
          const failed = new FirewallDocument(fixed, doc.documentOptions).diagnostics().find((x) => x.code === 'internal-error');
          if (failed) problems.push(`${where}: after ${d.code}'s fix '${fix.title}': ${failed.message}`);
        }
      }
      const edit = mutate(text, rnd);
      doc.update(edit.text, [{ start: edit.start, end: edit.end, text: edit.ins }]);
      const edited = doc.diagnostics().map(key).sort();
      const fresh = new FirewallDocument(edit.text, doc.documentOptions).diagnostics().map(key).sort();
      if (edited.join('\n') !== fresh.join('\n')) problems.push(`${where}: after ${JSON.stringify(edit.ins)} at ${edit.start}-${edit.end} the open document has ${edited.filter((x) => !fresh.includes(x))[0] ?? 'fewer findings'}, a fresh one ${fresh.filter((x) => !edited.includes(x))[0] ?? 'fewer findings'}`);
    } catch (e) {
      problems.push(`${where}: ${(e as Error).stack ?? e}`);
    }
  }
  assert.deepEqual(problems, []);
});
