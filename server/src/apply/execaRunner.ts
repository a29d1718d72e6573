import { execa } from 'execa';
import type { CommandRunner, RunOptions, RunResult } from './runner.ts';

/** The production runner: execa with an argument array, no shell, stdin from `input`. */
export const execaRunner: CommandRunner = {
  async run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const r = await execa(file, args, {
      input: options.input ?? '',
      timeout: options.timeoutMs,
      cancelSignal: options.signal,
      reject: false,
      stripFinalNewline: false,
      shell: false,
      // ssh must not stop to ask for a password or passphrase on a terminal it finds
      env: { SSH_ASKPASS_REQUIRE: 'never' },
      forceKillAfterDelay: 2000,
      maxBuffer: 256 * 1024 * 1024,
    });
    const spawnError = r.failed && r.exitCode === undefined && !r.timedOut && !r.isCanceled && r.code ? `${r.code}: ${r.shortMessage}` : undefined;
    return {
      exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
      stdout: typeof r.stdout === 'string' ? r.stdout : '',
      stderr: typeof r.stderr === 'string' ? r.stderr : '',
      ...(r.timedOut ? { timedOut: true } : {}),
      ...(r.isCanceled ? { cancelled: true } : {}),
      ...(spawnError ? { spawnError } : {}),
    };
  },
};
