import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type SemanticTokens, type SemanticTokensDelta } from 'vscode-languageserver';
import type { Steps } from '../core/services/steps.ts';
import type { Background } from './background.ts';
import type { DocumentStore, OpenDocument } from './documentStore.ts';
import { jsonPartsSteps } from './jsonParts.ts';
import { addChangedLines, NO_LINES_CHANGED, type ChangedLines } from './changedLines.ts';
import { encodedTokenSteps, tokenEdits, tokensAfterEdit, type KeptTokens } from './semanticTokenData.ts';

/** A result kept for a document, with the lines edited since it. */
type Kept = KeptTokens & { resultId: string; since: ChangedLines };

/**
 * Semantic tokens, whole documents and deltas. An editor asks again after each pause in
 * typing; a 100k-rule dump has a million tokens, 11 MB of JSON each time. With deltas the
 * server sends what changed since the result the editor holds, a few numbers for a one-line
 * edit, and keeps that result (10 bytes a token; see TokenData) to compare with. In a save file it also
 * works out only the lines edited since that result (see tokensAfterEdit): on that dump, after a
 * one-line edit, a median of 19 ms instead of 262.
 */
export function registerSemanticTokens(connection: Connection, store: DocumentStore, background: Background): void {
  // per open document object: a closed (or reopened) document drops what was kept for it;
  // `since`: the lines edited since that result
  const previous = new WeakMap<OpenDocument, Kept>();
  store.onLinesChanged((doc, lines) => {
    const kept = previous.get(doc);
    if (kept) addChangedLines(kept.since, lines);
  });
  let nextId = 1;

  /** The document's tokens: from those kept, when only some lines changed since (see tokensAfterEdit). */
  function* compute(doc: OpenDocument): Steps<{ kept: Kept; sameHead: number; sameTail: number }> {
    const before = previous.get(doc);
    const after = before ? tokensAfterEdit(before, doc.model, before.since) : undefined;
    const kept = { resultId: String(nextId++), since: { ...NO_LINES_CHANGED }, ...(after?.tokens ?? (yield* encodedTokenSteps(doc.model))) };
    previous.set(doc, kept);
    return { kept, sameHead: after?.sameHead ?? 0, sameTail: after?.sameTail ?? 0 };
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
      const { kept } = yield* compute(doc);
      // 11 MB of JSON for a 100k-rule dump: written in steps, from the typed array (see JsonParts)
      return yield* jsonPartsSteps({ resultId: kept.resultId, data: kept.data as unknown as number[] });
    });
  });

  connection.languages.semanticTokens.onDelta((p, token) => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return { data: [] };
    return queued(doc, token, function* (): Steps<SemanticTokens | SemanticTokensDelta> {
      const before = previous.get(doc);
      const { kept, sameHead, sameTail } = yield* compute(doc);
      if (!before || before.resultId !== p.previousResultId) return yield* jsonPartsSteps({ resultId: kept.resultId, data: kept.data as unknown as number[] });
      return { resultId: kept.resultId, edits: tokenEdits(before.data, kept.data, sameHead, sameTail) };
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
