// The extension's commands as VS Code knows them, and the apply command's refusals: in an
// untrusted workspace, and for a file with error findings (both before any host is contacted).
import * as vscode from 'vscode';
import { expect, extensionId, openExample, workspaceFile, type Check } from './support.ts';

function contributed(command: string): boolean {
  const commands = (vscode.extensions.getExtension(extensionId)?.packageJSON as { contributes?: { commands?: { command: string }[] } } | undefined)?.contributes?.commands ?? [];
  return commands.some((c) => c.command === command);
}

/** Runs the apply command on a workspace file; it must answer at once (no host picker, no ssh). */
async function applyTo(file: string): Promise<Record<string, unknown>> {
  const result = await Promise.race([
    vscode.commands.executeCommand<Record<string, unknown>>('iptables.applyToHost', workspaceFile(file)),
    new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 10_000)),
  ]);
  expect(result !== 'waiting', 'the apply command answered without waiting for a host choice');
  expect(result && typeof result === 'object', `the apply command resolves to its outcome, got ${JSON.stringify(result)}`);
  return result;
}

export const checks: Check[] = [
  {
    name: 'the extension is active and its commands are registered',
    async run() {
      await openExample('rules.v4');
      const ext = vscode.extensions.getExtension(extensionId);
      expect(ext, `${extensionId} is loaded`);
      expect(ext.isActive, 'the extension activated for the opened files');
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['iptables.compileToRestore', 'iptables.applyToHost']) {
        expect(contributed(c), `the manifest contributes ${c}`);
        expect(commands.includes(c), `${c} is registered`);
      }
    },
  },
  {
    name: 'Apply Rules to Host refuses in an untrusted workspace',
    when: 'untrusted',
    async run() {
      const result = await applyTo('rules.v4');
      expect(result.refused === 'untrusted', `refused as untrusted, got ${JSON.stringify(result)}`);
    },
  },
  {
    name: 'Apply Rules to Host refuses a file with error findings before asking for a host',
    when: 'trusted',
    async run() {
      const result = await applyTo('broken.iptables');
      expect(result.refused === 'findings', `refused for its findings, got ${JSON.stringify(result)}`);
    },
  },
];
