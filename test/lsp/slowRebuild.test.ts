import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routerScript } from '../support/kubeDump.ts';
import { positionAt, smallFileBeside } from '../support/busyServer.ts';
import { LspClient } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * A document whose model is made again at each keystroke, slowly (a long router script: a shell
 * script is not patched like a save file), is analysed once typing pauses, in steps, not after
 * every keystroke while requests about other documents wait behind each analysis.
 */
test('typing in a long router script: one analysis after the burst, and a hover on another document answered before it', { skip: needBuild() }, async () => {
  const c = new LspClient();
  try {
    await c.start();
    const small = await smallFileBeside(c, 'iptables-slow-rebuild');
    const big = 'file:///tmp/iptables-slow-rebuild/router.sh';
    const text = routerScript(6000).text;
    const opened = performance.now();
    await c.open(big, 'shellscript', text);
    await c.diagnosticsOf(big, 60_000);
    const openMs = performance.now() - opened;
    assert.equal(c.publishCount.get(big), 1);
    // a port typed a digit at a time, then deleted, 20 ms apart
    const at = text.indexOf('--dport 1', text.length >> 1) + '--dport 1'.length;
    const { line, character } = positionAt(text, at);
    let version = 1;
    for (let i = 0; i < 8; i++) {
      const typed = i % 2 === 0;
      await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: big, version: ++version }, contentChanges: [{ range: { start: { line, character }, end: { line, character: typed ? character : character + 1 } }, text: typed ? '7' : '' }] });
      await new Promise((r) => setTimeout(r, 20));
    }
    await small.hover();
    assert.equal(c.publishCount.get(big), 1, `the script was analysed while it was typed in (its open took ${openMs.toFixed(0)} ms)`);
    const deadline = Date.now() + 60_000;
    while (c.publishCount.get(big) === 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.published.get(big)?.version, version);
    // the typed digits were deleted again: the findings of the text as opened
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(c.publishCount.get(big), 2);
    // once typing pauses the analysis runs in steps: a hover on another document sent while it
    // runs is answered before its findings
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: big, version: ++version }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: '7' }] });
    await new Promise((r) => setTimeout(r, 400));
    await small.hover();
    assert.equal(c.publishCount.get(big), 2, 'the findings came before a hover on another document sent while they were worked out');
    while (c.publishCount.get(big) === 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.published.get(big)?.version, version);
  } finally {
    await c.stop();
  }
});
