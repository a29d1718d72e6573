import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { execaRunner } from '../../server/src/apply/execaRunner.ts';
import { describePreflight } from '../../server/src/apply/preflight.ts';
import { prepareRules } from '../../server/src/apply/prepareRules.ts';
import { ApplyError, ApplySession, type Applied, type Plan } from '../../server/src/apply/session.ts';
import type { AnalysisSettings, SeveritySetting } from '../../server/src/core/analysis/types.ts';
import { findLintConfig } from '../../server/src/node/lintConfig.ts';
import { sshConfigHostsFrom } from '../../server/src/node/sshConfigFiles.ts';
import { workspaceSettings } from '../../server/src/node/workspaceSettings.ts';
import { sourcedTextsFor } from '../../server/src/node/sourcedFiles.ts';
import { describeTarget, parseTarget, targetProblem, type Target } from '../../server/src/apply/target.ts';
import { SCHEME, type ApplyCommandResult, type ApplyRun } from './applyCommand.ts';

/** One entry of the `iptables.hosts` setting. */
interface HostEntry {
  name?: string;
  host?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  sudo?: boolean;
}

interface Chosen {
  target: Target;
  identity?: string;
  sudo?: boolean;
}


/**
 * The lint settings the language server and the CLI judge a file with: the nearest
 * `.iptables-lint.json`, overridden by `iptables.lint.rules`, and the forwarding sysctls kept
 * near the file (the same readers, server/src/node, the CLI uses).
 */
function lintSettingsFor(doc: vscode.TextDocument, editorRules: Record<string, SeveritySetting>): { severities: Record<string, SeveritySetting>; settings: Partial<AnalysisSettings>; problems: string[] } {
  if (doc.uri.scheme !== 'file') return { severities: editorRules, settings: {}, problems: [] };
  const file = doc.uri.fsPath;
  const config = findLintConfig(file);
  return { severities: { ...config.severities, ...editorRules }, settings: workspaceSettings(file), problems: config.problems };
}

/**
 * "Apply Rules to Host…" once the command runs (applyCommand.ts registers it and loads this
 * module then): the apply engine (no analysis here; it runs the shared engine) behind a host
 * picker, a progress notification, a diff editor, a confirmation, and a countdown with Keep
 * and Revert. Every command run is listed in the "iptables apply" output channel.
 */
export function applyRunner(context: vscode.ExtensionContext, output: vscode.OutputChannel, contents: Map<string, string>): ApplyRun {
  /** The progress notification open now, if any: engine steps show there too. */
  let showStep: ((message: string) => void) | undefined;
  return run;

  async function run(uri: vscode.Uri | undefined, options: { target?: string } | undefined): Promise<ApplyCommandResult> {
    const doc = uri && uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) {
      const message = 'Open an iptables rules file or script first.';
      void vscode.window.showErrorMessage(message);
      return { refused: 'no-document', message };
    }
    const config = vscode.workspace.getConfiguration('iptables', doc.uri);
    const lint = lintSettingsFor(doc, config.get<Record<string, SeveritySetting>>('lint.rules') ?? {});
    for (const p of lint.problems) output.appendLine(`Lint configuration: ${p}`);
    // a script's configuration read with `.`, found around it as the language server finds it
    const sourced = doc.uri.scheme === 'file' ? sourcedTextsFor(doc.getText(), doc.fileName) : undefined;
    const prepared = prepareRules(doc.getText(), { fileName: doc.fileName, severities: lint.severities, settings: lint.settings, sourced });
    if (!prepared.ok) {
      output.appendLine(`Refused: ${prepared.reason}`);
      for (const f of prepared.findings) output.appendLine(`  ${doc.fileName}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}`);
      const message = `Not applied: ${prepared.reason}.`;
      void vscode.window.showErrorMessage(message);
      if (prepared.line !== undefined && vscode.window.activeTextEditor?.document === doc) {
        const line = prepared.line - 1;
        vscode.window.activeTextEditor.selection = new vscode.Selection(line, 0, line, 0);
        vscode.window.activeTextEditor.revealRange(new vscode.Range(line, 0, line, 0));
      }
      return { refused: 'findings', message };
    }

    const chosen = options?.target !== undefined ? fromTyped(options.target) : await pickHost(config);
    if (!chosen) return { cancelled: true };
    if ('problem' in chosen) {
      void vscode.window.showErrorMessage(`Refused: ${chosen.problem}`);
      return { refused: 'target', message: chosen.problem };
    }
    const rollbackSeconds = Math.round(config.get<number>('apply.rollbackSeconds') ?? 30);
    const backupSetting = config.get<string>('apply.backupFolder') || '';
    const localBackupFolder = backupSetting ? backupSetting.replace(/^~(?=\/|$)/, homedir()) : join(context.globalStorageUri.fsPath, 'backups');
    // machine scope: a workspace cannot choose the program that gets the user's keys
    const sshPath = vscode.workspace.getConfiguration('iptables').get<string>('ssh.path') || 'ssh';

    let session: ApplySession;
    try {
      session = new ApplySession(
        { target: chosen.target, ssh: { sshPath, ...(chosen.identity ? { identity: chosen.identity } : {}) }, rules: prepared.rules, rollbackSeconds, localBackupFolder, ...(chosen.sudo !== undefined ? { sudo: chosen.sudo } : {}) },
        execaRunner,
        {
          command: (file, args, purpose) => output.appendLine(`$ ${[file, ...args].map(quote).join(' ')}    # ${purpose}`),
          step: (m) => {
            output.appendLine(`… ${m}`);
            showStep?.(m);
          },
        },
      );
    } catch (e) {
      void vscode.window.showErrorMessage(`Refused: ${(e as Error).message}`);
      return { refused: 'target', message: (e as Error).message };
    }
    const host = session.host;
    output.appendLine(`\n── Apply ${doc.fileName} to ${host} (${prepared.rules.source === 'compiled' ? 'script compiled to iptables-restore rules; the script is not run' : 'rules file as it is'})`);
    for (const f of prepared.rules.findings.filter((x) => x.severity === 'warning')) output.appendLine(`  ${doc.fileName}:${f.line}:${f.column}: warning ${f.code}: ${f.message}`);

    let plan: Plan;
    try {
      plan = await withCancellableProgress(`iptables: checking the rules on ${host}`, (signal) => session.plan(signal));
    } catch (e) {
      return failed(e, host);
    }
    output.appendLine(describePreflight(plan.preflight));
    for (const c of plan.checks) output.appendLine(`  ${c.family} ${c.name}: ${c.status} (${c.detail})`);
    for (const w of plan.warnings) output.appendLine(`  warning: ${w}`);
    if (plan.lockout) output.appendLine(`  lockout check: ${plan.lockout.summary}`);
    if (plan.refusal) {
      output.appendLine(`Refused: ${plan.refusal}`);
      output.show(true);
      void vscode.window.showErrorMessage(`Not applied: ${plan.refusal}`);
      return { refused: 'checks', message: plan.refusal };
    }
    if (!plan.changed) {
      void vscode.window.showInformationMessage(`The rules loaded on ${host} are already these: nothing to apply.`);
      return { unchanged: true };
    }
    for (const f of plan.families) {
      if (!f.diff) continue;
      output.appendLine(f.diff);
      const id = `${Date.now()}-${f.family}`;
      contents.set(`/${id}/loaded`, f.loaded);
      contents.set(`/${id}/after`, f.after);
      await vscode.commands.executeCommand(
        'vscode.diff',
        vscode.Uri.from({ scheme: SCHEME, path: `/${id}/loaded` }),
        vscode.Uri.from({ scheme: SCHEME, path: `/${id}/after` }),
        `${host} ${f.family}: loaded ↔ after apply${f.approximate ? ' (approximate)' : ''}`,
        { preview: false },
      );
    }
    const lockoutWarning = plan.lockout && plan.lockout.verdict !== 'accept' ? `WARNING: ${plan.lockout.summary}. ` : '';
    const go = await vscode.window.showWarningMessage(
      `${lockoutWarning}Apply these rules to ${host}?`,
      { modal: true, detail: `Checks: ${plan.checks.map((c) => `${c.family} ${c.name} ${c.status}`).join(', ')}.\nA rollback to the current rules is armed first and fires after ${rollbackSeconds} s unless you keep the new rules.${plan.warnings.length ? `\n${plan.warnings.join('\n')}` : ''}` },
      lockoutWarning ? 'Apply Anyway' : 'Apply',
    );
    if (!go) {
      output.appendLine('Not applied (cancelled).');
      return { cancelled: true };
    }

    let applied: Applied;
    try {
      applied = await withCancellableProgress(`iptables: applying to ${host}`, (signal) => session.apply(plan, signal));
    } catch (e) {
      if (e instanceof ApplyError && e.pending) return afterRollback(session, e.pending, e.message);
      return failed(e, host);
    }
    output.appendLine(`Applied. Backup on the host: ${applied.sessionDir}; local copies: ${applied.backups.map((b) => b.localFile).filter(Boolean).join(', ') || 'none'}`);

    const choice = await countdown(host, applied);
    if (choice === 'Revert') {
      const r = await session.revert(applied);
      if (r.reverted) {
        await reportLoaded(session);
        void vscode.window.showInformationMessage(`Reverted: the previous rules are back on ${host}.`);
        return { applied: true, reverted: true, message: 'reverted' };
      }
      output.appendLine(`Revert: ${r.reason}`);
      return afterRollback(session, applied, r.reason);
    }
    if (choice === 'Keep') {
      const c = await session.confirm(applied);
      if (c.kept) {
        await reportLoaded(session);
        void vscode.window.showInformationMessage(`Confirmed over a new ssh connection: the new rules stay on ${host}.`);
        return { applied: true, kept: true, message: 'kept' };
      }
      output.appendLine(`Could not confirm over a new connection: ${c.reason}`);
      return afterRollback(session, applied, `Could not confirm over a new ssh connection (${c.reason}).`);
    }
    return afterRollback(session, applied, 'No answer before the rollback time.');
  }

  async function pickHost(config: vscode.WorkspaceConfiguration): Promise<Chosen | { problem: string } | undefined> {
    const entries = config.get<HostEntry[]>('hosts') ?? [];
    type Item = vscode.QuickPickItem & { chosen?: Chosen | { problem: string }; typed?: boolean };
    const items: Item[] = [];
    for (const e of entries) {
      const target: Target = { host: e.host ?? '', ...(e.user ? { user: e.user } : {}), ...(e.port !== undefined ? { port: e.port } : {}) };
      const problem = targetProblem(target);
      items.push({ label: e.name ?? e.host ?? '(no host)', description: problem ? `refused: ${problem}` : describeTarget(target), detail: 'iptables.hosts', chosen: problem ? { problem } : { target, ...(e.identityFile ? { identity: e.identityFile } : {}), ...(e.sudo !== undefined ? { sudo: e.sudo } : {}) } });
    }
    // ~/.ssh/config and the files it includes; none: only the setting and typed hosts
    const sshHosts = sshConfigHostsFrom(homedir());
    for (const h of sshHosts) {
      const p = parseTarget(h);
      items.push({ label: h, description: p.ok ? '~/.ssh/config' : `refused: ${p.problem}`, chosen: p.ok ? { target: p.target } : { problem: p.problem } });
    }
    items.push({ label: '$(edit) Type [user@]host[:port]…', typed: true, alwaysShow: true });
    const pick = await vscode.window.showQuickPick(items, { title: 'Apply rules to which host?', placeHolder: 'A host from iptables.hosts or ~/.ssh/config, or type one', ignoreFocusOut: true });
    if (!pick) return undefined;
    if (!pick.typed) return pick.chosen;
    const typed = await vscode.window.showInputBox({
      title: 'Apply rules to host',
      prompt: '[user@]host[:port]',
      ignoreFocusOut: true,
      validateInput: (v) => (v ? (parseTarget(v).ok ? undefined : (parseTarget(v) as { problem: string }).problem) : undefined),
    });
    return typed ? fromTyped(typed) : undefined;
  }

  function fromTyped(text: string): Chosen | { problem: string } {
    const p = parseTarget(text);
    return p.ok ? { target: p.target } : { problem: p.problem };
  }

  /** A notification with a Cancel button showing the engine's steps; cancelling aborts the current step. */
  async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      showStep = (m) => progress.report({ message: m });
      try {
        return await work(abort.signal);
      } finally {
        showStep = undefined;
        sub.dispose();
      }
    });
  }

  /** Counts down to the rollback; resolves to Keep, Revert, or undefined when time runs out. */
  async function countdown(host: string, applied: Applied): Promise<'Keep' | 'Revert' | undefined> {
    const stop = new vscode.CancellationTokenSource();
    const timer = vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `New rules are live on ${host}`, cancellable: false }, async (progress) => {
      const total = applied.deadline - Date.now();
      let last = 0;
      while (!stop.token.isCancellationRequested) {
        const left = applied.deadline - Date.now();
        if (left <= 1000) break;
        const done = Math.min(100, ((total - left) / total) * 100);
        progress.report({ message: `the previous rules come back in ${Math.ceil(left / 1000)} s unless you keep these`, increment: done - last });
        last = done;
        await new Promise((r) => setTimeout(r, 500));
      }
    });
    const expired = timer.then(() => 'expired' as const);
    let choice: string | undefined;
    // a dismissed question is asked again while there is time: it is not an answer
    while (choice === undefined) {
      const answer = vscode.window.showWarningMessage(`New rules are live on ${host}. Keep them? Without an answer the previous rules come back at ${new Date(applied.deadline).toLocaleTimeString()}.`, 'Keep', 'Revert');
      choice = await Promise.race([answer, expired]);
    }
    stop.cancel();
    stop.dispose();
    return choice === 'Keep' || choice === 'Revert' ? choice : undefined;
  }

  async function afterRollback(session: ApplySession, applied: Applied, why: string): Promise<ApplyCommandResult> {
    output.appendLine(`${why} Waiting for the rollback on ${session.host}.`);
    output.show(true);
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `iptables: ${why} Waiting for the rollback on ${session.host}…` }, () => session.waitForRollback(applied));
    for (const l of r.loaded ?? []) output.appendLine(`Loaded now (${l.family}):\n${l.text}`);
    const message = r.unreachable
      ? `${session.host} cannot be reached after the rollback time: ${r.unreachable}`
      : r.rolledBack === 'restored'
        ? `Rolled back: the previous rules are loaded on ${session.host} again.`
        : r.rolledBack === 'restore-failed'
          ? `The rollback ran on ${session.host} but iptables-restore failed: restore the backup by hand (${applied.sessionDir}).`
          : `The new rules stayed on ${session.host}.`;
    if (r.rolledBack === 'restored') void vscode.window.showWarningMessage(message);
    else void vscode.window.showErrorMessage(message);
    return { applied: true, ...(r.rolledBack ? { rolledBack: r.rolledBack } : {}), message };
  }

  async function reportLoaded(session: ApplySession): Promise<void> {
    try {
      for (const l of await session.loadedNow()) output.appendLine(`Loaded now on ${session.host} (${l.family}):\n${l.text}`);
    } catch (e) {
      output.appendLine(`Could not read the loaded rules: ${(e as Error).message}`);
    }
  }

  function failed(e: unknown, host: string): ApplyCommandResult {
    if (!(e instanceof ApplyError)) throw e;
    if (e.kind === 'cancelled') {
      output.appendLine('Cancelled: nothing changed.');
      return { cancelled: true };
    }
    output.appendLine(`Failed: ${e.message}`);
    output.show(true);
    void vscode.window.showErrorMessage(`Apply to ${host}: ${e.message}`);
    return e.kind === 'refused' ? { refused: 'host', message: e.message } : { error: e.kind, message: e.message };
  }
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
