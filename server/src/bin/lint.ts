import { processIO, toleratePipeClosed } from '../cli/io.ts';
import { main } from '../cli/main.ts';

function internalError(e: unknown): void {
  // a bug, not bad input: say so plainly, without a stack trace unless asked
  process.stderr.write(`iptables-lint: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.IPTABLES_LINT_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 2;
}

toleratePipeClosed(process.stdout);
toleratePipeClosed(process.stderr);

try {
  const code = main(process.argv.slice(2), processIO);
  if (typeof code === 'number') process.exitCode = code;
  else code.then((c) => void (process.exitCode = c), internalError);
} catch (e) {
  internalError(e);
}
