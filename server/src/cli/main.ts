import { compileCommand } from './compileCommand.ts';
import { explainCommand } from './explainCommand.ts';
import type { CliIO } from './io.ts';
import { traceCommand } from './traceCommand.ts';
import { lintCommand } from './lintCommand.ts';

const USAGE = `usage: iptables-lint [--format text|json|sarif] [--dialect auto|save|script] [--max-warnings N] [--fix] FILE|DIR...
       iptables-lint [options] [--stdin-filename PATH] -      (the rules on standard input)
       iptables-lint explain TERM
       iptables-lint trace FILE --packet SPEC [--format json]
       iptables-lint compile SCRIPT
       iptables-lint apply FILE --host [USER@]HOST[:PORT] [--identity KEY] [--rollback-seconds N] [--dry-run] [--yes]

Checks iptables scripts and iptables-save / iptables-restore files. A folder stands for the
iptables files under it: save files by name (rules.v4, *.rules, *.iptables…), shell scripts that
run iptables, and files that start as iptables-save output.
--fix rewrites each file with the fixes that keep what its rules do (old spellings such as
-m state) and reports what is left; with -, the fixed text goes to standard output and the report to
standard error.
Exit status: 0 no error-level finding, 1 error-level findings (or more warnings than --max-warnings),\n2 usage or I/O error.
`;

/** Runs the CLI; returns the exit status (a promise for `apply`, which talks to a host). Never throws for bad input. */
export function main(argv: string[], io: CliIO): number | Promise<number> {
  // the apply engine pulls in execa, which needs Node 22 at load: only `apply` pays for it,
  // so linting keeps working on an older Node
  if (argv[0] === 'apply') {
    if (Number(process.versions.node.split('.')[0]) < 22) {
      io.stderr(`iptables-lint: apply needs Node 22 or newer (this is ${process.version})\n`);
      return 2;
    }
    return import('./applyCommand.ts').then((m) => m.applyCommand(argv.slice(1), io));
  }
  if (argv[0] === 'explain') return explainCommand(argv.slice(1), io);
  if (argv[0] === 'trace') return traceCommand(argv.slice(1), io);
  if (argv[0] === 'compile') return compileCommand(argv.slice(1), io);
  let format: 'text' | 'json' | 'sarif' = 'text';
  let dialect: 'auto' | 'save' | 'script' = 'auto';
  const files: string[] = [];
  let stdinName: string | undefined;
  let maxWarnings: number | undefined;
  let fix = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') {
      io.stdout(USAGE);
      return 0;
    } else if (flag === '--format' || flag === '-f') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') return usage(io, `--format must be text, json or sarif, not ${v ?? 'nothing'}`);
      format = v;
    } else if (flag === '--dialect') {
      const v = value();
      if (v !== 'auto' && v !== 'save' && v !== 'script') return usage(io, `--dialect must be auto, save or script, not ${v ?? 'nothing'}`);
      dialect = v;
    } else if (flag === '--stdin-filename') {
      stdinName = value();
      if (!stdinName) return usage(io, '--stdin-filename needs the path standard input stands for');
    } else if (flag === '--max-warnings') {
      const v = value();
      if (!v || !/^\d+$/.test(v)) return usage(io, `--max-warnings must be a whole number of warnings, not ${v ?? 'nothing'}`);
      maxWarnings = Number(v);
    } else if (a === '--fix') {
      fix = true;
    } else if (flag === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      return usage(io, `unknown option ${a}`);
    } else files.push(a);
  }
  if (!files.length) return usage(io, 'no file given');
  const stdinCount = files.filter((f) => f === '-').length;
  if (stdinCount > 1) return usage(io, 'standard input (-) can be read once');
  if (stdinName !== undefined && !stdinCount) return usage(io, '--stdin-filename names standard input: give - among the files');
  return lintCommand({ format, dialect, files, stdinName, maxWarnings, fix }, io);
}

function usage(io: CliIO, problem: string): number {
  io.stderr(`iptables-lint: ${problem}\n${USAGE}`);
  return 2;
}
