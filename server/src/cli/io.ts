import { readFileSync } from 'node:fs';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, read when `-` is among the files (throws when it cannot be read). */
  stdin?(): Uint8Array;
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
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
