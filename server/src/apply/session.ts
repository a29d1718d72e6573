import { randomBytes } from 'node:crypto';
import type { Family } from '../core/knowledge/types.ts';
import { writeLocalBackup } from './localBackup.ts';
import { namesOnHost, type NamesCheck } from './namesOnHost.ts';
import { parseIpsetSave, type IpsetMembers } from '../core/simulate/ipsetMembers.ts';
import { lockoutCheck, type LockoutVerdict, type SshConnection } from './lockoutCheck.ts';
import { parsePreflight, preflightProblems, preflightTools, usesSudo, type Preflight } from './preflight.ts';
import type { PreparedRules } from './prepareRules.ts';
import {
  APPLY_FAILED_EXIT,
  applyScript,
  armScript,
  checkRemoteDir,
  confirmScript,
  namespaceLoadScript,
  IPSET_SAVE_SCRIPT,
  NO_NAMESPACE_EXIT,
  PREFLIGHT_SCRIPT,
  prepareScript,
  remoteCommand,
  revertScript,
  saveScript,
  statusScript,
  testScript,
  TOO_LATE_EXIT,
  type Tools,
} from './remoteCommands.ts';
import type { CommandRunner, RunResult } from './runner.ts';
import { afterRestore, approximateSave, canonicalSave, parseSave, tablesNamed, type SaveTable } from './saveTables.ts';
import { sshArgs, type SshSettings } from './sshArgs.ts';
import { classifySshFailure, type SshFailureKind } from './sshFailure.ts';
import { describeTarget, targetProblem, type Target } from './target.ts';
import { tableDiff } from './tableDiff.ts';

export const DEFAULT_REMOTE_DIR = '/var/backups/iptables-lint';

export interface ApplyOptions {
  target: Target;
  ssh: SshSettings;
  rules: PreparedRules;
  rollbackSeconds: number;
  /** Base folder on the host for backups and the rollback's state. */
  remoteDir?: string;
  /** Host entry's sudo choice (see preflightProblems). */
  sudo?: boolean;
  /** Local folder for copies of the backups; none when undefined. */
  localBackupFolder?: string;
  connectTimeoutSeconds?: number;
  commandTimeoutMs?: number;
}

export interface ApplyEvents {
  /** Every process started, as an argument array (for the output channel / verbose CLI). */
  command?(file: string, args: string[], purpose: string): void;
  /** A step begins (for progress). */
  step?(message: string): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export type ApplyErrorKind = SshFailureKind | 'refused' | 'remote' | 'apply-failed';

/** A failure the front ends show as it is; `pending` is set when a rollback is armed on the host. */
export class ApplyError extends Error {
  readonly kind: ApplyErrorKind;
  readonly pending?: Applied;
  constructor(kind: ApplyErrorKind, message: string, pending?: Applied) {
    super(message);
    this.kind = kind;
    if (pending) this.pending = pending;
  }
}

export interface Check {
  family: Family;
  name: 'iptables-restore --test' | 'load into a throwaway namespace' | NamesCheck;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
}

export interface FamilyPlan {
  family: Family;
  /** Exactly what is restored on the host. */
  text: string;
  /** Tables named in the new rules: the ones iptables-restore replaces. */
  touched: string[];
  /** Normalised: what is loaded now and what will be loaded after the apply. */
  loaded: string;
  after: string;
  diff: string;
  /** The new rules were normalised by our approximation (the host allows no throwaway namespace). */
  approximate: boolean;
}

export interface Plan {
  host: string;
  preflight: Preflight;
  sudo: boolean;
  families: FamilyPlan[];
  checks: Check[];
  lockout?: LockoutVerdict;
  warnings: string[];
  /** Why the rules must not be applied (a check failed). */
  refusal?: string;
  changed: boolean;
}

export interface Applied {
  plan: Plan;
  session: string;
  sessionDir: string;
  /** Earliest moment the rollback can fire (ms since the epoch): confirm before it. */
  deadline: number;
  /** Latest moment it fires. */
  firesBy: number;
  backups: { family: Family; text: string; localFile?: string }[];
}

export type ConfirmResult = { kept: true } | { kept: false; reason: string; kind: 'too-late' | SshFailureKind | 'remote' };
export type RevertResult = { reverted: true } | { reverted: false; reason: string };
export interface RollbackReport {
  /** `restored`: the rollback ran; `restore-failed`: it ran and iptables-restore failed; undefined: it did not run. */
  rolledBack?: 'restored' | 'restore-failed';
  stillArmed: boolean;
  /** What is loaded now, when the host could be reached. */
  loaded?: { family: Family; text: string }[];
  unreachable?: string;
}

const WARNING_LEGACY = /^# Warning: iptables-legacy tables present/m;

/** A host name the throwaway namespace's script may look up: letters, digits, dots, dashes and underscores, read by the script as one word. */
function plainHostName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) && name.length <= 253;
}

function familyOf(address: string): Family {
  return address.includes(':') && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? 'ipv6' : 'ipv4';
}

function sessionId(now: number): string {
  const d = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${d}-${randomBytes(4).toString('hex')}`;
}

/**
 * One apply to one host. Each step is a separate ssh connection (never shared), so the
 * confirm after the apply proves that a new connection still gets through. The front ends
 * call plan → apply → confirm (or revert, or waitForRollback) and show what they return.
 */
export class ApplySession {
  readonly opts: ApplyOptions;
  private readonly runner: CommandRunner;
  private readonly events: ApplyEvents;
  private readonly clock: Clock;
  readonly host: string;
  private tools?: Tools;
  private sudo = false;

  constructor(opts: ApplyOptions, runner: CommandRunner, events: ApplyEvents = {}, clock: Clock = realClock) {
    // the target is checked again here: no front end can hand a hostile one to ssh
    const problem = targetProblem(opts.target) ?? checkRemoteDir(opts.remoteDir ?? DEFAULT_REMOTE_DIR);
    if (problem) throw new ApplyError('refused', problem);
    if (!Number.isInteger(opts.rollbackSeconds) || opts.rollbackSeconds < 1 || opts.rollbackSeconds > 86400) throw new ApplyError('refused', `the rollback delay must be a whole number of seconds between 1 and 86400, not ${opts.rollbackSeconds}`);
    this.opts = opts;
    this.runner = runner;
    this.events = events;
    this.clock = clock;
    this.host = describeTarget(opts.target);
  }

  private get families(): Family[] {
    return this.opts.rules.outputs.map((o) => o.family);
  }

  /** Runs one remote command over a fresh ssh connection; ssh's own failures become ApplyErrors. */
  private async ssh(script: string, purpose: string, o: { input?: string; privileged?: boolean; signal?: AbortSignal; connectTimeout?: number; timeoutMs?: number; pending?: Applied } = {}): Promise<RunResult> {
    if (o.signal?.aborted) throw new ApplyError('cancelled', 'cancelled', o.pending);
    const command = o.privileged === false ? remoteCommand(script, false) : remoteCommand(script, this.sudo);
    const args = sshArgs(this.opts.target, this.opts.ssh, command, o.connectTimeout ?? this.opts.connectTimeoutSeconds ?? 10);
    const file = this.opts.ssh.sshPath || 'ssh';
    this.events.command?.(file, args, purpose);
    const r = await this.runner.run(file, args, { input: o.input ?? '', timeoutMs: o.timeoutMs ?? this.opts.commandTimeoutMs ?? 120_000, signal: o.signal });
    const failure = classifySshFailure(r, this.host);
    if (failure) throw new ApplyError(failure.kind, failure.kind === 'cancelled' ? 'cancelled' : `${purpose}: ${failure.message}`, o.pending);
    return r;
  }

  /**
   * The host's tools and sudo from a plan this session did not make (a caller may keep only
   * the plan or the Applied): every later step then runs as the plan's own session would.
   */
  private adopt(plan: Plan): Tools {
    if (!this.tools) {
      this.tools = preflightTools(plan.preflight);
      this.sudo = plan.sudo;
    }
    return this.tools;
  }

  private remoteFailure(purpose: string, r: RunResult): ApplyError {
    const why = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' / ') || `exit status ${r.exitCode}`;
    return new ApplyError('remote', `${purpose} failed on ${this.host}: ${why}`);
  }

  /** Preflight, loaded rules, checks on the host, normalised diff and lockout check. Changes nothing. */
  async plan(signal?: AbortSignal): Promise<Plan> {
    this.events.step?.(`Connecting to ${this.host}`);
    const pre = await this.ssh(PREFLIGHT_SCRIPT, 'preflight', { privileged: false, signal });
    if (pre.exitCode !== 0) throw this.remoteFailure('the preflight', pre);
    const preflight = parsePreflight(pre.stdout);
    const problems = preflightProblems(preflight, this.families, this.opts.sudo);
    if (problems.length) throw new ApplyError('refused', `${this.host} cannot take the rules: ${problems.join('; ')}`);
    this.sudo = usesSudo(preflight, this.opts.sudo);
    const tools = (this.tools = preflightTools(preflight));
    const warnings: string[] = [];
    const checks: Check[] = [];
    const families: FamilyPlan[] = [];
    for (const out of this.opts.rules.outputs) {
      const f = out.family;
      this.events.step?.(`Reading the ${f} rules loaded on ${this.host}`);
      const saved = await this.ssh(saveScript(tools, f), `read the loaded ${f} rules`, { signal });
      if (saved.exitCode !== 0) throw this.remoteFailure(`${tools.save[f]}`, saved);
      if (WARNING_LEGACY.test(saved.stdout)) warnings.push(`${this.host} also has rules loaded with iptables-legacy, which ${tools.save[f]} does not show and this apply does not replace`);
      const loaded = parseSave(saved.stdout);

      this.events.step?.(`Checking the ${f} rules with ${tools.restore[f]} --test`);
      const test = await this.ssh(testScript(tools, f), `${tools.restore[f]} --test`, { input: out.text, signal });
      checks.push({ family: f, name: 'iptables-restore --test', status: test.exitCode === 0 ? 'passed' : 'failed', detail: test.exitCode === 0 ? `${tools.restore[f]} --test accepts the rules` : firstLines(test.stderr) || `exit status ${test.exitCode}` });

      this.events.step?.(`Loading the ${f} rules into a throwaway namespace on ${this.host}`);
      // the host names the rules hold go first, on a line of their own (see namespaceLoadScript)
      const names = out.hostNames?.filter(plainHostName) ?? [];
      const nsInput = names.length ? `${names.join(' ')}\n${out.text}` : out.text;
      const ns = await this.ssh(namespaceLoadScript(tools, f, names.length > 0), 'load into a throwaway namespace', { input: nsInput, signal });
      const touched = tablesNamed(out.text);
      let incoming: SaveTable[];
      let approximate = false;
      if (ns.exitCode === 0) {
        checks.push({ family: f, name: 'load into a throwaway namespace', status: 'passed', detail: `the rules load into a fresh network namespace with ${tools.restore[f]}` });
        incoming = parseSave(ns.stdout).filter((t) => touched.includes(t.name));
        // a table the input names but leaves empty may not be printed: it is still replaced
        for (const name of touched) if (!incoming.some((t) => t.name === name)) incoming.push({ name, chains: [], rules: [] });
      } else {
        if (ns.exitCode === NO_NAMESPACE_EXIT) checks.push({ family: f, name: 'load into a throwaway namespace', status: 'skipped', detail: `${this.host} does not allow a throwaway network namespace (unshare --net): only --test checked the rules` });
        else checks.push({ family: f, name: 'load into a throwaway namespace', status: 'failed', detail: firstLines(ns.stderr) || `exit status ${ns.exitCode}` });
        incoming = approximateSave(out.text, f);
        approximate = true;
      }
      // what the loaded rules hold by name outlives the reload: neither check above sees it
      const named = namesOnHost(saved.stdout, out.text, f);
      for (const name of new Set(named.refused.map((r) => r.check))) {
        checks.push({ family: f, name, status: 'failed', detail: named.refused.filter((r) => r.check === name).map((r) => r.detail).join('; ') });
      }
      warnings.push(...named.warnings);
      const afterTables = afterRestore(loaded, incoming);
      const before = canonicalSave(loaded);
      const after = canonicalSave(afterTables);
      const diff = tableDiff(loaded, afterTables, `${this.host} ${f}`);
      families.push({ family: f, text: out.text, touched, loaded: before, after, diff, approximate });
    }

    let lockout: LockoutVerdict | undefined;
    const c = preflight.connection;
    if (c) {
      const f = familyOf(c.clientIp);
      const fp = families.find((x) => x.family === f);
      if (fp) {
        const conn: SshConnection = { clientIp: c.clientIp.replace(/^::ffff:/i, ''), clientPort: c.clientPort, serverIp: c.serverIp.replace(/^::ffff:/i, ''), serverPort: c.serverPort, ...(preflight.interface ? { interface: preflight.interface } : {}) };
        // rules that test ipsets (an ssh allowlist) are decided by the host's members
        let sets: Map<string, IpsetMembers> | undefined;
        if (fp.after.includes('--match-set')) {
          this.events.step?.(`Reading the ipsets on ${this.host}`);
          const r = await this.ssh(IPSET_SAVE_SCRIPT, 'read the ipsets', { signal });
          if (r.exitCode === 0) sets = parseIpsetSave(r.stdout);
        }
        lockout = lockoutCheck(fp.after, f, conn, sets);
      }
    } else warnings.push(`${this.host} did not report the ssh connection ($SSH_CONNECTION): the lockout check could not run`);

    for (const fw of this.opts.rules.forwarding) {
      const host = fw.family === 'ipv4' ? preflight.ipForward : preflight.ipv6Forwarding;
      if (fw.value !== undefined && host !== undefined && fw.value !== host) {
        warnings.push(`the script sets ${fw.family === 'ipv4' ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding'}=${fw.value} but the host has ${host}: apply changes only the rules, not sysctls`);
      }
    }
    // the last setting of each interface is what the script leaves (a host that did not report them: nothing to compare)
    const localnet = new Map<string, string>();
    for (const rl of this.opts.rules.routeLocalnet) localnet.set(rl.iface, rl.value);
    const hostLocalnet = preflight.routeLocalnet;
    if (hostLocalnet) {
      for (const [iface, value] of localnet) {
        const host = hostLocalnet.get(iface);
        const key = `net.ipv4.conf.${iface}.route_localnet`;
        if (host === undefined) warnings.push(`the script sets ${key}=${value} but the host has no interface ${iface}: apply changes only the rules, not sysctls`);
        else if (Number(host) !== Number(value)) warnings.push(`the script sets ${key}=${value} but the host has ${host}: apply changes only the rules, not sysctls`);
      }
    }
    const failed = checks.filter((x) => x.status === 'failed');
    const refusal = failed.length ? `the host's iptables refused the new rules: ${failed.map((x) => `${x.family} ${x.name}: ${x.detail}`).join('; ')}` : undefined;
    return { host: this.host, preflight, sudo: this.sudo, families, checks, ...(lockout ? { lockout } : {}), warnings, ...(refusal ? { refusal } : {}), changed: families.some((x) => x.diff !== '') };
  }

  /**
   * Backs up (on the host and locally), arms the rollback, then applies. Cancelling is
   * possible until the apply itself starts; a rollback armed by then is disarmed first.
   */
  async apply(plan: Plan, signal?: AbortSignal): Promise<Applied> {
    if (plan.refusal) throw new ApplyError('refused', plan.refusal);
    const tools = this.adopt(plan);
    this.sudo = plan.sudo;
    const session = sessionId(this.clock.now());
    const sessionDir = `${(this.opts.remoteDir ?? DEFAULT_REMOTE_DIR).replace(/\/+$/, '')}/${session}`;
    const families = plan.families.map((f) => f.family);
    const backups: Applied['backups'] = [];
    for (const fp of plan.families) {
      this.events.step?.(`Backing up the ${fp.family} rules on ${this.host} (${sessionDir})`);
      const r = await this.ssh(prepareScript(tools, fp.family, sessionDir, fp.touched), `back up the ${fp.family} rules and upload the new ones`, { input: fp.text, signal });
      if (r.exitCode !== 0) throw this.remoteFailure('the backup', r);
      const localFile = this.opts.localBackupFolder ? writeLocalBackup(this.opts.localBackupFolder, this.host, session, fp.family, r.stdout) : undefined;
      backups.push({ family: fp.family, text: r.stdout, ...(localFile ? { localFile } : {}) });
    }
    if (signal?.aborted) throw new ApplyError('cancelled', 'cancelled before anything changed (the backup stays on the host)');

    this.events.step?.(`Arming the rollback (${this.opts.rollbackSeconds} s) on ${this.host}`);
    const armedAt = this.clock.now();
    const arm = await this.ssh(armScript(tools, families, sessionDir, this.opts.rollbackSeconds), 'arm the rollback', {});
    if (arm.exitCode !== 0 || !/^rollback=\d+$/m.test(arm.stdout)) throw this.remoteFailure('arming the rollback', arm);
    const applied: Applied = { plan, session, sessionDir, deadline: armedAt + this.opts.rollbackSeconds * 1000, firesBy: this.clock.now() + this.opts.rollbackSeconds * 1000, backups };

    if (signal?.aborted) {
      await this.ssh(confirmScript(sessionDir), 'disarm the rollback (cancelled)', {}).catch(() => undefined);
      throw new ApplyError('cancelled', 'cancelled before the apply: nothing changed');
    }
    this.events.step?.(`Applying the rules on ${this.host}`);
    let r: RunResult;
    try {
      r = await this.ssh(applyScript(tools, families, sessionDir), 'apply', { pending: applied });
    } catch (e) {
      // the rules may or may not be in: the armed rollback puts the old ones back either way
      if (e instanceof ApplyError) throw new ApplyError(e.kind, `${e.message}; whether the rules were applied is unknown, and the rollback restores the previous rules by ${new Date(applied.firesBy).toLocaleTimeString()}`, applied);
      throw e;
    }
    if (r.exitCode === APPLY_FAILED_EXIT) throw new ApplyError('apply-failed', `iptables-restore failed on ${this.host}, the previous rules were put back: ${firstLines(r.stderr)}`);
    if (r.exitCode !== 0) throw new ApplyError('remote', `the apply failed on ${this.host}: ${firstLines(r.stderr) || `exit status ${r.exitCode}`}`, applied);
    return applied;
  }

  /** Keeps the new rules, over a NEW connection that must get through before the rollback fires. */
  async confirm(applied: Applied): Promise<ConfirmResult> {
    this.adopt(applied.plan);
    this.events.step?.(`Confirming over a new ssh connection to ${this.host}`);
    // even past the local deadline the attempt is safe: the confirm and the rollback each
    // claim the same marker, so at most one of them acts
    const left = Math.max(1, Math.floor((applied.deadline - this.clock.now()) / 1000));
    try {
      const r = await this.ssh(confirmScript(applied.sessionDir), 'confirm (new connection)', { connectTimeout: Math.min(this.opts.connectTimeoutSeconds ?? 10, left), timeoutMs: left * 1000 + 2000 });
      if (r.exitCode === 0 && /^kept$/m.test(r.stdout)) return { kept: true };
      if (r.exitCode === TOO_LATE_EXIT) return { kept: false, kind: 'too-late', reason: 'the rollback had already fired' };
      return { kept: false, kind: 'remote', reason: firstLines(r.stderr) || `exit status ${r.exitCode}` };
    } catch (e) {
      if (e instanceof ApplyError && e.kind !== 'refused' && e.kind !== 'remote' && e.kind !== 'apply-failed') return { kept: false, kind: e.kind, reason: e.message };
      throw e;
    }
  }

  /** Goes back to the previous rules now (the user chose Revert). */
  async revert(applied: Applied): Promise<RevertResult> {
    this.events.step?.(`Restoring the previous rules on ${this.host}`);
    const tools = this.adopt(applied.plan);
    try {
      const r = await this.ssh(revertScript(tools, applied.plan.families.map((f) => f.family), applied.sessionDir), 'revert');
      if (r.exitCode === 0) return { reverted: true };
      if (r.exitCode === TOO_LATE_EXIT) return { reverted: false, reason: 'the rollback had already fired' };
      return { reverted: false, reason: firstLines(r.stderr) || `exit status ${r.exitCode}` };
    } catch (e) {
      if (e instanceof ApplyError) return { reverted: false, reason: `${e.message}; the armed rollback restores the previous rules by ${new Date(applied.firesBy).toLocaleTimeString()}` };
      throw e;
    }
  }

  /** The rules loaded now, normalised, for the report after an apply. */
  async loadedNow(families: Family[] = this.families): Promise<{ family: Family; text: string }[]> {
    const tools = this.tools;
    if (!tools) throw new ApplyError('remote', 'plan() has not run');
    const out: { family: Family; text: string }[] = [];
    for (const f of families) {
      const r = await this.ssh(saveScript(tools, f), `read the loaded ${f} rules`);
      if (r.exitCode !== 0) throw this.remoteFailure(tools.save[f], r);
      out.push({ family: f, text: canonicalSave(parseSave(r.stdout)) });
    }
    return out;
  }

  /**
   * Waits until the rollback must have fired, then reports: did it run, and what is loaded.
   * Retries the connection a few times (a lockout ends when the old rules are back).
   */
  async waitForRollback(applied: Applied, signal?: AbortSignal): Promise<RollbackReport> {
    this.adopt(applied.plan);
    const wait = applied.firesBy + 1500 - this.clock.now();
    if (wait > 0) {
      this.events.step?.(`Waiting ${Math.ceil(wait / 1000)} s for the rollback on ${this.host}`);
      await this.clock.sleep(wait, signal);
    }
    let last = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const r = await this.ssh(statusScript(applied.sessionDir), 'rollback status', { connectTimeout: 5 });
        const rolled = /^rolled-back=(restored|restore-failed)$/m.exec(r.stdout)?.[1] as RollbackReport['rolledBack'];
        const loaded = await this.loadedNow(applied.plan.families.map((f) => f.family));
        return { ...(rolled ? { rolledBack: rolled } : {}), stillArmed: /^armed$/m.test(r.stdout), loaded };
      } catch (e) {
        if (!(e instanceof ApplyError)) throw e;
        last = e.message;
        await this.clock.sleep(2000, signal);
      }
    }
    return { stillArmed: false, unreachable: last };
  }
}

function firstLines(s: string): string {
  return s.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ');
}
