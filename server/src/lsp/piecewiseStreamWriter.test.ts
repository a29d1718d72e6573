import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { STEP_ITEMS, drain } from '../core/services/steps.ts';
import { jsonPartsSteps } from './jsonParts.ts';
import { PiecewiseStreamWriter } from './piecewiseStreamWriter.ts';

test('replies written in pieces and whole messages are read back by the LSP library, in order, multi-byte text included', async () => {
  const stream = new PassThrough();
  const writer = new PiecewiseStreamWriter(stream);
  const reader = new StreamMessageReader(stream);
  const got: Message[] = [];
  reader.listen((m) => got.push(m));
  const outline = Array.from({ length: 2 * STEP_ITEMS + 3 }, (_, i) => ({ name: `KUBE-SEP-${i}`, detail: 'règle « ssh »', kind: 12 }));
  const sent = [
    { jsonrpc: '2.0', id: 1, result: drain(jsonPartsSteps(outline)) },
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///ü.rules', diagnostics: [] } },
    { jsonrpc: '2.0', id: 'two', result: drain(jsonPartsSteps([])) },
    { jsonrpc: '2.0', id: 3, result: null },
    { jsonrpc: '2.0', id: 4, error: { code: -32801, message: 'changed' } },
  ];
  for (const m of sent) void writer.write(m as Message);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(got, JSON.parse(JSON.stringify(sent)));
  writer.end();
});

test('a stream error is reported to the connection and rejects the write', async () => {
  const stream = new PassThrough();
  const writer = new PiecewiseStreamWriter(stream);
  const errors: Error[] = [];
  writer.onError(([e]) => errors.push(e));
  stream.destroy();
  await assert.rejects(writer.write({ jsonrpc: '2.0', id: 1, result: 1 } as Message));
  assert.ok(errors.length >= 1);
});
