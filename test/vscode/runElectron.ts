// The extension-host suite (test/vscode/suite) in a desktop VS Code, through @vscode/test-electron,
// where one is installed: the same module code-server's extension host runs in `npm test`.
//
//   VSCODE_EXECUTABLE=/path/to/code npm run test:vscode-desktop
//
// Twice, like the code-server test: in a trusted workspace (runTests, which always passes
// --disable-workspace-trust), then in Restricted Mode, which runTests cannot open, so that run
// starts the same executable with the same arguments except that flag.
import { runTests } from '@vscode/test-electron';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.ts';
import { buildSuite } from './buildSuite.ts';
import { extensionStorage } from './runSuite.ts';
import { makeSampleWorkspace, offlineSettings } from './vscodeServer.ts';

const executable = process.env.VSCODE_EXECUTABLE;
if (!executable || !existsSync(executable)) {
  console.error('Set VSCODE_EXECUTABLE to a desktop VS Code executable (e.g. /usr/share/code/code); @vscode/test-electron runs the suite in it.');
  process.exit(2);
}

const suite = buildSuite();

async function runIn(trust: 'trusted' | 'untrusted'): Promise<number> {
  const work = join(repoRoot, '.work', 'vscode-desktop', trust);
  rmSync(work, { recursive: true, force: true });
  const workspace = makeSampleWorkspace(join(work, 'workspace'), join(repoRoot, 'examples'));
  const userData = join(work, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(offlineSettings, null, 2));
  const log = join(work, 'suite.log');
  const env = { IPTABLES_SUITE_LOG: log, IPTABLES_SUITE_TRUST: trust, IPTABLES_SUITE_STORAGE: extensionStorage(work) };
  const profile = [`--user-data-dir=${userData}`, `--extensions-dir=${join(work, 'extensions')}`, '--disable-extensions'];
  let code: number;
  if (trust === 'trusted') {
    code = await runTests({ vscodeExecutablePath: executable!, extensionDevelopmentPath: repoRoot, extensionTestsPath: suite, launchArgs: [workspace, ...profile], extensionTestsEnv: env }).catch(
      (e: { code?: number }) => e.code ?? 1,
    );
  } else {
    // runTests' own arguments, without --disable-workspace-trust
    const args = [workspace, ...profile, '--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome', '--skip-release-notes', '--no-cached-data', `--extensionTestsPath=${suite}`, `--extensionDevelopmentPath=${repoRoot}`];
    code = await new Promise<number>((resolve) => {
      const child = spawn(executable!, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
      child.on('exit', (c) => resolve(c ?? 1));
      child.on('error', () => resolve(1));
    });
  }
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '(no suite log: the suite did not run)';
  console.log(`\n── extension-host suite in desktop VS Code, ${trust} workspace: exit ${code}\n${text}`);
  // an exit code of 0 counts only with the suite's own lines to show for it
  return code === 0 && /^ok \d+ - /m.test(text) && !/^not ok/m.test(text) ? 0 : 1;
}

const codes = [await runIn('trusted'), await runIn('untrusted')];
process.exit(codes.every((c) => c === 0) ? 0 : 1);
