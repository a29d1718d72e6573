import { Console } from 'node:console';
import { createConnection, ProposedFeatures, type InitializeParams, type MessageReader } from 'vscode-languageserver/node';
import { initializeResult } from '../lsp/capabilities.ts';
import { flushCompileCache } from './compileCache.ts';
import { PiecewiseStreamWriter } from '../lsp/piecewiseStreamWriter.ts';
import { isMainThread } from 'node:worker_threads';

// The bundle is also the thread that judges the workspace's files from disk (see DiskJudge),
// the only thread it starts.
if (isMainThread) serve();
else (require('../lsp/diskJudge.ts') as typeof import('../lsp/diskJudge.ts')).serveDiskJudgements();

/** The language server: the main thread. */
function serve(): void {
  // --stdio, --node-ipc and --socket=N are read from the command line by createConnection
  if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    process.stderr.write('usage: iptables-language-server --stdio | --node-ipc | --socket=PORT\n');
    process.exit(2);
  }

  // Over stdio the replies are written by PiecewiseStreamWriter (a big outline goes out as the
  // pieces it was made in). The library then leaves console alone: all of it (log, dir, table…),
  // which would write into the protocol's stream, goes to stderr, which editors show as the
  // server's log.
  const stdio = process.argv.includes('--stdio');
  if (stdio) globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  // The input is given as the stream itself, not a reader: the library then ends the process when
  // the stream closes (the editor went away), as it does for --stdio; its typings have no
  // overload for a stream with a writer, which it accepts (createMessageConnection).
  const connection = stdio
    ? createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, new PiecewiseStreamWriter(process.stdout))
    : createConnection(ProposedFeatures.all);
  let params: InitializeParams | undefined;
  connection.onInitialize((p) => {
    params = p;
    // the bundle is compiled by now: its code is kept for the next start however this one
    // ends, written once the reply is on its way
    setImmediate(flushCompileCache);
    return initializeResult();
  });
  // The rest of the server (the core, its knowledge and rules) is loaded once the client has the
  // reply: an editor waits for the reply before it goes on, and evaluating the rest's modules
  // is time the reply need not wait for (5–10 ms of a 75 ms start). It is loaded synchronously:
  // the client sends nothing else before `initialized`, and whatever follows is read only after
  // the handlers are in place.
  connection.onInitialized(() => {
    // a require, not an import: the bundle then evaluates the server's modules here, not at start
    const { startServer } = require('../lsp/server.ts') as typeof import('../lsp/server.ts');
    const { v8Heap } = require('../node/v8Heap.ts') as typeof import('../node/v8Heap.ts');
    // V8 reads the flag at each collection, and nothing big is made before this point: setting it
    // here spares the reply the load of node:v8 (a few ms of a start)
    const { limitHeapGrowth } = require('./heapGrowth.ts') as typeof import('./heapGrowth.ts');
    limitHeapGrowth();
    startServer(connection, params ?? { processId: null, rootUri: null, capabilities: {} }, v8Heap());
  });
  connection.listen();
}
