import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { dist, needBuild } from '../support/paths.ts';

interface Published {
  uri: string;
  diagnostics: { code: string; severity: number; range: { start: { line: number } } }[];
}

/**
 * Severities in the editor follow the same sources as the CLI: the nearest
 * `.iptables-lint.json` above the file, and the `iptables.lint.rules` setting, which wins.
 */
test('the language server applies .iptables-lint.json under the iptables.lint.rules setting', { skip: needBuild() }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'lint-config-'));
  mkdirSync(join(work, 'site', 'rules'), { recursive: true });
  // unused-chain (info by default) raised to error; redundant-rule (info) turned off by the
  // file and back on as a warning by the setting
  writeFileSync(join(work, 'site', '.iptables-lint.json'), JSON.stringify({ rules: { 'unused-chain': 'error', 'redundant-rule': 'off', 'unused-chain-x': 'loud' } }));
  const file = join(work, 'site', 'rules', 'rules.v4');
  const text = '*filter\n:INPUT ACCEPT [0:0]\n:spare - [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;

  let editorRules: Record<string, string> = {};
  const published: Published[] = [];
  const warnings: string[] = [];
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => void published.push(p));
  conn.onNotification('window/showMessage', (p: { message: string }) => void warnings.push(p.message));
  conn.onRequest('workspace/configuration', () => [{ lint: { rules: editorRules }, shellScripts: { enable: true } }]);
  conn.listen();
  // the first publish at or after index `from` that passes `ok`; each publish is looked at once,
  // so one that arrives while an earlier one is being checked is not skipped
  const until = async (from: number, ok: (p: Published) => boolean, what: string): Promise<Published> => {
    const deadline = Date.now() + 15_000;
    for (let i = from; ; i++) {
      while (published.length <= i) {
        assert.ok(Date.now() < deadline, `${what}: no such publish among ${published.length - from} since the step began: ${JSON.stringify(published.at(-1)?.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.severity}`))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (ok(published[i]!)) return published[i]!;
    }
  };
  const severityOf = (p: Published, code: string) => p.diagnostics.filter((d) => d.code === code).map((d) => `${d.range.start.line}:${d.severity}`);
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    conn.sendNotification('initialized', {});
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iptables-save', version: 1, text } });
    // the open may publish before and after the settings arrive: wait until both have been applied
    let p = await until(0, (q) => severityOf(q, 'unused-chain').join() === '2:1', 'the file raises unused-chain to error');
    assert.deepEqual(severityOf(p, 'unused-chain'), ['2:1'], 'the file raises unused-chain to error');
    assert.deepEqual(severityOf(p, 'redundant-rule'), [], 'the file turns redundant-rule off');
    assert.ok(warnings.some((w) => w.includes('.iptables-lint.json') && w.includes('unused-chain-x')), `the bad entry is reported: ${warnings.join(' | ')}`);

    editorRules = { 'redundant-rule': 'warning' };
    const before = published.length;
    conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // a publish of the settings asked for at the start may still come first
    p = await until(before, (q) => severityOf(q, 'redundant-rule').join() === '4:2', 'the setting turns redundant-rule on as a warning');
    assert.deepEqual(severityOf(p, 'redundant-rule'), ['4:2'], 'the setting wins over the file');
    assert.deepEqual(severityOf(p, 'unused-chain'), ['2:1'], 'what the setting does not name still comes from the file');
  } finally {
    conn.dispose();
    child.kill();
    rmSync(work, { recursive: true, force: true });
  }
});

test('iptables.shellScripts.enable off silences shell scripts, not WireGuard configurations', { skip: needBuild() }, async () => {
  const published = new Map<string, Published>();
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => void published.set(p.uri, p));
  conn.onRequest('workspace/configuration', () => [{ lint: { rules: {} }, shellScripts: { enable: false } }]);
  conn.listen();
  const script = 'file:///tmp/off/fw.sh';
  const conf = 'file:///tmp/off/wg0.conf';
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    conn.sendNotification('initialized', {});
    // a pause for the settings to arrive before the files are opened
    await new Promise((r) => setTimeout(r, 300));
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: script, languageId: 'shellscript', version: 1, text: 'iptables -A INPUT --bogus -j ACCEPT\n' } });
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: conf, languageId: 'wireguard', version: 1, text: '[Interface]\nPostUp = iptables -A INPUT --bogus -j ACCEPT\n' } });
    const deadline = Date.now() + 15_000;
    while (!(published.get(conf)?.diagnostics.length && published.has(script))) {
      assert.ok(Date.now() < deadline, `published: ${JSON.stringify([...published.values()])}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(published.get(script)!.diagnostics, []);
    assert.deepEqual(published.get(conf)!.diagnostics.map((d) => d.code), ['unknown-option']);
  } finally {
    conn.dispose();
    child.kill();
  }
});
