import { processIO } from '../cli/io.ts';
import { main } from '../cli/main.ts';

try {
  process.exitCode = main(process.argv.slice(2), processIO);
} catch (e) {
  // a bug, not bad input: say so plainly, without a stack trace unless asked
  process.stderr.write(`iptables-lint: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.IPTABLES_LINT_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 2;
}
