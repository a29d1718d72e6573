import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type SemanticTokens, type SemanticTokensDelta } from 'vscode-languageserver';
import { semanticTokenTripleSteps } from '../core/services/semanticTokens.ts';
import type { Steps } from '../core/services/steps.ts';
import type { Background } from './background.ts';
import type { DocumentStore, OpenDocument } from './documentStore.ts';

/**
 * Semantic tokens, whole documents and deltas. An editor asks again after each pause in
 * typing; a 100k-rule dump has a million tokens, 11 MB of JSON each time. With deltas the
 * server sends what changed since the result the editor holds, a few numbers for a one-line
 * edit, and keeps that result (20 bytes a token) to compare with.
 */
export function registerSemanticTokens(connection: Connection, store: DocumentStore, background: Background): void {
  // per open document object: a closed (or reopened) document drops what was kept for it
  const previous = new WeakMap<OpenDocument, { resultId: string; data: Uint32Array }>();
  let nextId = 1;

  function* compute(doc: OpenDocument): Steps<{ resultId: string; data: Uint32Array }> {
    const result = { resultId: String(nextId++), data: yield* encode(doc) };
    previous.set(doc, result);
    return result;
  }
  /**
   * A tokens answer worked out in the queue for the version asked about (see unchangedSince):
   * a job paused by an edit starts over, and is then refused.
   */
  const queued = <T>(doc: OpenDocument, token: CancellationToken, answer: () => Steps<T>): Promise<T> => {
    const asked = doc.version;
    return background.runSteps(
      token,
      function* () {
        unchangedSince(doc, asked);
        return yield* answer();
      },
      () => doc.version,
    );
  };

  connection.languages.semanticTokens.on((p, token) => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return { data: [] };
    return queued(doc, token, function* (): Steps<SemanticTokens> {
      const r = yield* compute(doc);
      return { resultId: r.resultId, data: Array.from(r.data) };
    });
  });

  connection.languages.semanticTokens.onDelta((p, token) => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return { data: [] };
    return queued(doc, token, function* (): Steps<SemanticTokens | SemanticTokensDelta> {
      const before = previous.get(doc);
      const r = yield* compute(doc);
      if (!before || before.resultId !== p.previousResultId) return { resultId: r.resultId, data: Array.from(r.data) };
      return { resultId: r.resultId, edits: tokenEdits(before.data, r.data) };
    });
  });
}

/**
 * Tokens are worked out when the documents have been quiet for a moment, and may start after
 * an edit that came behind the request. VS Code moves the tokens it receives by the edits made
 * since it asked: tokens of the edited text would be moved twice. ContentModified (which the
 * client turns into a cancellation) makes it ask again, with the result it holds, which is
 * still the last one kept here.
 */
function unchangedSince(doc: OpenDocument, asked: number): void {
  if (doc.version !== asked) throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed since the tokens were asked for');
}

/**
 * The LSP encoding: five numbers a token (line and start relative to the previous token,
 * length, type, modifiers). Tokens come in text order, so the line is found by moving forward
 * through the line starts, not by a search per token.
 */
function* encode(doc: OpenDocument): Steps<Uint32Array> {
  const { data: t, count } = yield* semanticTokenTripleSteps(doc.model.ruleSet);
  const lines = doc.model.lines;
  const starts = lines.lineStarts;
  const text = doc.model.text;
  const out = new Uint32Array(count * 5);
  let w = 0;
  let line = 0;
  let prevLine = 0;
  let prevChar = 0;
  for (let i = 0; i < count; i++) {
    if ((i & 0x1fff) === 0x1fff) yield;
    const start = t[3 * i];
    const end = t[3 * i + 1];
    while (line + 1 < starts.length && starts[line + 1] <= start) line++;
    const char = start - starts[line];
    // tokens do not span lines; a multi-line word (a continued shell word) is coloured on its first line
    const lineEnd = lines.lineEnd(line, text);
    const length = Math.min(end, lineEnd) - start;
    if (length <= 0) continue;
    out[w++] = line - prevLine;
    out[w++] = line === prevLine ? char - prevChar : char;
    out[w++] = length;
    out[w++] = t[3 * i + 2];
    out[w++] = 0;
    prevLine = line;
    prevChar = char;
  }
  return w === out.length ? out : out.slice(0, w);
}

/** One edit that turns `before` into `after`: what lies between their common start and common end. */
export function tokenEdits(before: Uint32Array, after: Uint32Array): SemanticTokensDelta['edits'] {
  const shorter = Math.min(before.length, after.length);
  let head = 0;
  while (head < shorter && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < shorter - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  if (head === before.length && head === after.length) return [];
  return [{ start: head, deleteCount: before.length - head - tail, data: Array.from(after.subarray(head, after.length - tail)) }];
}
