import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, needBuild, repoRoot, requirement } from '../support/paths.ts';

/**
 * neovim's built-in LSP client (0.7, push diagnostics only) against the built server:
 * headless nvim opens the broken example, waits for the diagnostics, asks for hover and
 * document symbols, and writes what it got as JSON.
 */
const hasNvim = spawnSync('sh', ['-c', 'command -v nvim']).status === 0;
const skip = needBuild() || requirement(hasNvim, 'neovim is not installed (apt-get install neovim)');

test('neovim receives pushed diagnostics, hover and symbols', { skip, timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-nvim-'));
  const out = join(dir, 'out.json');
  const init = join(dir, 'init.lua');
  writeFileSync(
    init,
    `
local server = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(dist('iptables-language-server.cjs'))}, '--stdio' }
vim.cmd('edit ' .. ${JSON.stringify(join(repoRoot, 'examples', 'broken.iptables'))})
vim.bo.filetype = 'iptables'
local client_id = vim.lsp.start_client({ name = 'iptables', cmd = server, root_dir = ${JSON.stringify(dir)} })
vim.lsp.buf_attach_client(0, client_id)
local ok = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local result = { diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, { code = d.code, lnum = d.lnum, col = d.col })
end
local client = vim.lsp.get_client_by_id(client_id)
local hover = client.request_sync('textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 4, character = 5 } }, 10000, 0)
result.hover = hover and hover.result and hover.result.contents and hover.result.contents.value or ''
local symbols = client.request_sync('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(0) } }, 10000, 0)
result.symbols = {}
for _, s in ipairs(symbols and symbols.result or {}) do table.insert(result.symbols, s.name) end
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
`,
  );
  const r = spawnSync('nvim', ['--headless', '--clean', '-u', init], { encoding: 'utf8', timeout: 50_000, env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir } });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(readFileSync(out, 'utf8')) as { diagnostics: { code: string; lnum: number; col: number }[]; hover: string; symbols: string[] };
  const seen = got.diagnostics.map((d) => `${d.code}@${d.lnum}`);
  // examples/broken.iptables: MASQERADE on line 6, --dprt on line 12, /33 on line 13 (0-based: 5, 11, 12)
  for (const want of ['unknown-target@5', 'unknown-option@11', 'invalid-value@12', 'missing-commit@7', 'undefined-chain@13']) assert.ok(seen.includes(want), `${want} in ${seen.join(', ')}`);
  assert.match(got.hover, /PREROUTING/);
  assert.deepEqual(got.symbols, ['nat', 'filter']);
});
