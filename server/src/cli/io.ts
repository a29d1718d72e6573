import { readFileSync } from 'node:fs';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, read when `-` is among the files (throws when it cannot be read). */
  stdin?(): Uint8Array;
}

/**
 * Streams whose reader has gone (`iptables-lint … | head`): what is left to write there is
 * dropped, and the run goes on to its exit code (an apply is not cut off halfway because
 * its output is no longer read).
 */
const gone = new Set<NodeJS.WriteStream>();

/** Drops output to a stream whose reader closed the pipe, where Node would end the run with an unhandled EPIPE error and a stack trace. */
export function toleratePipeClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    gone.add(stream);
  });
}

function write(stream: NodeJS.WriteStream, text: string): void {
  if (!gone.has(stream)) stream.write(text);
}

export const processIO: CliIO = {
  stdout: (t) => write(process.stdout, t),
  stderr: (t) => write(process.stderr, t),
  stdin: () => {
    try {
      return readFileSync(0);
    } catch (e) {
      // a pipe an editor left non-blocking: fd 0 then answers EAGAIN, the device path blocks
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return readFileSync('/dev/stdin');
      throw e;
    }
  },
};
