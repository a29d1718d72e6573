// One language server session for `npm run bench`, in a client process of its own (see
// run.ts): `edits FILE` opens the file, times 50 one-line edits (a digit typed, then
// deleted) to their diagnostics, back to back and then 150 ms apart, hovers and completions,
// then a new rule typed a character at a time 150 ms apart, and reads the server's RSS (right
// after the open and 5 s later, after the edits and requests, after the new rule, and 5 s after
// them); `busy FILE` times hovers on another document while FILE opens and is typed in;
// `startup` times server starts to the initialize reply. Prints one line of JSON.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { positionAt, smallFileBeside } from '../support/busyServer.ts';
import { LspClient } from '../support/lspClient.ts';
import { serverExecArgv, serverProcessEnv } from '../../server/src/node/serverProcessEnv.ts';

const quick = process.argv.includes('--quick');
const [mode, file] = process.argv.slice(2);
const repeat = quick ? 15 : 50;
/** Between one keystroke's diagnostics and the next keystroke, when typing at a person's pace. */
const TYPING_PAUSE_MS = 150;
/**
 * The rule the bench types on a new line of the dump: a service's rule as kube-proxy writes
 * them, its jump to the chain of a service the dump has (the last keystroke makes the target a
 * chain's name, an edge of the graph the chain checks read).
 */
function newRuleFor(text: string): string {
  const service = /^-A KUBE-SERVICES .* -j (KUBE-SVC-\S+)$/m.exec(text)?.[1] ?? 'ACCEPT';
  return `-A KUBE-SERVICES -i eth0 -p tcp -d 10.96.0.99 --dport 8443 -j ${service}`;
}

function rssOf(pid: number | undefined): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

async function edits(path: string): Promise<Record<string, unknown>> {
  const text = readFileSync(path, 'utf8');
  const start = performance.now();
  // the server's environment as the VS Code client gives it
  const client = new LspClient(serverProcessEnv(), serverExecArgv());
  await client.start();
  const init = performance.now() - start;
  const uri = pathToFileURL(path).href;
  const lines = text.split('\n');
  let version = 1;
  const waitFor = (v: number) =>
    new Promise<number>((resolve) => {
      const t = performance.now();
      const d = client.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
        if (p.uri === uri && p.version === v) {
          d.dispose();
          resolve(performance.now() - t);
        }
      });
    });
  const opened = waitFor(1);
  const t0 = performance.now();
  await client.open(uri, 'iptables-save', text);
  await opened;
  const openMs = performance.now() - t0;
  // the file open and analysed, before any edit: each edit leaves the previous text (15 MB for
  // 100k rules) to the garbage collector, which grows the heap until it collects
  const rssOpen = rssOf(client.pid);
  // someone who opens a file reads it before typing: the server prepares a big document for
  // edits in that time (about a second for 100k rules), and gives back what the open left
  // once quiet (see MemoryRelease: a thorough collection after 3 s); the edits start after it
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rssSettled = rssOf(client.pid);
  // one-line edits in the middle of the file, as typing makes them: a digit is typed after the
  // port of a service rule (80 → 801), then deleted again. Each edit moves every line after it.
  const target = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('--dport 80 -j KUBE-SVC'));
  const at = lines[target].indexOf('--dport 80') + 10;
  type Position = { line: number; character: number };
  /** One keystroke `pauseMs` after the previous one's diagnostics, timed to its own. */
  const keystroke = async (pauseMs: number, start: Position, end: Position, text: string): Promise<number> => {
    if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    version++;
    const done = waitFor(version);
    void client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text }] });
    return done;
  };
  /** `repeat` keystrokes, each `pauseMs` after the previous one's diagnostics, each timed to its own. */
  const typeEdits = async (pauseMs: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const typed = i % 2 === 0;
      out.push(await keystroke(pauseMs, { line: target, character: at }, { line: target, character: typed ? at : at + 1 }, typed ? '1' : ''));
    }
    return out;
  };
  // back to back: each keystroke as soon as the last one's diagnostics arrive
  const editMs = await typeEdits(0);
  // at a person's pace: the server uses the pauses (see FirewallDocument.settleText)
  const typedMs = await typeEdits(TYPING_PAUSE_MS);
  const timeRequests = async (method: string, params: () => unknown) => {
    const xs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      await client.request(method, params());
      xs.push(performance.now() - t);
    }
    return xs;
  };
  let k = 0;
  const ruleLines = lines.map((l, i) => (l.startsWith('-A ') ? i : -1)).filter((i) => i >= 0);
  const hover = await timeRequests('textDocument/hover', () => ({ textDocument: { uri }, position: { line: ruleLines[(k += 7919) % ruleLines.length], character: 4 } }));
  let asked = 0;
  const completion = await timeRequests('textDocument/completion', () => {
    const line = ruleLines[(k += 7919) % ruleLines.length];
    const text = lines[line];
    // every other request asks for an address (those written nearby) where the rule has one, the others for a target after -j
    const address = asked++ % 2 ? Math.max(text.indexOf(' -d '), text.indexOf(' -s ')) : -1;
    return { textDocument: { uri }, position: { line, character: address >= 0 ? address + 4 : text.indexOf(' -j ') + 4 } };
  });
  const rss = rssOf(client.pid);
  // a new rule typed at that pace on a new line below the edited one, a character at a time
  // (the chain's name and the target pass through names the file does not have), then the
  // line deleted again
  const newRuleMs: number[] = [];
  const NEW_RULE = newRuleFor(text);
  const newRule = `\n${NEW_RULE}`;
  const lineEnd = lines[target].length;
  for (let i = 0; i < newRule.length; i++) {
    const position = i === 0 ? { line: target, character: lineEnd } : { line: target + 1, character: i - 1 };
    newRuleMs.push(await keystroke(TYPING_PAUSE_MS, position, position, newRule[i]));
  }
  await keystroke(0, { line: target, character: lineEnd }, { line: target + 1, character: NEW_RULE.length }, '');
  const rssNewRule = rssOf(client.pid);
  const refresh = await editorRefresh(client, uri, lines, target, at, () => ++version, waitFor);
  const typedDuringRefresh = await editsDuringRefresh(client, uri, target, at, () => ++version, waitFor);
  // then a pause, as when someone stops typing: the server gives memory back once quiet
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rssQuiet = rssOf(client.pid);
  await client.stop();
  return { init, openMs, edits: editMs, typed: typedMs, newRule: newRuleMs, hover, completion, rss, rssNewRule, rssOpen, rssSettled, rssQuiet, refresh, typedDuringRefresh };
}

/**
 * Typing goes on while the editor's refresh is worked out: after an edit and its
 * diagnostics, the editor's whole-document requests are sent, and the next keystroke comes
 * 20 to 380 ms later (50 rounds, 40 ms apart, five times over), during one or another of
 * them. Each keystroke is timed to its diagnostics: with 50, the p95 is not the slowest one
 * (with 20 it was, and one keystroke met by a collection or another process decided it).
 */
async function editsDuringRefresh(client: LspClient, uri: string, line: number, at: number, nextVersion: () => number, waitFor: (v: number) => Promise<number>) {
  const doc = { textDocument: { uri } };
  let held = await client.request<{ resultId: string }>('textDocument/semanticTokens/full', doc);
  const edit = (typed: boolean) => {
    const version = nextVersion();
    const done = waitFor(version);
    void client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: at }, end: { line, character: typed ? at : at + 1 } }, text: typed ? '1' : '' }],
    });
    return done;
  };
  const out: number[] = [];
  const rounds = quick ? 6 : 50;
  for (let i = 0; i < rounds; i++) {
    await edit(true);
    const requests = Promise.all([
      // refused (ContentModified) when the keystroke came before the tokens were worked out:
      // the result held is still the server's last one
      client.request<{ resultId: string }>('textDocument/semanticTokens/full/delta', { ...doc, previousResultId: held.resultId }).catch(() => held),
      client.request('textDocument/documentSymbol', doc),
      client.request('textDocument/codeLens', doc),
      client.request('textDocument/foldingRange', doc),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20 + 40 * (i % 10)));
    out.push(await edit(false));
    const [tokens] = await requests;
    held = tokens;
  }
  return out;
}

/**
 * What VS Code asks after each pause in typing, besides the diagnostics it is sent: semantic
 * tokens (a delta against those it holds), the outline (breadcrumbs and sticky scroll read
 * it), code lens places, folding ranges. They are sent together, as the editor does, with a
 * hover right behind them (someone pointing at a rule while the editor refreshes): the hover
 * waits for whatever is ahead of it. Ten rounds, each after a one-character edit.
 */
async function editorRefresh(client: LspClient, uri: string, lines: string[], line: number, at: number, nextVersion: () => number, waitFor: (v: number) => Promise<number>) {
  const doc = { textDocument: { uri } };
  let held = await client.request<{ resultId: string }>('textDocument/semanticTokens/full', doc);
  const rounds: { all: number; hover: number; bytes: number; each: Record<string, number> }[] = [];
  for (let i = 0; i < (quick ? 4 : 10); i++) {
    const version = nextVersion();
    const diagnosed = waitFor(version);
    const typed = i % 2 === 0;
    void client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: at }, end: { line, character: typed ? at : at + 1 } }, text: typed ? '1' : '' }],
    });
    await diagnosed;
    const t = performance.now();
    const each: Record<string, number> = {};
    let bytes = 0;
    const timed = async <T>(name: string, method: string, params: unknown): Promise<T> => {
      const r = await client.request<T>(method, params);
      each[name] = performance.now() - t;
      bytes += JSON.stringify(r).length;
      return r;
    };
    const requests = Promise.all([
      timed<{ resultId: string }>('tokens', 'textDocument/semanticTokens/full/delta', { ...doc, previousResultId: held.resultId }),
      timed('symbols', 'textDocument/documentSymbol', doc),
      timed('lenses', 'textDocument/codeLens', doc),
      timed('folding', 'textDocument/foldingRange', doc),
    ]);
    const hover = client.request('textDocument/hover', { ...doc, position: { line: lines.length >> 2, character: 4 } }).then(() => performance.now() - t);
    const [[tokens], hoverMs] = await Promise.all([requests, hover]);
    held = tokens;
    rounds.push({ all: performance.now() - t, hover: hoverMs, bytes, each });
  }
  return rounds;
}

/**
 * What one document's work makes requests about the others wait: a hover on a small rules file
 * every 50 ms, each timed, while a big file opens (to its first diagnostics), and while a digit
 * is typed and deleted in it 20 times, 100 ms apart (a person typing), to the last keystroke's
 * diagnostics; and the time from the last keystroke to them.
 */
async function busy(path: string): Promise<Record<string, unknown>> {
  const text = readFileSync(path, 'utf8');
  const client = new LspClient(serverProcessEnv(), serverExecArgv());
  await client.start();
  const small = await smallFileBeside(client, 'iptables-bench-busy');
  const uri = pathToFileURL(path).href;
  const languageId = path.endsWith('.sh') ? 'shellscript' : 'iptables-save';
  /** Hovers on the small file every 50 ms until `until` settles, each timed. */
  const hoversUntil = async (until: Promise<unknown>): Promise<number[]> => {
    let done = false;
    void until.then(() => (done = true));
    const out: number[] = [];
    while (!done) {
      const t = performance.now();
      await small.hover();
      out.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return out;
  };
  // when each version's diagnostics came (the last keystroke's may come before typing ends)
  const publishedAt = new Map<number, number>();
  client.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    if (p.uri === uri && p.version !== undefined) publishedAt.set(p.version, performance.now());
  });
  const published = async (version: number): Promise<void> => {
    while (!publishedAt.has(version)) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const opened = published(1);
  const t0 = performance.now();
  void client.open(uri, languageId, text);
  const duringOpen = await hoversUntil(opened);
  const openMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  // a digit typed after a port in the middle of the file, then deleted
  const at = text.indexOf('--dport ', text.length >> 1) + '--dport '.length;
  const { line, character } = positionAt(text, at);
  let version = 1;
  let lastKey = 0;
  const typing = (async () => {
    for (let i = 0; i < 20; i++) {
      const typed = i % 2 === 0;
      version++;
      lastKey = performance.now();
      await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line, character }, end: { line, character: typed ? character : character + 1 } }, text: typed ? '7' : '' }] });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  // and until the last keystroke's diagnostics are out (worked out once typing pauses)
  const duringTyping = await hoversUntil(typing.then(() => published(version)));
  const lastToDiagnostics = publishedAt.get(version)! - lastKey;
  await client.stop();
  return { openMs, duringOpen, duringTyping, lastToDiagnostics };
}

/** One start: spawn to the initialize reply; the server is shut down and has exited before the next. */
async function start(): Promise<number> {
  const t = performance.now();
  const client = new LspClient(serverProcessEnv(), serverExecArgv());
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const dt = performance.now() - t;
  await client.stop();
  await client.exited;
  return dt;
}

async function startup(): Promise<Record<string, unknown>> {
  const first = await start();
  const later: number[] = [];
  for (let i = 0; i < 7; i++) later.push(await start());
  return { first, later };
}

const result = mode === 'startup' ? await startup() : mode === 'busy' ? await busy(file) : await edits(file);
console.log(JSON.stringify(result));
