import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubeProxyDump } from '../../../test/support/kubeDump.ts';
import { FirewallDocument } from '../core/facade.ts';
import { drain, STEP_ITEMS } from '../core/services/steps.ts';
import { JsonParts, jsonPartsSteps } from './jsonParts.ts';
import { documentSymbolSteps } from './symbols.ts';

const partsOf = (value: unknown): JsonParts => drain(jsonPartsSteps(value)) as unknown as JsonParts;

test('the pieces joined are what JSON.stringify gives, for short and long lists, nested or not', () => {
  const long = Array.from({ length: 3 * STEP_ITEMS + 7 }, (_, i) => ({ name: `chain-${i}é`, kind: i % 3, range: { start: { line: i, character: 0 }, end: { line: i, character: 9 } }, gone: undefined }));
  const values: unknown[] = [
    [],
    {},
    null,
    'a "quoted" text',
    [1, undefined, () => 1, 'x'],
    { a: undefined, b: [1, 2], c: { d: null } },
    long,
    [{ name: 'filter', children: long, detail: undefined }, { name: 'nat', children: [] }],
    { items: long.map((x) => [x.name, undefined]), isIncomplete: false },
    Array.from({ length: STEP_ITEMS + 1 }, (_, i) => (i % 2 ? undefined : i)),
    [[long]],
  ];
  for (const value of values) {
    const p = partsOf(value);
    assert.equal(p.parts.join(''), JSON.stringify(value), JSON.stringify(value).slice(0, 60));
    // a transport that serializes the reply itself gets the value (toJSON)
    assert.equal(JSON.stringify({ result: p }), JSON.stringify({ result: value }));
  }
});

test('a typed array of numbers is written as a list, in pieces, and given as a list to JSON.stringify', () => {
  for (const length of [0, 1, 5, 64 * STEP_ITEMS, 3 * 64 * STEP_ITEMS + 11]) {
    const data = Uint32Array.from({ length }, (_, i) => (i * 2654435761) >>> 0);
    const reply = { resultId: '7', data };
    const plain = JSON.stringify({ resultId: '7', data: Array.from(data) });
    const p = partsOf(reply);
    assert.equal(p.parts.join(''), plain, `${length} numbers`);
    assert.equal(JSON.stringify(p), plain);
    assert.equal(partsOf(data).parts.join(''), JSON.stringify(Array.from(data)));
  }
});

test('a kube-proxy outline is written in steps, a piece for each few hundred chains', () => {
  const doc = new FirewallDocument(kubeProxyDump(3000).text, { fileName: 'kube.rules' });
  const { symbols } = drain(documentSymbolSteps(doc));
  const chains = symbols.reduce((n, t) => n + (t.children?.length ?? 0), 0);
  let steps = 0;
  const it = jsonPartsSteps(symbols);
  let r = it.next();
  for (; !r.done; r = it.next()) steps++;
  const p = r.value as unknown as JsonParts;
  assert.equal(p.parts.join(''), JSON.stringify(symbols));
  assert.ok(chains > 4 * STEP_ITEMS && steps >= Math.floor(chains / STEP_ITEMS) - symbols.length, `${chains} chains, ${steps} steps`);
  assert.ok(Math.max(...p.parts.map((s) => s.length)) < JSON.stringify(symbols).length / 4, 'no piece holds most of the outline');
});
