import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import { registerApplyCommand } from './applyCommand.ts';
import { registerChainReferencesCommand } from './chainReferences.ts';
import { registerCheckWorkspaceCommand } from './checkWorkspaceCommand.ts';
import { registerCompileCommand } from './compileCommand.ts';
import { registerTraceCommand } from './trace/traceCommand.ts';
import { registerWireGuardLanguage } from './wireguardLanguage.ts';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverExecArgv, serverProcessEnv } from '../../server/src/node/serverProcessEnv.ts';

let client: LanguageClient | undefined;

/** Starts the language server for iptables-save files and shell scripts. The client holds UI only. */
export function activate(context: ExtensionContext): void {
  // the apply command runs the apply engine itself: it works even if the server does not start.
  // Registering it loads no engine: execa (Node 22) is loaded when the command runs
  registerApplyCommand(context);
  const module = context.asAbsolutePath(path.join('dist', 'iptables-language-server.cjs'));
  // added to the extension host's own environment (see serverProcessEnv)
  const env = serverProcessEnv();
  const execArgv = serverExecArgv();
  // stdio, not node-ipc: the server writes its big replies (a kube-proxy dump's outline is
  // 8.8 MB) as the pieces it made between other messages; over node-ipc Node serializes each
  // reply in one piece (see PiecewiseStreamWriter)
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options: { env, execArgv } },
    debug: { module, transport: TransportKind.stdio, options: { env, execArgv: [...execArgv, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'iptables-save' },
      { language: 'shellscript' },
      { language: 'wireguard' },
      { language: 'ifupdown' },
    ],
    synchronize: { configurationSection: 'iptables' },
  };
  client = new LanguageClient('iptables', 'iptables Language Server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  registerCompileCommand(context, client);
  registerCheckWorkspaceCommand(context, client);
  registerTraceCommand(context, client);
  registerChainReferencesCommand(context, client);
  registerWireGuardLanguage(context);
  // Activation ends here, without waiting for the server process to start and answer
  // (about 0.3 s in code-server): requests the commands send wait for it inside the client.
  const started = client;
  started.start().catch((e: unknown) => started.error('The iptables language server did not start', e, 'force'));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
