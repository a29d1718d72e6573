import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/**
 * A request the client has already given up on (the user typed on, moved the cursor) is
 * answered at once with RequestCancelled instead of computing a result nobody reads.
 */
export function cancelledReply(token: CancellationToken | undefined): ResponseError<void> | undefined {
  return token?.isCancellationRequested ? new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled') : undefined;
}
