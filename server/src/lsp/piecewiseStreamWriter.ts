import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';
import { JsonParts } from './jsonParts.ts';

/** What the writer needs of a stream (process.stdout, a socket). */
export interface OutputStream {
  write(chunk: string, encoding: BufferEncoding, done?: (error?: Error | null) => void): boolean;
  end(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * Writes LSP messages to a stream with their `Content-Length` header, as the LSP library's
 * stream writer does, and writes a reply whose result is JsonParts as its pieces, which were
 * made in steps beforehand (see jsonParts.ts), instead of serializing it whole here.
 *
 * A message is written in one go (the header, then each piece, with nothing awaited between):
 * messages cannot interleave, and they leave in the order they are written.
 */
export class PiecewiseStreamWriter extends AbstractMessageWriter implements MessageWriter {
  private readonly stream: OutputStream;
  private errors = 0;

  constructor(stream: OutputStream) {
    super();
    this.stream = stream;
    stream.on('error', (e) => this.fireError(e));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    const parts = piecesOf(msg);
    let length = 0;
    for (const p of parts) length += Buffer.byteLength(p, 'utf8');
    return new Promise((resolve, reject) => {
      try {
        this.stream.write(`Content-Length: ${length}\r\n\r\n`, 'ascii');
        for (let i = 0; i < parts.length - 1; i++) this.stream.write(parts[i], 'utf8');
        this.stream.write(parts[parts.length - 1], 'utf8', (error) => (error ? this.failed(error, msg, reject) : resolve()));
      } catch (error) {
        this.failed(error, msg, reject);
      }
    });
  }

  private failed(error: unknown, msg: Message, reject: (e: unknown) => void): void {
    this.errors++;
    this.fireError(error, msg, this.errors);
    reject(error);
  }

  end(): void {
    this.stream.end();
  }
}

/** The message's JSON in pieces: a reply with JsonParts around its pieces, anything else whole. */
function piecesOf(msg: Message): string[] {
  const result = (msg as { result?: unknown }).result;
  if (!(result instanceof JsonParts)) return [JSON.stringify(msg)];
  const { result: _, ...rest } = msg as Message & { result: unknown };
  // the other fields (jsonrpc, id) first, then the result
  const head = JSON.stringify(rest);
  return [`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"result":`, ...result.parts, '}'];
}
