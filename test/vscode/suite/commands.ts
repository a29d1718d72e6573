// The extension's commands as VS Code knows them, and the apply command's refusals: in an
// untrusted workspace, and for a file with error findings (both before any host is contacted).
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { eventually, expect, extensionId, openExample, workspaceFile, type Check } from './support.ts';

/** The language server processes this extension host started (Linux: read from /proc). */
function serverProcesses(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // the parent pid is the fourth field of stat, after the command name in parentheses
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('iptables-language-server')) out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function contributed(command: string): boolean {
  const commands = (vscode.extensions.getExtension(extensionId)?.packageJSON as { contributes?: { commands?: { command: string }[] } } | undefined)?.contributes?.commands ?? [];
  return commands.some((c) => c.command === command);
}

/**
 * Runs the apply command on a workspace file; it must answer at once (no host picker, no ssh).
 * `target` is passed as a typed host: one the command refuses ('-…') shows that the file itself
 * passed, without contacting anything.
 */
async function applyTo(file: string, target?: string): Promise<Record<string, unknown>> {
  const result = await Promise.race([
    vscode.commands.executeCommand<Record<string, unknown>>('iptables.applyToHost', workspaceFile(file), ...(target !== undefined ? [{ target }] : [])),
    new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 10_000)),
  ]);
  expect(result !== 'waiting', 'the apply command answered without waiting for a host choice');
  expect(result && typeof result === 'object', `the apply command resolves to its outcome, got ${JSON.stringify(result)}`);
  return result;
}

export const checks: Check[] = [
  {
    name: 'the language server runs with the environment the client gives it (a fixed mmap threshold for glibc)',
    async run() {
      await openExample('rules.v4');
      const [pid] = await eventually('the language server process', () => {
        const found = serverProcesses();
        return found.length ? found : undefined;
      });
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(env.includes(`MALLOC_MMAP_THRESHOLD_=${128 * 1024}`), `the server's environment sets MALLOC_MMAP_THRESHOLD_ (${env.filter((e) => e.startsWith('MALLOC')).join(' ') || 'none'})`);
    },
  },
  {
    name: 'the extension is active and its commands are registered',
    async run() {
      await openExample('rules.v4');
      const ext = vscode.extensions.getExtension(extensionId);
      expect(ext, `${extensionId} is loaded`);
      expect(ext.isActive, 'the extension activated for the opened files');
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['iptables.compileToRestore', 'iptables.applyToHost', 'iptables.checkWorkspace']) {
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
  {
    name: 'Apply Rules to Host judges the file with .iptables-lint.json and the forwarding sysctls near it, as the language server and the CLI do',
    when: 'trusted',
    async run() {
      // the folder's .iptables-lint.json makes two findings errors: unused-chain, and
      // missing-ip-forward, which the workspace's sysctl.conf (ip_forward = 1) answers when the
      // command reads it; unread, a save file gets an info reminder that the file makes an error
      const folder = workspaceFile('apply-lint');
      const write = (name: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), new TextEncoder().encode(text));
      const nat = (extra: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${extra}-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n`;
      await write('.iptables-lint.json', '{"rules": {"missing-ip-forward": "error", "unused-chain": "error"}}\n');
      await write('nat.iptables', nat(''));
      await write('spare.iptables', nat(':spare - [0:0]\n'));
      try {
        const passed = await applyTo('apply-lint/nat.iptables', '-not-a-host');
        expect(passed.refused === 'target', `forwarding is on in the workspace's sysctl.conf: the file passes and only the host is refused, got ${JSON.stringify(passed)}`);
        const refused = await applyTo('apply-lint/spare.iptables', '-not-a-host');
        expect(refused.refused === 'findings', `refused for the error .iptables-lint.json makes of unused-chain, got ${JSON.stringify(refused)}`);
      } finally {
        await vscode.workspace.fs.delete(folder, { recursive: true });
      }
    },
  },
];
