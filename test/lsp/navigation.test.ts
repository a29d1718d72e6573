import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedServer } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * Navigation through the built server over stdio, with two documents open: workspace
 * symbols across both, highlights, definition from every place a chain is named, semantic
 * tokens decoded with the legend the server announced, and the code lenses.
 */
const skip = needBuild();
let legend: string[] = [];

const saveUri = 'file:///tmp/nav/rules.v4';
const saveText = [
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080',
  'COMMIT',
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':web-in - [0:0]',
  ':unused - [0:0]',
  '-A INPUT -p tcp -j web-in',
  '-A FORWARD -g web-in',
  '-A web-in -p tcp --dport 443 -j ACCEPT',
  '-A web-in -j RETURN',
  'COMMIT',
  '',
].join('\n');
const scriptUri = 'file:///tmp/nav/fw.sh';
const scriptText = [
  '#!/bin/sh',
  'iptables -N web-out',
  'iptables -A OUTPUT -p tcp -g web-out',
  'iptables -I web-out 1 -d 10.0.0.0/8 -j ACCEPT',
  'iptables -P web-out DROP',
  'iptables -t nat -A PREROUTING -p udp --dport 53 -j DNAT --to-destination 10.0.0.53',
  '',
].join('\n');

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
const pos = (text: string, needle: string, nth = 0, plus = 1) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  const before = text.slice(0, i + plus);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
};
const word = (text: string, r: Range) => {
  assert.equal(r.start.line, r.end.line);
  return text.split('\n')[r.start.line].slice(r.start.character, r.end.character);
};

const client = sharedServer(skip, async (c) => {
  const init = await c.request<{ capabilities: { semanticTokensProvider: { legend: { tokenTypes: string[] } } } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  legend = init.capabilities.semanticTokensProvider.legend.tokenTypes;
  await c.conn.sendNotification('initialized', {});
  await c.open(saveUri, 'iptables-save', saveText);
  await c.open(scriptUri, 'shellscript', scriptText);
});

test('workspace symbols list the chains of both open documents, and the query filters them', { skip }, async () => {
  type Sym = { name: string; containerName: string; location: { uri: string; range: Range } };
  const all = await client().request<Sym[]>('workspace/symbol', { query: '' });
  const key = (s: Sym) => `${s.location.uri === saveUri ? 'save' : 'script'}:${s.containerName}/${s.name}@${s.location.range.start.line}`;
  const keys = all.map(key).sort();
  for (const want of ['save:nat/PREROUTING@1', 'save:filter/INPUT@5', 'save:filter/web-in@7', 'save:filter/unused@8', 'script:filter/web-out@1']) assert.ok(keys.includes(want), `${want} in ${keys.join(', ')}`);
  const web = await client().request<Sym[]>('workspace/symbol', { query: 'WEB' });
  assert.deepEqual(web.map(key).sort(), ['save:filter/web-in@7', 'script:filter/web-out@1']);
  // the location is the chain's name on its declaration
  for (const s of web) assert.equal(word(s.location.uri === saveUri ? saveText : scriptText, s.location.range), s.name);
});

test('document highlights: every occurrence of the chain, declarations and -A written, jumps read', { skip }, async () => {
  const hl = await client().request<{ range: Range; kind: number }[]>('textDocument/documentHighlight', { textDocument: { uri: saveUri }, position: pos(saveText, 'web-in', 1) });
  // DocumentHighlightKind: 2 Read, 3 Write
  assert.deepEqual(hl.map((h) => [h.range.start.line, word(saveText, h.range), h.kind]), [
    [7, 'web-in', 3],
    [9, 'web-in', 2],
    [10, 'web-in', 2],
    [11, 'web-in', 3],
    [12, 'web-in', 3],
  ]);
  assert.deepEqual(await client().request('textDocument/documentHighlight', { textDocument: { uri: saveUri }, position: pos(saveText, '--dport') }), []);
});

test('definition from -g, -I and -P in the script, and from -g in the save file, lands on the declaration', { skip }, async () => {
  type Loc = { uri: string; range: Range };
  const def = (uri: string, position: { line: number; character: number }) => client().request<Loc[]>('textDocument/definition', { textDocument: { uri }, position });
  for (const nth of [1, 2, 3]) {
    const locs = await def(scriptUri, pos(scriptText, 'web-out', nth));
    assert.deepEqual(locs.map((l) => [l.uri, l.range.start.line, word(scriptText, l.range)]), [[scriptUri, 1, 'web-out']], `occurrence ${nth}`);
  }
  const fromGoto = await def(saveUri, pos(saveText, '-g web-in', 0, 4));
  assert.deepEqual(fromGoto.map((l) => [l.uri, l.range.start.line, word(saveText, l.range)]), [[saveUri, 7, 'web-in']]);
});

test('semantic tokens of the script decode to the legend types at the right places', { skip }, async () => {
  const { data } = await client().request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: scriptUri } });
  assert.equal(data.length % 5, 0);
  const tokens: [number, string, string][] = [];
  let line = 0;
  let ch = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dl, dc, len, type, mods] = data.slice(i, i + 5);
    line += dl;
    ch = dl ? dc : ch + dc;
    assert.equal(mods, 0);
    tokens.push([line, scriptText.split('\n')[line].slice(ch, ch + len), legend[type]]);
  }
  assert.deepEqual(tokens, [
    [1, '-N', 'parameter'], [1, 'web-out', 'function'],
    [2, '-A', 'parameter'], [2, 'OUTPUT', 'enumMember'], [2, '-p', 'parameter'], [2, '-g', 'parameter'], [2, 'web-out', 'function'],
    [3, '-I', 'parameter'], [3, 'web-out', 'function'], [3, '-d', 'parameter'], [3, '-j', 'parameter'], [3, 'ACCEPT', 'keyword'],
    [4, '-P', 'parameter'], [4, 'web-out', 'function'],
    [5, '-t', 'parameter'], [5, 'nat', 'namespace'], [5, '-A', 'parameter'], [5, 'PREROUTING', 'enumMember'], [5, '-p', 'parameter'], [5, '--dport', 'parameter'], [5, '-j', 'parameter'], [5, 'DNAT', 'keyword'], [5, '--to-destination', 'parameter'],
  ]);
});

test('code lenses: placed without a command, resolved to rule and reference counts per chain, references on request, Trace from here on the DNAT rule', { skip }, async () => {
  type Lens = { range: Range; data?: unknown; command?: { title: string; command: string; arguments?: unknown[] } };
  const lensesOf = async (uri: string) => {
    const placed = await client().request<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    // the editor asks what a lens says only when it is on screen: nothing is said up front
    assert.ok(placed.every((l) => l.command === undefined && l.data !== undefined));
    return Promise.all(placed.map((l) => client().request<Lens>('codeLens/resolve', l)));
  };
  const lenses = await lensesOf(saveUri);
  const chainLens = (line: number) => lenses.find((l) => l.range.start.line === line && l.command?.command !== 'iptables.tracePacket')!;
  const numbers = (l: Lens) => l.command!.title.match(/\d+/g)!.map(Number);
  // web-in: 2 rules, 2 references (the -j and the -g); the action asks for those places
  const web = chainLens(7);
  assert.deepEqual(numbers(web), [2, 2]);
  assert.equal(web.command!.command, 'iptables.showChainReferences');
  const [uri, position] = web.command!.arguments as [string, { line: number; character: number }];
  assert.deepEqual([uri, position], [saveUri, { line: 7, character: 1 }]);
  const refs = await client().request<{ uri: string; range: Range }[]>('iptables/chainReferences', { uri, position });
  assert.deepEqual(refs.map((r) => [r.uri, r.range.start.line, word(saveText, r.range)]), [[saveUri, 9, 'web-in'], [saveUri, 10, 'web-in']]);
  // unused: no rules, no references, no action
  assert.deepEqual([numbers(chainLens(8)), chainLens(8).command!.command], [[0], '']);
  // INPUT: its rule count and its policy
  assert.deepEqual(numbers(chainLens(5)), [1]);
  assert.ok(chainLens(5).command!.title.includes('DROP'));

  const trace = lenses.filter((l) => l.command?.command === 'iptables.tracePacket');
  assert.deepEqual(trace.map((l) => [l.range.start.line, l.range.end.line, l.command!.title]), [[2, 2, 'Trace from here']]);
  assert.deepEqual(trace[0].command!.arguments, [saveUri, 'in=eth0 proto=tcp dport=80 state=NEW']);
  const scriptTrace = (await lensesOf(scriptUri)).filter((l) => l.command?.command === 'iptables.tracePacket');
  assert.deepEqual(scriptTrace.map((l) => [l.range.start.line, l.command!.arguments]), [[5, [scriptUri, 'proto=udp dport=53 state=NEW']]]);
  // a lens placed before the document changed says nothing: the editor places new ones
  const stale = { ...lenses.find((l) => l.range.start.line === 7)!, command: undefined, range: { start: { line: 7, character: 3 }, end: { line: 7, character: 9 } } };
  assert.equal((await client().request<Lens>('codeLens/resolve', stale)).command!.title, '');
});

test('hover on the -j and the --to-destination value of a DNAT rule carries the forward summary below the docs', { skip }, async () => {
  type Hover = { contents: { value: string }; range: Range };
  const hover = (needle: string) => client().request<Hover>('textDocument/hover', { textDocument: { uri: saveUri }, position: pos(saveText, needle) });
  const onJump = await hover('-j DNAT');
  assert.equal(word(saveText, onJump.range), '-j');
  const onValue = await hover('10.0.0.5:8080');
  assert.equal(word(saveText, onValue.range), '10.0.0.5:8080');
  // FORWARD DROP and no rule for 10.0.0.5: the summary says the policy drops it, after the docs
  for (const h of [onJump, onValue]) {
    const [docs, summary] = h.contents.value.split('\n\n---\n\n');
    assert.ok(docs.length > 0);
    assert.match(summary, /FORWARD policy DROP/);
  }
});

test('outline of a save file: each rule line is inside its own chain and no other; a chain without rules is its declaration', { skip }, async () => {
  type Sym = { name: string; range: Range; selectionRange: Range; children?: Sym[] };
  const tables = await client().request<Sym[]>('textDocument/documentSymbol', { textDocument: { uri: saveUri } });
  const chains = tables.flatMap((t) => t.children ?? []);
  const inside = (r: Range, line: number) => r.start.line <= line && line <= r.end.line;
  saveText.split('\n').forEach((text, line) => {
    const rule = /^-A (\S+)/.exec(text);
    if (!rule) return;
    assert.deepEqual(chains.filter((c) => inside(c.range, line)).map((c) => c.name), [rule[1]], `line ${line}: ${text}`);
  });
  for (const c of chains) {
    assert.ok(inside(c.range, c.selectionRange.start.line) && inside(c.range, c.selectionRange.end.line), `${c.name}: the selection is inside the range`);
    assert.equal(word(saveText, c.selectionRange), c.name);
  }
  const unused = chains.find((c) => c.name === 'unused')!;
  assert.deepEqual([unused.range.start.line, unused.range.end.line], [8, 8]);
});

test('call hierarchy: prepared on a chain, its callers and callees through jumps and gotos, the item sent back as the client keeps it', { skip }, async () => {
  type Item = { name: string; kind: number; detail: string; uri: string; range: Range; selectionRange: Range; data?: unknown };
  const [webIn] = await client().request<Item[]>('textDocument/prepareCallHierarchy', { textDocument: { uri: saveUri }, position: pos(saveText, '-j web-in', 0, 4) });
  assert.deepEqual([webIn.name, webIn.detail, webIn.uri, webIn.selectionRange.start.line, word(saveText, webIn.selectionRange)], ['web-in', 'filter', saveUri, 7, 'web-in']);
  // the client sends the item back through JSON: nothing but its data finds the chain
  const sent = JSON.parse(JSON.stringify(webIn)) as Item;
  const incoming = await client().request<{ from: Item; fromRanges: Range[] }[]>('callHierarchy/incomingCalls', { item: sent });
  assert.deepEqual(incoming.map((c) => [c.from.name, c.from.selectionRange.start.line, c.fromRanges.map((r) => [r.start.line, word(saveText, r)])]), [
    ['INPUT', 5, [[9, 'web-in']]],
    ['FORWARD', 6, [[10, 'web-in']]],
  ]);
  const [input] = await client().request<Item[]>('textDocument/prepareCallHierarchy', { textDocument: { uri: saveUri }, position: pos(saveText, ':INPUT') });
  const outgoing = await client().request<{ to: Item; fromRanges: Range[] }[]>('callHierarchy/outgoingCalls', { item: input });
  assert.deepEqual(outgoing.map((c) => [c.to.name, c.to.range.start.line, c.fromRanges.map((r) => [r.start.line, word(saveText, r)])]), [['web-in', 7, [[9, 'web-in']]]]);
  // a built-in chain and a user chain are told apart (SymbolKind Event, Function)
  assert.deepEqual([input.kind, webIn.kind], [24, 12]);
  assert.equal(await client().request('textDocument/prepareCallHierarchy', { textDocument: { uri: saveUri }, position: pos(saveText, '--dport') }), null);
  // the script: the ip4 chain declared by -N, called by OUTPUT's goto
  const [webOut] = await client().request<Item[]>('textDocument/prepareCallHierarchy', { textDocument: { uri: scriptUri }, position: pos(scriptText, 'web-out', 1) });
  const scriptCallers = await client().request<{ from: Item; fromRanges: Range[] }[]>('callHierarchy/incomingCalls', { item: webOut });
  assert.deepEqual(scriptCallers.map((c) => [c.from.name, c.fromRanges.map((r) => [r.start.line, word(scriptText, r)])]), [['OUTPUT', [[2, 'web-out']]]]);
});

test('an ipset\'s name: definition lands on the script\'s ipset create, references and highlights list every place that names it', { skip }, async () => {
  const uri = 'file:///tmp/nav/sets.sh';
  const text = [
    'ipset create blocklist hash:net',
    'ipset add blocklist 198.51.100.0/24',
    'iptables -A INPUT -m set --match-set blocklist src -j DROP',
    'iptables -A FORWARD -m set --match-set blocklist src -j DROP',
    'iptables -A INPUT -m set --match-set other src -j DROP',
    '',
  ].join('\n');
  await client().open(uri, 'shellscript', text);
  type Loc = { uri: string; range: Range };
  const def = await client().request<Loc[]>('textDocument/definition', { textDocument: { uri }, position: pos(text, 'blocklist', 3) });
  assert.deepEqual(def.map((l) => [l.range.start.line, word(text, l.range)]), [[0, 'blocklist']]);
  const refs = await client().request<Loc[]>('textDocument/references', { textDocument: { uri }, position: pos(text, 'blocklist', 2), context: { includeDeclaration: false } });
  assert.deepEqual(refs.map((l) => l.range.start.line), [1, 2, 3]);
  const hl = await client().request<{ range: Range; kind: number }[]>('textDocument/documentHighlight', { textDocument: { uri }, position: pos(text, 'blocklist', 0) });
  assert.deepEqual(hl.map((h) => [h.range.start.line, word(text, h.range), h.kind]), [[0, 'blocklist', 3], [1, 'blocklist', 3], [2, 'blocklist', 2], [3, 'blocklist', 2]]);
  // a set the script does not create: no definition, its one reference
  assert.deepEqual(await client().request('textDocument/definition', { textDocument: { uri }, position: pos(text, 'other') }), []);
});

test('a hashlimit table\'s or rate estimator\'s name: definition lands on the rule that makes it, references and highlights on every rule sharing it', { skip }, async () => {
  const uri = 'file:///tmp/nav/kept.rules';
  const text = [
    '*mangle',
    ':PREROUTING ACCEPT [0:0]',
    '-A PREROUTING -i eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms',
    'COMMIT',
    '*filter',
    ':INPUT ACCEPT [0:0]',
    '-A INPUT -p icmp -m hashlimit --hashlimit-above 10/sec --hashlimit-name flood -j DROP',
    '-A INPUT -p udp -m hashlimit --hashlimit-above 10/sec --hashlimit-name flood -j DROP',
    '-A INPUT -m rateest --rateest wan --rateest-gt --rateest-bps 10mbit -j DROP',
    'COMMIT',
    '',
  ].join('\n');
  await client().open(uri, 'iptables-save', text);
  type Loc = { uri: string; range: Range };
  const def = await client().request<Loc[]>('textDocument/definition', { textDocument: { uri }, position: pos(text, 'flood', 1) });
  assert.deepEqual(def.map((l) => [l.range.start.line, word(text, l.range)]), [[6, 'flood']]);
  const refs = await client().request<Loc[]>('textDocument/references', { textDocument: { uri }, position: pos(text, 'flood', 0), context: { includeDeclaration: true } });
  assert.deepEqual(refs.map((l) => l.range.start.line), [6, 7]);
  const estimator = await client().request<Loc[]>('textDocument/definition', { textDocument: { uri }, position: pos(text, 'wan', 1) });
  assert.deepEqual(estimator.map((l) => [l.range.start.line, word(text, l.range)]), [[2, 'wan']]);
  const hl = await client().request<{ range: Range; kind: number }[]>('textDocument/documentHighlight', { textDocument: { uri }, position: pos(text, 'wan', 0) });
  assert.deepEqual(hl.map((h) => [h.range.start.line, word(text, h.range), h.kind]), [[2, 'wan', 3], [8, 'wan', 2]]);
  const hover = await client().request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: pos(text, 'flood', 1) });
  assert.match(hover.contents.value, /^hashlimit table \*\*flood\*\* \(IPv4\): 2 rules name it \(lines 7, 8\)/);
});
