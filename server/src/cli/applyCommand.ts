import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { execaRunner } from '../apply/execaRunner.ts';
import { defaultBackupFolder } from '../apply/localBackup.ts';
import { describePreflight } from '../apply/preflight.ts';
import { prepareRules } from '../apply/prepareRules.ts';
import type { CommandRunner } from '../apply/runner.ts';
import { ApplyError, ApplySession, realClock, type Applied, type Clock, type Plan, type RollbackReport } from '../apply/session.ts';
import { parseTarget } from '../apply/target.ts';
import { findLintConfig } from '../node/lintConfig.ts';
import { readTextFile } from '../node/readTextFile.ts';
import { workspaceSettings } from '../node/workspaceSettings.ts';
import { sourcedTextsFor } from '../node/sourcedFiles.ts';
import type { CliIO } from './io.ts';

const USAGE = `usage: iptables-lint apply FILE --host [USER@]HOST[:PORT] [--identity KEY] [--rollback-seconds N]
                           [--dry-run] [--yes] [--verbose] [--ssh-config FILE] [--ssh-option OPTION]...
                           [--remote-dir DIR] [--backup-dir DIR]
Applies a rules file (or a script compiled to iptables-restore rules) to a host over ssh,
with a backup, a rollback armed before the apply, and a confirm over a new connection.
Exit status: 0 applied and kept (or a dry run that found no problem), 1 refused, declined
or rolled back, 2 usage, file or ssh errors.
`;

/** A question on the terminal; resolves to the answer, or undefined on end of input or timeout. */
export type Ask = ((question: string, timeoutMs?: number) => Promise<string | undefined>) & { close?(): void };

export interface ApplyDeps {
  runner: CommandRunner;
  ask: Ask;
  clock: Clock;
}

/**
 * Reads answers from stdin, one line each; no stdin (CI, a pipe that has ended) answers
 * nothing. One reader for the whole run, so answers piped in together are not lost.
 */
function stdinAsk(): Ask {
  const lines: string[] = [];
  let ended = false;
  let waiting: ((l: string | undefined) => void) | undefined;
  let rl: ReturnType<typeof createInterface> | undefined;
  const start = () => {
    if (rl) return;
    rl = createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (l) => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(l.trim());
      } else lines.push(l.trim());
    });
    rl.on('close', () => {
      ended = true;
      waiting?.(undefined);
      waiting = undefined;
    });
  };
  // piped answers are not echoed by a terminal: show them so the transcript reads right
  const echo = (answer: string | undefined) => {
    if (answer === undefined) process.stdout.write('(no answer)\n');
    else if (!process.stdin.isTTY) process.stdout.write(`${answer}\n`);
    return answer;
  };
  const ask: Ask = (question, timeoutMs) =>
    new Promise((done) => {
      process.stdout.write(question);
      start();
      if (lines.length) return done(echo(lines.shift()));
      if (ended) return done(echo(undefined));
      const timer = timeoutMs !== undefined ? setTimeout(() => {
        waiting = undefined;
        done(echo(undefined));
      }, Math.max(0, timeoutMs)) : undefined;
      waiting = (l) => {
        if (timer) clearTimeout(timer);
        done(echo(l));
      };
    });
  // stdin must not keep the process alive once the command is done
  ask.close = () => {
    rl?.close();
    process.stdin.unref?.();
  };
  return ask;
}

interface Args {
  file?: string;
  host?: string;
  identity?: string;
  rollbackSeconds: number;
  dryRun: boolean;
  yes: boolean;
  verbose: boolean;
  sshOptions: string[];
  remoteDir?: string;
  backupDir?: string;
}

function parseArgs(args: string[]): Args | string {
  const a: Args = { rollbackSeconds: 30, dryRun: false, yes: false, verbose: false, sshOptions: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--host') a.host = value();
    else if (flag === '--identity' || flag === '-i') a.identity = value();
    else if (flag === '--rollback-seconds') {
      const v = value() ?? '';
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 86400) return `--rollback-seconds must be a whole number from 1 to 86400, not '${v}'`;
      a.rollbackSeconds = Number(v);
    } else if (flag === '--dry-run') a.dryRun = true;
    else if (flag === '--yes' || flag === '-y') a.yes = true;
    else if (flag === '--verbose' || flag === '-v') a.verbose = true;
    else if (flag === '--ssh-option') {
      const v = value();
      if (!v) return '--ssh-option needs a value';
      a.sshOptions.push('-o', v);
    } else if (flag === '--ssh-config') {
      const v = value();
      if (!v) return '--ssh-config needs a file (or none)';
      a.sshOptions.push('-F', v);
    } else if (flag === '--remote-dir') a.remoteDir = value();
    else if (flag === '--backup-dir') a.backupDir = value();
    else if (flag === '--help' || flag === '-h') return '';
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (!a.file) a.file = arg;
    else return `unexpected argument ${arg}`;
  }
  if (!a.file) return 'no file given';
  if (a.host === undefined) return '--host is required';
  return a;
}

/** `iptables-lint apply FILE --host …`: the apply engine driven from a terminal. */
export async function applyCommand(argv: string[], io: CliIO, deps: ApplyDeps = { runner: execaRunner, ask: stdinAsk(), clock: realClock }): Promise<number> {
  try {
    return await applySteps(argv, io, deps);
  } finally {
    deps.ask.close?.();
  }
}

async function applySteps(argv: string[], io: CliIO, deps: ApplyDeps): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed) io.stderr(`iptables-lint apply: ${parsed}\n${USAGE}`);
    else io.stdout(USAGE);
    return parsed ? 2 : 0;
  }
  // a hostile target is refused before any process starts
  const target = parseTarget(parsed.host!);
  if (!target.ok) {
    io.stderr(`iptables-lint apply: refused: ${target.problem}\n`);
    return 2;
  }
  const file = parsed.file!;
  const read = readTextFile(file);
  if (!read.ok) {
    io.stderr(`iptables-lint: ${read.reason}\n`);
    return 2;
  }
  const config = findLintConfig(resolve(file));
  // a script's configuration read with `.`, found around it as lint finds it
  const prepared = prepareRules(read.text, { fileName: file, severities: config.severities, settings: workspaceSettings(resolve(file)), sourced: sourcedTextsFor(read.text, resolve(file)) });
  if (!prepared.ok) {
    for (const f of prepared.findings) io.stderr(`${file}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}\n`);
    io.stderr(`iptables-lint apply: refused: ${prepared.reason}. Nothing was sent to the host.\n`);
    return 1;
  }
  const say = (t: string) => io.stdout(t.endsWith('\n') ? t : `${t}\n`);
  let session: ApplySession;
  try {
    session = new ApplySession(
      {
        target: target.target,
        ssh: { identity: parsed.identity, options: parsed.sshOptions },
        rules: prepared.rules,
        rollbackSeconds: parsed.rollbackSeconds,
        ...(parsed.remoteDir ? { remoteDir: parsed.remoteDir } : {}),
        localBackupFolder: parsed.backupDir ?? defaultBackupFolder(),
      },
      deps.runner,
      {
        command: (f, args, purpose) => {
          if (parsed.verbose) io.stderr(`+ ${purpose}: ${[f, ...args].map(shellQuote).join(' ')}\n`);
        },
        step: (m) => {
          if (parsed.verbose) io.stderr(`… ${m}\n`);
        },
      },
      deps.clock,
    );
  } catch (e) {
    io.stderr(`iptables-lint apply: refused: ${(e as Error).message}\n`);
    return 2;
  }
  const host = session.host;
  say(`Applying ${file} to ${host} (${prepared.rules.source === 'compiled' ? 'the script compiled to iptables-restore rules; the script is not run' : 'the rules file as it is'}).`);
  for (const f of prepared.rules.findings.filter((x) => x.severity === 'warning')) say(`${file}:${f.line}:${f.column}: warning ${f.code}: ${f.message}`);

  let plan: Plan;
  try {
    plan = await session.plan();
  } catch (e) {
    return failure(e, io);
  }
  report(plan, say);
  if (plan.refusal) {
    io.stderr(`iptables-lint apply: refused: ${plan.refusal}. Nothing on ${host} was changed.\n`);
    return 1;
  }
  if (parsed.dryRun) {
    say(`Dry run: nothing on ${host} was changed.`);
    return 0;
  }
  if (!plan.changed) {
    say(`The rules loaded on ${host} are already these: nothing to apply.`);
    return 0;
  }
  if (plan.lockout && plan.lockout.verdict !== 'accept' && !parsed.yes) {
    const a = await deps.ask(`Apply anyway (the rollback restores the previous rules after ${parsed.rollbackSeconds} s)? [y/N] `);
    if (!/^y(es)?$/i.test(a ?? '')) {
      say('Not applied.');
      return 1;
    }
  } else if (!parsed.yes) {
    const a = await deps.ask(`Apply these rules to ${host}? [y/N] `);
    if (!/^y(es)?$/i.test(a ?? '')) {
      say('Not applied.');
      return 1;
    }
  }

  let applied: Applied;
  try {
    applied = await session.apply(plan);
  } catch (e) {
    if (e instanceof ApplyError && e.pending) {
      io.stderr(`iptables-lint apply: ${e.message}\n`);
      return rolledBack(await session.waitForRollback(e.pending), host, say, io);
    }
    return failure(e, io);
  }
  say(`Applied to ${host}. Backup on the host: ${applied.sessionDir}/backup.*${applied.backups.map((b) => (b.localFile ? `; local copy: ${b.localFile}` : '')).join('')}`);
  say(`The previous rules come back at ${new Date(applied.deadline).toLocaleTimeString()} unless the new ones are confirmed over a new ssh connection.`);

  if (!parsed.yes) {
    const left = applied.deadline - deps.clock.now() - 1000;
    const a = await deps.ask(`Keep the new rules? Answer within ${Math.max(0, Math.floor(left / 1000))} s [y/N] `, left);
    if (a === undefined) {
      say('No answer: the rollback restores the previous rules.');
      return rolledBack(await session.waitForRollback(applied), host, say, io);
    }
    if (!/^y(es)?$/i.test(a)) {
      const r = await session.revert(applied);
      if (r.reverted) {
        say(`Reverted: the previous rules are back on ${host}.`);
        await printLoaded(session, say, io);
        return 1;
      }
      io.stderr(`iptables-lint apply: revert: ${r.reason}\n`);
      return rolledBack(await session.waitForRollback(applied), host, say, io);
    }
  }
  const c = await session.confirm(applied);
  if (!c.kept) {
    io.stderr(`iptables-lint apply: could not confirm over a new connection: ${c.reason}\n`);
    say(`The rollback restores the previous rules on ${host} by ${new Date(applied.firesBy).toLocaleTimeString()}.`);
    return rolledBack(await session.waitForRollback(applied), host, say, io);
  }
  say(`Confirmed over a new ssh connection: the new rules stay on ${host}, the rollback is cancelled.`);
  await printLoaded(session, say, io);
  return 0;
}

function report(plan: Plan, say: (t: string) => void): void {
  say(describePreflight(plan.preflight));
  say('Checks on the host (live rules untouched):');
  for (const ch of plan.checks) say(`  ${ch.family} ${ch.name}: ${ch.status}${ch.status === 'passed' ? '' : ` (${ch.detail})`}`);
  for (const f of plan.families) {
    if (!f.diff) say(`No change to the ${f.family} rules.`);
    else {
      say(`Changes to the ${f.family} rules (normalised${f.approximate ? ' by iptables-lint\'s approximation of iptables-save' : ' by the host\'s iptables-save'}):`);
      say(f.diff);
    }
  }
  if (plan.lockout) say(`Lockout check: ${plan.lockout.verdict === 'accept' ? 'ok, ' : 'WARNING: '}${plan.lockout.summary}.`);
  for (const w of plan.warnings) say(`Warning: ${w}.`);
}

async function printLoaded(session: ApplySession, say: (t: string) => void, io: CliIO): Promise<void> {
  try {
    for (const l of await session.loadedNow()) say(`Loaded now on ${session.host} (${l.family}):\n${l.text}`);
  } catch (e) {
    io.stderr(`iptables-lint apply: could not read the loaded rules: ${(e as Error).message}\n`);
  }
}

function rolledBack(r: RollbackReport, host: string, say: (t: string) => void, io: CliIO): number {
  if (r.unreachable) io.stderr(`iptables-lint apply: ${host} cannot be reached after the rollback time: ${r.unreachable}\n`);
  else if (r.rolledBack === 'restored') say(`Rolled back: the previous rules are loaded on ${host} again.`);
  else if (r.rolledBack === 'restore-failed') io.stderr(`iptables-lint apply: the rollback ran on ${host} but iptables-restore failed: restore the backup by hand\n`);
  else if (r.stillArmed) io.stderr(`iptables-lint apply: the rollback on ${host} has not fired yet\n`);
  else say(`The new rules were kept on ${host} (confirmed before the rollback time).`);
  for (const l of r.loaded ?? []) say(`Loaded now on ${host} (${l.family}):\n${l.text}`);
  return r.rolledBack === undefined && !r.stillArmed && !r.unreachable ? 0 : 1;
}

function failure(e: unknown, io: CliIO): number {
  if (!(e instanceof ApplyError)) throw e;
  io.stderr(`iptables-lint apply: ${e.kind === 'refused' ? 'refused: ' : ''}${e.message}\n`);
  return e.kind === 'refused' || e.kind === 'apply-failed' ? 1 : 2;
}

/** For showing a command in verbose output: quoted when it holds anything but plain characters. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
