import { spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { dist } from './paths.ts';

export interface LspPosition {
  line: number;
  character: number;
}

/** A diagnostic as the server publishes it (the fields the tests read). */
export interface PublishedDiagnostic {
  code: string;
  severity?: number;
  message: string;
  range: { start: LspPosition; end: LspPosition };
}

/** A code action as the server answers it (the fields the tests read). */
export interface CodeActionReply {
  title: string;
  isPreferred?: boolean;
  edit: { changes: Record<string, { range: { start: LspPosition; end: LspPosition }; newText: string }[]> };
}

/** The built language server over stdio, with just enough client to test it. */
export class LspClient {
  readonly conn: MessageConnection;
  private readonly child: ChildProcess;
  /** Settles when the server process has exited. */
  readonly exited: Promise<void>;
  readonly published = new Map<string, { version?: number; diagnostics: PublishedDiagnostic[] }>();
  /** How many times diagnostics were pushed for each uri. */
  readonly publishCount = new Map<string, number>();

  /** `env` is added to this process's environment for the server's; `execArgv` are Node's options for it. */
  constructor(env?: Record<string, string>, execArgv: string[] = []) {
    this.child = spawn(process.execPath, [...execArgv, dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: env && { ...process.env, ...env } });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: never[] }) => {
      this.published.set(p.uri, p);
      this.publishCount.set(p.uri, (this.publishCount.get(p.uri) ?? 0) + 1);
    });
    this.conn.listen();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async start(): Promise<void> {
    await this.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await this.conn.sendNotification('initialized', {});
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** The diagnostics last pushed for `uri`, once there are some (fails after `timeoutMs`). */
  async diagnosticsOf(uri: string, timeoutMs = 10_000): Promise<PublishedDiagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    while (!this.published.has(uri)) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.published.get(uri)!.diagnostics;
  }

  /** The codes and ranges (`code@line:from-to`, sorted) of the diagnostics pushed for `version` of `uri` or a later one. */
  async pushedFor(uri: string, version: number, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.published.get(uri);
      if (p && (p.version === undefined || p.version >= version)) return p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`).sort();
      if (Date.now() > deadline) throw new Error(`no diagnostics for version ${version} of ${uri}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } finally {
      this.conn.dispose();
      this.child.kill();
    }
  }
}

/**
 * One server for the tests of a file: started before them (`ready` initializes it, and may open
 * documents; by default a plain initialize), stopped after them; nothing when they are skipped.
 * Returns the way to reach it from the tests.
 */
export function sharedServer(skip: string | false, ready: (client: LspClient) => Promise<void> = (c) => c.start()): () => LspClient {
  let client: LspClient | undefined;
  before(async () => {
    if (skip) return;
    client = new LspClient();
    await ready(client);
  });
  after(async () => {
    await client?.stop();
  });
  return () => {
    if (!client) throw new Error('the shared server is not started (the tests that use it are skipped)');
    return client;
  };
}

/** Finds the «|» marker: the text without it and the 0-based position where it was. */
export function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('|');
  const before = marked.slice(0, at);
  const line = before.split('\n').length - 1;
  return { text: marked.slice(0, at) + marked.slice(at + 1), position: { line, character: at - (before.lastIndexOf('\n') + 1) } };
}
