/** What one finished process reported. */
export interface RunResult {
  /** The exit status; -1 when the process could not start or was killed. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Killed because `timeoutMs` passed. */
  timedOut?: boolean;
  /** Killed because the caller cancelled. */
  cancelled?: boolean;
  /** The program could not be started (ENOENT, EACCES). */
  spawnError?: string;
}

export interface RunOptions {
  /** Written to the process's stdin, then closed (rules always travel this way). */
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs one program with an argument array, never through a local shell. The apply engine
 * does all its work through this, so tests can put a recorder in its place and production
 * uses execa.
 */
export interface CommandRunner {
  run(file: string, args: string[], options?: RunOptions): Promise<RunResult>;
}
