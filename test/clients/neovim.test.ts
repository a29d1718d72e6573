import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { dist, needBuild, repoRoot, requirement } from '../support/paths.ts';

/**
 * neovim's built-in LSP client (0.7, push diagnostics only) against the built server,
 * started the way a user configures it: `cmd = { 'iptables-language-server', '--stdio' }`,
 * found on PATH. Headless nvim opens the broken example, waits for the diagnostics, asks
 * for a hover on PREROUTING and the document symbols, prints what it got and writes it
 * as JSON for the assertions.
 */
const hasNvim = spawnSync('sh', ['-c', 'command -v nvim']).status === 0;
const skip = needBuild() || requirement(hasNvim, 'neovim is not installed (apt-get install neovim)');

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };

/**
 * A bin directory as `npm install -g` would leave it: `iptables-language-server` runs the
 * file package.json's "bin" names, with the node that runs the tests (whatever node is on
 * PATH may be older than the bundle needs).
 */
function binDir(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const target = join(repoRoot, pkg.bin['iptables-language-server']);
  const shim = join(bin, 'iptables-language-server');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(target)} "$@"\n`);
  chmodSync(shim, 0o755);
  return bin;
}

/**
 * Runs headless nvim with `lua` as its init.lua, the server's bin directory first on PATH and
 * a home of its own; what nvim printed (`print` goes to stderr) is shown with the test's output.
 */
function runNvim(dir: string, lua: string) {
  const init = join(dir, 'init.lua');
  writeFileSync(init, lua);
  const env = { ...process.env, PATH: `${binDir(dir)}${delimiter}${process.env.PATH ?? ''}`, HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir };
  const r = spawnSync('nvim', ['--headless', '--clean', '-u', init], { encoding: 'utf8', timeout: 50_000, env });
  process.stdout.write(`--- what neovim got ---\n${r.stderr.replace(/\r/g, '')}\n`);
  assert.equal(r.status, 0, r.stderr);
  return r;
}

test('neovim starts `iptables-language-server --stdio` from PATH and gets diagnostics, hover and symbols', { skip, timeout: 60_000 }, () => {
  assert.equal(join(repoRoot, pkg.bin['iptables-language-server']), dist('iptables-language-server.cjs'), 'package.json bin points at the built server');
  const dir = mkdtempSync(join(tmpdir(), 'iptables-nvim-'));
  const out = join(dir, 'out.json');
  const r = runNvim(
    dir,
    `
vim.cmd('edit ' .. ${JSON.stringify(join(repoRoot, 'examples', 'broken.iptables'))})
vim.bo.filetype = 'iptables'
local client_id = vim.lsp.start_client({ name = 'iptables', cmd = { 'iptables-language-server', '--stdio' }, root_dir = ${JSON.stringify(dir)} })
vim.lsp.buf_attach_client(0, client_id)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 100)
-- diagnostics come in more than one push (syntax first, analysis after): wait until they settle
local last, stable = -1, 0
vim.wait(10000, function()
  local n = #vim.diagnostic.get(0)
  if n == last then stable = stable + 1 else stable, last = 0, n end
  return stable >= 5
end, 100)
local result = { diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, message = d.message })
end
local client = vim.lsp.get_client_by_id(client_id)
result.server = client.name .. ' ' .. table.concat(client.config.cmd, ' ')
-- line 5 (0-based 4): -A PREROUTING ...; character 5 is inside PREROUTING
local hover = client.request_sync('textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 4, character = 5 } }, 10000, 0)
result.hover = hover and hover.result and hover.result.contents and hover.result.contents.value or ''
local symbols = client.request_sync('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(0) } }, 10000, 0)
result.symbols = {}
for _, s in ipairs(symbols and symbols.result or {}) do table.insert(result.symbols, s.name) end
for _, d in ipairs(result.diagnostics) do print(string.format('diagnostic %d:%d %s %s', d.lnum + 1, d.col + 1, d.code, d.message)) end
print('hover: ' .. result.hover)
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
`,
  );
  const got = JSON.parse(readFileSync(out, 'utf8')) as { diagnostics: { code: string; lnum: number; col: number; message: string }[]; hover: string; symbols: string[]; server: string };
  assert.equal(got.server, 'iptables iptables-language-server --stdio');
  const seen = got.diagnostics.map((d) => `${d.code}@${d.lnum}`);
  // examples/broken.iptables: MASQERADE on line 6, --dprt on line 12, /33 on line 13 (0-based: 5, 11, 12)
  for (const want of ['unknown-target@5', 'unknown-option@11', 'invalid-value@12', 'missing-commit@7', 'undefined-chain@13']) assert.ok(seen.includes(want), `${want} in ${seen.join(', ')}`);
  for (const d of got.diagnostics) assert.ok(d.message.length > 0, d.code);
  // the printed report names the same diagnostics and the hover
  for (const d of got.diagnostics) assert.ok(r.stderr.includes(`diagnostic ${d.lnum + 1}:${d.col + 1} ${d.code}`), d.code);
  assert.ok(r.stderr.includes('hover: **PREROUTING**'));
  // the hover explains where PREROUTING sits in the packet path: before routing, which then picks INPUT or FORWARD
  assert.match(got.hover, /^\*\*PREROUTING\*\*/);
  assert.match(got.hover, /before the routing decision/i);
  assert.match(got.hover, /INPUT/);
  assert.match(got.hover, /FORWARD/);
  assert.match(got.hover, /DNAT/);
  assert.deepEqual(got.symbols, ['nat', 'filter']);
});

test('neovim 0.7 applies the fix-all: vim.lsp.buf.code_action({ only = { "source.fixAll" } }), the action picked from its menu', { skip, timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-nvim-fix-'));
  const rules = join(dir, 'rules.v4');
  const written = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\nCOMMIT\n';
  writeFileSync(rules, written);
  const r = runNvim(
    dir,
    `
vim.cmd('edit ' .. ${JSON.stringify(rules)})
local client_id = vim.lsp.start_client({ name = 'iptables', cmd = { 'iptables-language-server', '--stdio' }, root_dir = ${JSON.stringify(dir)} })
vim.lsp.buf_attach_client(0, client_id)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 100)
-- the menu neovim shows the actions in: the user picks the first (and only) one
local offered = {}
vim.ui.select = function(items, opts, on_choice)
  for _, item in ipairs(items) do table.insert(offered, opts.format_item and opts.format_item(item) or tostring(item)) end
  on_choice(items[1], 1)
end
vim.lsp.buf.code_action({ only = { 'source.fixAll' } })
vim.wait(10000, function() return not table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\\n'):find('-m state') end, 100)
print('offered: ' .. table.concat(offered, ' | '))
vim.cmd('write')
vim.cmd('qa!')
`,
  );
  // one action offered: the fix-all (no quick fix of a single finding)
  assert.match(r.stderr, /offered: [^|]*\(iptables-lint --fix\)(?! \|)/);
  assert.equal(readFileSync(rules, 'utf8'), written.replace('-m state --state ESTABLISHED', '-m conntrack --ctstate ESTABLISHED').replace('-m state --state NEW', '-m conntrack --ctstate NEW'));
});

test('neovim 0.7 lists the callers and callees of a chain: vim.lsp.buf.incoming_calls() and outgoing_calls() fill the quickfix list', { skip, timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-nvim-calls-'));
  const rulesFile = join(repoRoot, 'examples', 'rules.v4');
  const lines = readFileSync(rulesFile, 'utf8').split('\n');
  const jump = lines.findIndex((l) => l.includes('-j office-in'));
  const out = join(dir, 'out.json');
  runNvim(
    dir,
    `
vim.cmd('edit ' .. ${JSON.stringify(rulesFile)})
vim.bo.filetype = 'iptables'
local client_id = vim.lsp.start_client({ name = 'iptables', cmd = { 'iptables-language-server', '--stdio' }, root_dir = ${JSON.stringify(dir)} })
vim.lsp.buf_attach_client(0, client_id)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local result = {}
local function calls(fn, key)
  vim.fn.setqflist({}, 'r')
  fn()
  vim.wait(10000, function() return #vim.fn.getqflist() > 0 end, 100)
  result[key] = {}
  for _, e in ipairs(vim.fn.getqflist()) do table.insert(result[key], { text = e.text, lnum = e.lnum, col = e.col }) end
  vim.cmd('cclose')
end
-- the cursor on office-in in INPUT's jump: who calls it
vim.api.nvim_win_set_cursor(0, { ${jump + 1}, ${lines[jump].indexOf('office-in') + 1} })
calls(vim.lsp.buf.incoming_calls, 'incoming')
-- the cursor on INPUT in that rule: what it calls
vim.api.nvim_win_set_cursor(0, { ${jump + 1}, ${lines[jump].indexOf('INPUT') + 1} })
calls(vim.lsp.buf.outgoing_calls, 'outgoing')
for key, list in pairs(result) do for _, e in ipairs(list) do print(string.format('%s %s %d:%d', key, e.text, e.lnum, e.col)) end end
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
`,
  );
  const got = JSON.parse(readFileSync(out, 'utf8')) as Record<'incoming' | 'outgoing', { text: string; lnum: number; col: number }[]>;
  // incoming: INPUT, at the jump word of its rule (1-based line and column)
  const col = lines[jump].indexOf('-j office-in') + 4;
  assert.deepEqual(got.incoming, [{ text: 'INPUT', lnum: jump + 1, col }]);
  // outgoing from INPUT: office-in, at the same word (INPUT's only jump to a chain)
  assert.deepEqual(got.outgoing, [{ text: 'office-in', lnum: jump + 1, col }]);
});

test('neovim 0.7 sends iptables/checkWorkspace for its root folder: the findings of a file it never opened arrive in its diagnostics', { skip, timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-nvim-'));
  const root = join(dir, 'firewall');
  mkdirSync(join(root, 'site'), { recursive: true });
  const rules = join(root, 'site', 'rules.v4');
  writeFileSync(rules, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n');
  writeFileSync(join(root, 'notes.txt'), 'iptables -A INPUT -p tcp --dprt 22 -j ACCEPT\n');
  const out = join(dir, 'out.json');
  runNvim(
    dir,
    `
local client_id = vim.lsp.start_client({ name = 'iptables', cmd = { 'iptables-language-server', '--stdio' }, root_dir = ${JSON.stringify(root)} })
vim.wait(10000, function() local c = vim.lsp.get_client_by_id(client_id); return c ~= nil and c.initialized end, 50)
local client = vim.lsp.get_client_by_id(client_id)
local reply = client.request_sync('iptables/checkWorkspace', vim.empty_dict(), 20000)
local bufnr = vim.uri_to_bufnr(vim.uri_from_fname(${JSON.stringify(rules)}))
vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 100)
local result = { reply = reply and reply.result or {}, loaded = vim.api.nvim_buf_is_loaded(bufnr), diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(result.diagnostics, { code = d.code, lnum = d.lnum, col = d.col })
  print(string.format('rules.v4 %d:%d %s', d.lnum + 1, d.col + 1, d.code))
end
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
`,
  );
  const got = JSON.parse(readFileSync(out, 'utf8')) as { reply: { files: number; errors: number; warnings: number }; loaded: boolean; diagnostics: { code: string; lnum: number; col: number }[] };
  assert.deepEqual(got.reply, { files: 1, errors: 1, warnings: 0 });
  assert.equal(got.loaded, false, 'the file was never opened');
  assert.deepEqual(got.diagnostics, [{ code: 'unknown-option', lnum: 2, col: 16 }]);
});
