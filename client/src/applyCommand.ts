import * as vscode from 'vscode';
import type { RollbackReport } from '../../server/src/apply/session.ts';

/** What the command resolves to, so callers (and tests) can tell what happened. */
export type ApplyCommandResult =
  | { refused: 'untrusted' | 'runtime' | 'no-document' | 'findings' | 'target' | 'checks' | 'host'; message: string }
  | { cancelled: true }
  | { unchanged: true }
  | { applied: true; kept?: boolean; reverted?: boolean; rolledBack?: RollbackReport['rolledBack']; message: string }
  | { error: string; message: string };

export type ApplyRun = (uri: vscode.Uri | undefined, options: { target?: string } | undefined) => Promise<ApplyCommandResult>;

/** The diff editor's two sides: read-only documents the flow fills (applyFlow.ts). */
export const SCHEME = 'iptables-apply';

/**
 * Registers "Apply Rules to Host…". The flow and the engine it drives (applyFlow.ts: the
 * analysis, ssh through execa) are loaded when the command first runs, not at activation:
 * they are most of the extension's code, and execa needs Node 22 when it loads, while VS Code
 * versions this extension accepts run their extension host on Node 20. Refused in untrusted
 * workspaces.
 */
export function registerApplyCommand(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('iptables apply');
  const contents = new Map<string, string>();
  let flow: Promise<ApplyRun> | undefined;
  context.subscriptions.push(
    output,
    // each diff gets fresh paths, so its contents never change
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => contents.get(uri.path) ?? '' }),
    vscode.commands.registerCommand('iptables.applyToHost', async (uri?: vscode.Uri, options?: { target?: string }): Promise<ApplyCommandResult> => {
      if (!vscode.workspace.isTrusted) {
        const message = 'Applying rules to a host is not available in an untrusted workspace: its settings could choose the host.';
        void vscode.window.showErrorMessage(message);
        return { refused: 'untrusted', message };
      }
      if (Number(process.versions.node.split('.')[0]) < 22) {
        const message = `Applying rules to a host needs Node 22 or newer in the extension host; this VS Code runs Node ${process.versions.node}. Update VS Code, or use \`iptables-lint apply\` in a terminal.`;
        void vscode.window.showErrorMessage(message);
        return { refused: 'runtime', message };
      }
      // a bundle of its own, next to this one (dist/apply-flow.cjs): the analysis, the engine
      // and execa are half of the extension's code, compiled only when the command first runs
      flow ??= Promise.resolve().then(() => (require('./apply-flow.cjs') as typeof import('./applyFlow.ts')).applyRunner(context, output, contents));
      return (await flow)(uri, options);
    }),
  );
}
