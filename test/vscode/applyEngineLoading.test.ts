import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, needBuild } from '../support/paths.ts';

/**
 * The apply engine pulls in execa, which needs Node 22 when it loads; the VS Code versions the
 * extension accepts (engines.vscode) may run their extension host on Node 20. The extension
 * bundle must load and register its commands without evaluating execa, and load the engine only
 * when Apply Rules to Host runs.
 *
 * The bundle is loaded in a plain Node process with `vscode` resolved to a small stand-in (just
 * enough API to get through `require` and the command registrations), once on the machine's own
 * Node (Node 20 here) and once on the project's Node 22. A trap on Set.prototype.union, which
 * execa calls while it loads, tells whether execa was evaluated: never at load, and on Node 22
 * when the command runs (which shows that the trap does see execa).
 */

const harness = String.raw`
const Module = require('node:module');
const state = { loaded: false, unionAtLoad: false, unionAfterCommand: false, registered: [], errors: [], shown: [] };
let unionUsed = false;
const union = Set.prototype.union;
Object.defineProperty(Set.prototype, 'union', { configurable: true, get() { unionUsed = true; return union; } });

// anything the stand-in does not define: a callable, constructible, never-thenable value
const anything = new Proxy(function () {}, {
  get: (_t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : anything),
  apply: () => anything,
  construct: () => anything,
});
const handlers = new Map();
const disposable = { dispose() {} };
const overrides = {
  workspace: { isTrusted: true, registerTextDocumentContentProvider: () => disposable, getConfiguration: () => ({ get: () => undefined }) },
  window: {
    activeTextEditor: undefined,
    createOutputChannel: () => ({ appendLine() {}, show() {}, dispose() {} }),
    showErrorMessage: (m) => (state.shown.push(m), Promise.resolve(undefined)),
  },
  commands: { registerCommand: (name, fn) => (handlers.set(name, fn), state.registered.push(name), disposable) },
};
// the bundle copies the module's own keys (esbuild's ESM interop): the names the client uses are listed
const names = ['Uri', 'Range', 'Position', 'Selection', 'Disposable', 'EventEmitter', 'CancellationTokenSource', 'ProgressLocation', 'QuickPickItemKind', 'OverviewRulerLane', 'TextEditorRevealType', 'ThemeColor', 'ViewColumn', 'languages', 'env', 'extensions'];
const target = Object.fromEntries(names.map((n) => [n, anything]));
for (const [k, v] of Object.entries(overrides)) target[k] = new Proxy(v, { get: (o, p) => (p in o ? o[p] : anything) });
// __esModule: the language client's own interop then takes the module as it is, any name included
const vscode = new Proxy(target, { get: (t, k) => (k in t ? t[k] : k === '__esModule' ? true : anything) });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode-stand-in' : resolve.call(this, request, ...rest);
};
require.cache['vscode-stand-in'] = { id: 'vscode-stand-in', filename: 'vscode-stand-in', loaded: true, exports: vscode };

(async () => {
  let ext;
  try {
    ext = require(process.argv[2]);
    state.loaded = true;
  } catch (e) {
    state.errors.push('require: ' + e.message);
  }
  state.unionAtLoad = unionUsed;
  if (ext) {
    // activation goes as far as the stand-in allows; the language client needs a real VS Code
    const context = { subscriptions: [], asAbsolutePath() { throw new Error('no language server in this harness'); }, globalStorageUri: { fsPath: process.argv[3] } };
    await Promise.resolve().then(() => ext.activate(context)).catch((e) => state.errors.push('activate: ' + e.message));
    state.unionAfterActivate = unionUsed;
    const apply = handlers.get('iptables.applyToHost');
    if (apply) {
      try {
        state.result = await apply();
      } catch (e) {
        state.errors.push('apply: ' + e.message);
      }
      state.unionAfterCommand = unionUsed;
    }
  }
  process.stdout.write(JSON.stringify(state));
})();
`;

interface HarnessState {
  loaded: boolean;
  unionAtLoad: boolean;
  unionAfterActivate?: boolean;
  unionAfterCommand: boolean;
  registered: string[];
  errors: string[];
  shown: string[];
  result?: { refused?: string; message?: string };
}

function runHarness(node: string, env: NodeJS.ProcessEnv): { version: string; state: HarnessState } {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-ext-bundle-'));
  try {
    const script = join(dir, 'harness.cjs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(script, harness);
    const version = spawnSync(node, ['--version'], { env, encoding: 'utf8' }).stdout.trim();
    const r = spawnSync(node, [script, dist('extension.cjs'), join(dir, 'storage')], { env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, `harness on ${version}: ${r.stderr}`);
    return { version, state: JSON.parse(r.stdout) as HarnessState };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const machinePath = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules')).join(':');

for (const [label, node, env] of [
  ['the machine Node outside the project', 'node', { ...process.env, PATH: machinePath }],
  ["the project's Node", process.execPath, process.env],
] as const) {
  test(`the extension bundle loads and registers Apply Rules to Host without evaluating execa, on ${label}`, { skip: needBuild() }, () => {
    const { version, state } = runHarness(node, env);
    const major = Number(version.slice(1).split('.')[0]);
    assert.ok(state.loaded, `require(dist/extension.cjs) on ${version}: ${state.errors.join('; ')}`);
    assert.equal(state.unionAtLoad, false, `execa was evaluated while the bundle loaded on ${version}`);
    assert.equal(state.unionAfterActivate, false, `execa was evaluated during activation on ${version}`);
    assert.ok(state.registered.includes('iptables.applyToHost'), `registered: ${state.registered.join(' ')}`);
    if (major < 22) {
      // the command says what it needs instead of crashing the extension host
      assert.equal(state.result?.refused, 'runtime', JSON.stringify(state));
      assert.match(state.result?.message ?? '', /Node 22/);
      assert.deepEqual(state.shown, [state.result?.message]);
      assert.equal(state.unionAfterCommand, false);
    } else {
      // the engine loads when the command runs, then the command goes on (no editor is open)
      assert.equal(state.result?.refused, 'no-document', JSON.stringify(state));
      assert.equal(state.unionAfterCommand, true, 'running the command loaded execa (the trap sees it)');
    }
  });
}
