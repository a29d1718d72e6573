import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needBuild, repoRoot } from '../support/paths.ts';

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: unknown } };
  contributes: {
    languages: { id: string; firstLine?: string }[];
    configuration: { properties: Record<string, { scope?: string }> };
    commands: { command: string; enablement?: string }[];
    menus?: Record<string, { command?: string; when?: string }[]>;
    keybindings?: { command: string; when?: string }[];
  };
}
const manifest = (): Manifest => JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

/** The terms of a when clause joined by `&&` at the top level, or undefined when it has a top-level `||`. */
function conjuncts(clause: string): string[] | undefined {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < clause.length; i++) {
    const c = clause[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && clause.startsWith('||', i)) return undefined;
    else if (depth === 0 && clause.startsWith('&&', i)) {
      terms.push(clause.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  terms.push(clause.slice(start).trim());
  return terms;
}

/** True when the clause can only hold in a trusted workspace: `isWorkspaceTrusted` is one of its top-level `&&` terms. */
function requiresTrust(clause: string | undefined): boolean {
  return clause !== undefined && (conjuncts(clause)?.includes('isWorkspaceTrusted') ?? false);
}

/**
 * Workspace trust: a workspace's settings must not choose what apply runs or where it goes.
 * In an untrusted workspace VS Code ignores the workspace's values of the restricted settings,
 * the ssh program can only be set per machine, and the apply command is disabled and hidden.
 */
test('manifest: limited support in untrusted workspaces, restricting every setting that picks the host or the program', () => {
  const m = manifest();
  const trust = m.capabilities?.untrustedWorkspaces;
  assert.equal(trust?.supported, 'limited');
  assert.equal(typeof trust?.description, 'string');
  const restricted = trust?.restrictedConfigurations;
  assert.ok(Array.isArray(restricted));
  // the hosts (address, user, port, key, sudo), the ssh binary, and the folder apply writes to
  for (const key of ['iptables.hosts', 'iptables.ssh.path', 'iptables.apply.backupFolder']) assert.ok(restricted.includes(key), key);
  const properties = m.contributes.configuration.properties;
  for (const key of restricted) assert.ok(key in properties, `${key} is restricted but not contributed`);
});

test('manifest: iptables.ssh.path is machine-scoped', () => {
  const { properties } = manifest().contributes.configuration;
  assert.equal(properties['iptables.ssh.path']?.scope, 'machine');
});

test('manifest: iptables.applyToHost is disabled and hidden unless the workspace is trusted', () => {
  const m = manifest();
  const command = m.contributes.commands.find((c) => c.command === 'iptables.applyToHost');
  assert.ok(command, 'the command is contributed');
  assert.ok(requiresTrust(command.enablement), `enablement: ${command.enablement}`);
  // every place that offers the command asks for trust as well
  const offers = [...Object.values(m.contributes.menus ?? {}).flat(), ...(m.contributes.keybindings ?? [])].filter((e) => e.command === 'iptables.applyToHost');
  assert.ok(offers.length > 0, 'listed in the command palette menu');
  for (const o of offers) assert.ok(requiresTrust(o.when), `when: ${o.when}`);
  // the clause reader itself: a term joined by || gives no guarantee
  assert.equal(requiresTrust('isWorkspaceTrusted || editorLangId == shellscript'), false);
  assert.equal(requiresTrust('(isWorkspaceTrusted || resourceScheme == file) && editorFocus'), false);
  assert.equal(requiresTrust('editorFocus && isWorkspaceTrusted'), true);
});

/**
 * The CLI bundle carries the apply engine (execa needs Node 22 at load). Linting must still work
 * on the Node a machine has outside the project (Node 20 on this one): apply loads lazily and
 * says what it needs.
 */
test('the CLI bundle lints on the machine Node outside the project, and apply names the Node it needs there', { skip: needBuild() }, () => {
  const path = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules')).join(':');
  const env = { ...process.env, PATH: path };
  const version = spawnSync('node', ['--version'], { env, encoding: 'utf8' });
  assert.equal(version.status, 0, 'a node on PATH outside node_modules');
  const lint = spawnSync('node', [`${repoRoot}/dist/iptables-lint.cjs`, '--format', 'json', `${repoRoot}/examples/port-forward-router.sh`], { env, encoding: 'utf8', input: '' });
  assert.equal(lint.stderr, '', `lint on ${version.stdout.trim()}`);
  const codes = JSON.parse(lint.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
  assert.ok(codes.includes('dnat-without-forward-accept'), codes.join(' '));
  if (Number(version.stdout.slice(1).split('.')[0]) < 22) {
    const apply = spawnSync('node', [`${repoRoot}/dist/iptables-lint.cjs`, 'apply', `${repoRoot}/examples/rules.v4`, '--host', 'gw', '--dry-run'], { env, encoding: 'utf8', input: '' });
    assert.equal(apply.status, 2);
    assert.match(apply.stderr, /Node 22/);
  }
});

/**
 * Node writes the compiled code it keeps when the process exits on its own; an editor that
 * stops the server by killing it (or a client that kills it right after `exit`) left none, and
 * every start compiled the bundle again. The server writes it once the initialize reply is on
 * its way.
 */
/**
 * The bytes of the files under `dir`. Node writes its compiled code to a temporary file and
 * renames it: one listed may be gone by the time it is measured (a run of the test failed on
 * that with ENOENT), and counts nothing.
 */
function keptBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    try {
      n += statSync(join(e.parentPath, e.name)).size;
    } catch {
      // renamed away since the listing
    }
  }
  return n;
}

test('a server killed after its initialize reply leaves its compiled code for the next start', { skip: needBuild() }, async () => {
  const cache = mkdtempSync(join(tmpdir(), 'iptables-compile-cache-'));
  const child = spawn(process.execPath, [`${repoRoot}/dist/iptables-language-server.cjs`, '--stdio'], { env: { ...process.env, NODE_COMPILE_CACHE: cache }, stdio: ['pipe', 'pipe', 'inherit'] });
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  const exited = new Promise((r) => child.once('exit', r));
  let bytes = 0;
  try {
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const until = Date.now() + 5000;
    while ((bytes = keptBytes(cache)) < 200_000 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  } finally {
    // also when the test fails: a server left running keeps the test's process from ending
    child.kill();
    await exited;
  }
  assert.ok(bytes >= 200_000, `${bytes} bytes of compiled code kept`);
});

/**
 * The server's entry switches on Node's compile cache where the runtime has it (Node 22) and
 * starts without it elsewhere: an editor may run the server on its own, older Node.
 */
test('the language server answers initialize on the machine Node outside the project too', { skip: needBuild() }, async () => {
  const path = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules')).join(':');
  for (const [node, env] of [[process.execPath, process.env], ['node', { ...process.env, PATH: path }]] as const) {
    const child = spawn(node, [`${repoRoot}/dist/iptables-language-server.cjs`, '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const reply = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"serverInfo"')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`${node} exited ${code} before replying`)));
    });
    child.kill();
    assert.match(reply, /iptables-language-server/, node);
  }
});

/**
 * VS Code compiles the extension's code when it activates it: the apply flow (the analysis, the
 * knowledge base, the apply engine and execa, half of the client's code) is a bundle of its own
 * that its command loads on first use, and the entry VS Code loads (extension.cjs) is a small
 * file that loads the client (extension-main.cjs) with the compiled code kept from the last start.
 */
test('the extension bundle holds the client, not the apply flow; the flow is a bundle of its own next to it', { skip: needBuild() }, () => {
  const entry = readFileSync(join(repoRoot, 'dist', 'extension.cjs'), 'utf8');
  const extension = readFileSync(join(repoRoot, 'dist', 'extension-main.cjs'), 'utf8');
  const flow = readFileSync(join(repoRoot, 'dist', 'apply-flow.cjs'), 'utf8');
  // execa's argument check, a rule code of the analysis, a target's summary in the knowledge base
  const engine = ['Execa accepts at most three arguments', 'dnat-without-forward-accept', 'to-destination'];
  for (const s of engine) {
    assert.ok(flow.includes(s), `the apply flow bundle holds ${s}`);
    assert.ok(!extension.includes(s), `the extension bundle holds ${s}`);
  }
  assert.ok(extension.includes('require("./apply-flow.cjs")'), 'the command loads the flow from the bundle beside it');
  assert.ok(extension.length < 600_000, `extension-main.cjs is ${extension.length} bytes`);
  assert.ok(entry.includes('"extension-main.cjs"') && entry.includes('cachedData'), 'the entry loads the client with its compiled code');
  assert.ok(entry.length < 5_000, `extension.cjs is ${entry.length} bytes`);
  assert.ok(!entry.includes('LanguageClient'), 'the entry holds no client');
  // the flow's bundle loads outside the extension host as far as its first use of the editor's API
  const load = spawnSync(process.execPath, ['-e', "try { require(process.argv[1]) } catch (e) { console.log(String(e.message)) }", join(repoRoot, 'dist', 'apply-flow.cjs')], { encoding: 'utf8' });
  assert.match(load.stdout, /Cannot find module 'vscode'/);
});

test('manifest: VS Code recognises iptables-save output and iptables -S listings by their first line, not a script', () => {
  const firstLine = new RegExp(manifest().contributes.languages.find((l) => l.id === 'iptables-save')!.firstLine!);
  for (const line of ['# Generated by iptables-save v1.8.9 (nf_tables) on Thu Dec  3 16:00:00 2026', '*filter', '*nat', '-P INPUT ACCEPT', '-P PREROUTING ACCEPT']) assert.match(line, firstLine);
  for (const line of ['#!/bin/sh', 'iptables -P INPUT DROP', '-A INPUT -j ACCEPT', '# rules']) assert.doesNotMatch(line, firstLine);
});
