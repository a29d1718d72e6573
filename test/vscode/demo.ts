// `npm run demo`: the packaged extension in a real VS Code in the browser. Installs code-server
// (once; test/vscode/installCodeServer.ts), installs iptables-language-support.vsix into it,
// copies examples/ into a sample workspace and serves it on 127.0.0.1 without a password
// (loopback only: nobody else can reach it). Ctrl+C stops it.
//
//   node test/vscode/demo.ts [--vsix FILE] [--port N] [--work DIR]   (npm run demo packages the .vsix first)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../support/paths.ts';
import { codeServerInstall, installCodeServer } from './installCodeServer.ts';
import { makeSampleWorkspace } from './vscodeServer.ts';

const { values } = parseArgs({ options: { vsix: { type: 'string' }, port: { type: 'string' }, work: { type: 'string' } } });
const vsix = resolve(values.vsix ?? join(repoRoot, 'iptables-language-support.vsix'));
const demo = resolve(values.work ?? join(repoRoot, '.work', 'demo'));
const install = codeServerInstall();

function freePort(preferred: number): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => {
      // taken: let the kernel choose one
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const { port } = any.address() as { port: number };
        any.close(() => done(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => done(preferred)));
  });
}

if (!existsSync(vsix)) {
  console.error(`${vsix} does not exist: run \`npm run demo\` (it packages the extension first) or pass --vsix FILE.`);
  process.exit(2);
}
installCodeServer(install);

const dirs = { userData: join(demo, 'user-data'), extensions: join(demo, 'extensions') };
const codeServerArgs = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', join(demo, 'config.yaml')];
mkdirSync(join(dirs.userData, 'User'), { recursive: true });
const settings = join(dirs.userData, 'User', 'settings.json');
if (!existsSync(settings)) writeFileSync(settings, `${JSON.stringify({ 'telemetry.telemetryLevel': 'off', 'workbench.startupEditor': 'none' }, null, 2)}\n`);

console.log(`Installing ${vsix} into code-server…`);
const installed = spawnSync(install.node, [install.entry, ...codeServerArgs, '--force', '--install-extension', vsix], { encoding: 'utf8' });
if (installed.status !== 0) {
  console.error(`code-server --install-extension failed:\n${installed.stdout}${installed.stderr}`);
  process.exit(1);
}

const workspace = makeSampleWorkspace(join(demo, 'workspace'), join(repoRoot, 'examples'));
const port = values.port !== undefined ? Number(values.port) : await freePort(Number(process.env.PORT ?? 8080));
const child = spawn(
  install.node,
  [
    install.entry,
    ...codeServerArgs,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    // the sample workspace holds only our example files: open it trusted, without the prompt
    '--disable-workspace-trust',
    '--ignore-last-opened',
    workspace,
  ],
  // same process group: Ctrl+C in the terminal (or a kill of the group) stops code-server too
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let announced = false;
child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
  process.stdout.write(chunk);
  const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk);
  if (m && !announced) {
    announced = true;
    console.log(`\n  iptables Language Support in VS Code (code-server), sample workspace ${workspace}:\n\n    ${m[1]}/?folder=${encodeURIComponent(workspace)}\n\n  Open it in a browser on this machine (bound to 127.0.0.1, no password). Ctrl+C stops it.\n`);
  }
});
const stop = () => {
  child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
