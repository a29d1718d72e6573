import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import type { ChainRef } from '../../../server/src/core/services/chainIndex.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';
import { corpusRoot, filesUnder, requirement } from '../../support/paths.ts';

const script = [
  'iptables -N logdrop',
  'iptables -A logdrop -j LOG',
  'iptables -A INPUT -p tcp --dport 23 -j logdrop',
  'iptables -N loop',
  'iptables -A loop -j loop',
  'iptables -A INPUT -g loop',
  'iptables -N old',
  'iptables -E old new',
  'iptables -A FORWARD -j new',
  'iptables -N gone',
  'iptables -X gone',
  'iptables -P INPUT DROP',
  '',
].join('\n');

/** A reference as `kind@line:column word (from)`, lines and columns from 1. */
function show(text: string, r: ChainRef): string {
  const before = text.slice(0, r.span.start);
  const line = before.split('\n').length;
  const col = r.span.start - before.lastIndexOf('\n');
  return `${r.kind}@${line}:${col} ${text.slice(r.span.start, r.span.end)}${r.from ? ` (${r.from})` : ''}`;
}

test('a script: declarations, commands, jumps, gotos, renames and policies, by name and by place', () => {
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const idx = doc.chains;
  const of = (name: string) => idx.of('ipv4', 'filter', name).map((r) => show(script, r));
  assert.deepEqual(of('logdrop'), ['declaration@1:13 logdrop', 'command@2:13 logdrop', 'jump@3:40 logdrop (INPUT)']);
  // one command naming the chain twice gives two references, in the order written
  assert.deepEqual(of('loop'), ['declaration@4:13 loop', 'command@5:13 loop', 'jump@5:21 loop (loop)', 'goto@6:22 loop (INPUT)']);
  // -E: the old name is a command on the chain; the chain, now `new`, keeps its -N word and gets the new name
  assert.deepEqual(of('old'), ['command@8:13 old']);
  assert.deepEqual(of('new'), ['declaration@7:13 old', 'declaration@8:17 new', 'jump@9:24 new (FORWARD)']);
  assert.deepEqual(of('gone'), ['command@11:13 gone']);
  assert.deepEqual(of('INPUT'), ['command@3:13 INPUT', 'command@6:13 INPUT', 'policy@12:13 INPUT']);
  assert.deepEqual(idx.declarationsOf('ipv4', 'filter', 'new').map((r) => show(script, r)), ['declaration@7:13 old', 'declaration@8:17 new']);
  assert.deepEqual(idx.jumpsTo('ipv4', 'filter', 'loop').map((r) => show(script, r)), ['jump@5:21 loop (loop)', 'goto@6:22 loop (INPUT)']);
  assert.deepEqual(idx.jumpsTo('ipv4', 'nat', 'loop'), []);
  assert.deepEqual([idx.has('ipv4', 'filter', 'new'), idx.has('ipv4', 'filter', 'logdrop'), idx.has('ipv4', 'filter', 'nothing'), idx.has('ipv4', 'nat', 'loop')], [true, true, false, false]);

  const at = (line: number, col: number) => {
    const offset = script.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0) + col - 1;
    const r = idx.at(offset);
    return r && show(script, r);
  };
  assert.equal(at(5, 21), 'jump@5:21 loop (loop)');
  assert.equal(at(5, 25), 'jump@5:21 loop (loop)', 'the end of a word is still on it');
  assert.equal(at(5, 13), 'command@5:13 loop');
  assert.equal(at(7, 14), 'declaration@7:13 old');
  assert.equal(at(12, 14), 'policy@12:13 INPUT');
  assert.equal(at(5, 18), undefined, 'between the words');
  // the chain was deleted: its -N word declares nothing that is left
  assert.equal(at(10, 13), undefined);
});

/**
 * On every file of the corpus and a kube-proxy dump: each reference is found at its start and
 * end, and the lists by name (all, jumps, declarations) hold exactly the references of that
 * name, the declarations first and the rest in text order.
 */
test('the index agrees with itself on every corpus file and a kube-proxy dump', { skip: requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`) }, () => {
  const texts: [string, string][] = filesUnder(corpusRoot)
    .filter((f) => !/\.(md|json|go)$|LICENSE|PROVENANCE/.test(f))
    .map((f) => [f, readFileSync(f, 'utf8')]);
  texts.push(['kube-proxy.rules', kubeProxyDump(2000).text]);
  let refs = 0;
  const key = (r: ChainRef) => `${r.family}\t${r.table}\t${r.name}`;
  const same = (a: ChainRef[], b: ChainRef[], what: string) => assert.deepEqual(a.map((r) => ({ ...r })), b.map((r) => ({ ...r })), what);
  for (const [f, text] of texts) {
    const idx = new FirewallDocument(text, { fileName: f }).chains;
    const all = idx.all();
    refs += all.length;
    for (const r of all) {
      same([idx.at(r.span.start)!], [r], `${f}: at the start of ${show(text, r)}`);
      same([idx.at(r.span.end)!], [r], `${f}: at the end of ${show(text, r)}`);
    }
    const byKey = new Map<string, ChainRef[]>();
    for (const r of all) {
      const list = byKey.get(key(r));
      if (list) list.push(r);
      else byKey.set(key(r), [r]);
    }
    for (const [k, refsOfName] of byKey) {
      const [family, table, name] = k.split('\t') as ['ipv4', string, string];
      const listed = idx.of(family, table, name);
      const declarations = refsOfName.filter((r) => r.kind === 'declaration');
      same([...listed].sort((a, b) => a.span.start - b.span.start), refsOfName, `${f}: of ${k}`);
      // the chain's own declarations first, the rest (a rename's new name among them) in text order
      const rest = listed.slice(listed.findIndex((r) => r.kind !== 'declaration') >>> 0);
      assert.ok(rest.every((r, i) => i === 0 || rest[i - 1].span.start < r.span.start), `${f}: of ${k} in text order after the declarations`);
      same(idx.jumpsTo(family, table, name), refsOfName.filter((r) => r.kind === 'jump' || r.kind === 'goto'), `${f}: jumps to ${k}`);
      same([...idx.declarationsOf(family, table, name)].sort((a, b) => a.span.start - b.span.start), declarations, `${f}: declarations of ${k}`);
      assert.ok(idx.has(family, table, name), `${f}: has ${k}`);
    }
  }
  assert.ok(refs > 15_000, `${refs} references`);
});

test('made in steps ahead of requests: the index built at once, kept for them; an edit between the steps leaves it unused', () => {
  const dump = kubeProxyDump(2000).text;
  const plain = (d: FirewallDocument) => d.chains.all().map((r) => `${show(d.text, r)} ${r.table} ${r.line.start}-${r.line.end}`);
  for (const [name, text] of [['script.sh', script], ['kube-proxy.rules', dump]]) {
    const doc = new FirewallDocument(text, { fileName: name });
    doc.diagnostics({});
    const steps = [...doc.prepareChains()].length;
    if (name === 'kube-proxy.rules') assert.ok(steps > 10, `${steps} steps`);
    // kept: asked again, there is nothing to do
    assert.equal([...doc.prepareChains()].length, 0);
    assert.deepEqual(plain(doc), plain(new FirewallDocument(text, { fileName: name })));
  }

  // a jump edited while the index is being made: the rule set it was made of is replaced
  const doc = new FirewallDocument(dump, { fileName: 'kube-proxy.rules' });
  doc.diagnostics({});
  const steps = doc.prepareChains();
  for (let i = 0; i < 5; i++) assert.equal(steps.next().done, false);
  // the first jump in the file, among the commands the steps taken so far indexed
  const at = dump.indexOf('-j KUBE-') + 3;
  const end = dump.indexOf('\n', at);
  const was = dump.slice(at, end);
  const edited = `${dump.slice(0, at)}KUBE-FORWARD${dump.slice(end)}`;
  doc.update(edited, [{ start: at, end, text: 'KUBE-FORWARD' }]);
  doc.diagnostics({});
  while (!steps.next().done);
  const fresh = new FirewallDocument(edited, { fileName: 'kube-proxy.rules' });
  assert.deepEqual(plain(doc), plain(fresh));
  for (const name of [was, 'KUBE-FORWARD']) {
    const jumps = (d: FirewallDocument) => d.chains.jumpsTo('ipv4', 'filter', name).map((r) => show(d.text, r));
    assert.deepEqual(jumps(doc), jumps(fresh), `jumps to ${name}`);
  }
  // nothing is prepared for a rule set not yet known
  assert.equal([...new FirewallDocument(dump, { fileName: 'k.rules' }).prepareChains()].length, 0);
});
