import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { LspClient, sharedServer } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * The files on disk a document's findings read, changed while the document is open and they
 * are not: the server asks the client to watch them (a dynamic registration of
 * workspace/didChangeWatchedFiles, as VS Code's client allows) and judges the document again
 * when the client says one changed. Through the built server over stdio.
 */
const skip = needBuild();

interface Watcher {
  globPattern: string | { baseUri: string; pattern: string };
  /** 1 created, 2 changed, 4 deleted, or'ed; all where left out. */
  kind?: number;
}

/** The watchers the server last registered, by registration id; emptied as it unregisters them. */
const registered = new Map<string, Watcher[]>();

const client = sharedServer(skip, async (c: LspClient) => {
  c.conn.onRequest('client/registerCapability', (p: { registrations: { id: string; method: string; registerOptions: { watchers: Watcher[] } }[] }) => {
    for (const r of p.registrations) if (r.method === 'workspace/didChangeWatchedFiles') registered.set(r.id, r.registerOptions.watchers);
    return null;
  });
  c.conn.onRequest('client/unregisterCapability', (p: { unregisterations: { id: string }[] }) => {
    const before = folderWatched();
    for (const r of p.unregisterations) registered.delete(r.id);
    if (before && !folderWatched()) folderWatchDropped.push(before);
    return null;
  });
  await c.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } } });
  await c.conn.sendNotification('initialized', {});
});

/** The folder some watcher in force reports the files made and deleted under, if any. */
function folderWatched(): string | undefined {
  for (const ws of registered.values()) for (const w of ws) if (typeof w.globPattern === 'object' && w.globPattern.pattern === '**/*' && w.kind === 5) return w.globPattern.baseUri;
  return undefined;
}

/** The folders whose watch was undone while no other watched them. */
const folderWatchDropped: string[] = [];

/** Whether the watchers in force cover `file` (a relative pattern on its folder naming it, or `*.conf`). */
function watched(dir: string, pattern: string): boolean {
  const base = pathToFileURL(dir).href;
  return [...registered.values()].some((ws) => ws.some((w) => typeof w.globPattern === 'object' && w.globPattern.baseUri === base && w.globPattern.pattern === pattern));
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The codes among `of` published for `uri` after the client says `file` changed on disk (`type`: 1 created, 2 changed, 3 deleted). */
async function codesAfterChange(uri: string, file: string, type: 1 | 2 | 3, of: string[]): Promise<string[]> {
  client().published.delete(uri);
  await client().conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type }] });
  return (await client().diagnosticsOf(uri)).map((d) => d.code).filter((c) => of.includes(c)).sort();
}

const MASQ = ['masquerade-without-forward-accept'];
const AROUND = ['ipv6-left-open', 'missing-ip-forward'];

const SCRIPT = '#!/bin/sh\n. ./firewall.conf\nsysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -s 10.0.0.0/8 -j ACCEPT\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n';

test('a script\'s configuration and the lint configuration above it, changed on disk: watched, and the script judged again', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-watch-'));
  writeFileSync(join(dir, 'firewall.sh'), SCRIPT);
  writeFileSync(join(dir, 'firewall.conf'), 'WAN=eth0\nLAN_NET=192.168.1.0/24\n');
  const uri = pathToFileURL(join(dir, 'firewall.sh')).href;
  await client().open(uri, 'shellscript', SCRIPT);
  assert.deepEqual((await client().diagnosticsOf(uri)).map((d) => d.code).filter((c) => MASQ.includes(c)), MASQ);
  await until('a watcher on firewall.conf and on .iptables-lint.json beside the script', () => watched(dir, 'firewall.conf') && watched(dir, '.iptables-lint.json'));

  // the network moved into the one FORWARD accepts, saved by another program
  writeFileSync(join(dir, 'firewall.conf'), 'WAN=eth0\nLAN_NET=10.1.0.0/16\n');
  assert.deepEqual(await codesAfterChange(uri, join(dir, 'firewall.conf'), 2, MASQ), []);
  // and back; then the check turned off by a lint configuration made beside it
  writeFileSync(join(dir, 'firewall.conf'), 'WAN=eth0\nLAN_NET=192.168.1.0/24\n');
  assert.deepEqual(await codesAfterChange(uri, join(dir, 'firewall.conf'), 2, MASQ), ['masquerade-without-forward-accept']);
  writeFileSync(join(dir, '.iptables-lint.json'), '{"rules": {"masquerade-without-forward-accept": "off"}}\n');
  assert.deepEqual(await codesAfterChange(uri, join(dir, '.iptables-lint.json'), 1, MASQ), []);
  rmSync(join(dir, '.iptables-lint.json'));
  assert.deepEqual(await codesAfterChange(uri, join(dir, '.iptables-lint.json'), 3, MASQ), ['masquerade-without-forward-accept']);

  // a file the script does not read: not judged again
  const count = client().publishCount.get(uri);
  writeFileSync(join(dir, 'notes.txt'), 'x');
  await client().conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'notes.txt')).href, type: 1 }] });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(client().publishCount.get(uri), count);

  // closed: its watchers go
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await until('the watchers of the closed script gone', () => !watched(dir, 'firewall.conf'));
});

test('a rules file\'s other half and the sysctl files around it, changed on disk: the rules file judged again', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-watch-'));
  mkdirSync(join(dir, 'sysctl.d'));
  writeFileSync(join(dir, 'rules.v6'), '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
  const v4 = pathToFileURL(join(dir, 'rules.v4')).href;
  const text = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -d 192.168.1.10 -p tcp --dport 80 -j ACCEPT\nCOMMIT\n';
  writeFileSync(join(dir, 'rules.v4'), text);
  await client().open(v4, 'iptables-save', text);
  assert.deepEqual((await client().diagnosticsOf(v4)).map((d) => d.code).sort(), AROUND);
  await until('watchers on rules.v6 and sysctl.d/*.conf', () => watched(dir, 'rules.v6') && watched(join(dir, 'sysctl.d'), '*.conf'));

  writeFileSync(join(dir, 'rules.v6'), '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\nCOMMIT\n');
  assert.deepEqual(await codesAfterChange(v4, join(dir, 'rules.v6'), 2, AROUND), ['missing-ip-forward']);
  writeFileSync(join(dir, 'sysctl.d', '99-forward.conf'), 'net.ipv4.ip_forward = 1\n');
  assert.deepEqual(await codesAfterChange(v4, join(dir, 'sysctl.d', '99-forward.conf'), 1, AROUND), []);
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri: v4 } });
});

test('the folders of the workspace check are watched for files made later: a new iptables file, or one in a new folder, is judged', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-watch-'));
  writeFileSync(join(dir, 'rules.v4'), '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
  const typo = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n';
  await client().request('iptables/checkWorkspace', { folders: [pathToFileURL(dir).href] });
  const base = pathToFileURL(dir).href;
  await until('a watcher of the files made under the folder', () => folderWatched() === base);

  // a document opened and closed changes the places watched; the folder's watch stays in force
  // throughout (were it undone and made again, a file made in between would be missed)
  const script = pathToFileURL(join(dir, 'firewall.sh')).href;
  writeFileSync(join(dir, 'firewall.conf'), 'WAN=eth0\nLAN_NET=192.168.1.0/24\n');
  await client().open(script, 'shellscript', SCRIPT);
  await until('a watcher on the script\'s configuration', () => watched(dir, 'firewall.conf'));
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri: script } });
  await until('the script\'s watchers gone', () => !watched(dir, 'firewall.conf'));
  assert.deepEqual(folderWatchDropped, []);
  assert.equal(folderWatched(), base);

  // a file made by another program
  const made = join(dir, 'office.rules');
  writeFileSync(made, typo);
  await client().conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(made).href, type: 1 }] });
  assert.deepEqual((await client().diagnosticsOf(pathToFileURL(made).href)).map((d) => `${d.code}@${d.range.start.line}`), ['unknown-option@2']);
  // then watched as a file of the check: mended, judged again
  writeFileSync(made, typo.replace('dprt', 'dport'));
  assert.deepEqual(await codesAfterChange(pathToFileURL(made).href, made, 2, ['unknown-option']), []);

  // a folder made with files in it (a checkout), reported as the folder alone; a hidden folder and a file that holds no rules are passed over
  mkdirSync(join(dir, 'site', 'etc'), { recursive: true });
  writeFileSync(join(dir, 'site', 'etc', 'fw.rules'), typo);
  writeFileSync(join(dir, 'site', 'notes.txt'), 'iptables is mentioned here\n');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'old.rules'), typo);
  await client().conn.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [
      { uri: pathToFileURL(join(dir, 'site')).href, type: 1 },
      { uri: pathToFileURL(join(dir, '.git', 'old.rules')).href, type: 1 },
    ],
  });
  assert.deepEqual((await client().diagnosticsOf(pathToFileURL(join(dir, 'site', 'etc', 'fw.rules')).href)).map((d) => d.code), ['unknown-option']);
  await new Promise((r) => setTimeout(r, 300));
  for (const other of [join(dir, 'site', 'notes.txt'), join(dir, '.git', 'old.rules')]) assert.equal(client().published.get(pathToFileURL(other).href), undefined, other);

  // the folder deleted, reported alone: the findings of the files in it cleared
  rmSync(join(dir, 'site'), { recursive: true });
  const inside = pathToFileURL(join(dir, 'site', 'etc', 'fw.rules')).href;
  client().published.delete(inside);
  await client().conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'site')).href, type: 3 }] });
  assert.deepEqual(await client().diagnosticsOf(inside), []);
});

test('a client without relative patterns is given absolute globs; one that cannot register watchers is asked nothing', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-watch-'));
  writeFileSync(join(dir, 'firewall.conf'), 'WAN=eth0\nLAN_NET=192.168.1.0/24\n');
  const uri = pathToFileURL(join(dir, 'firewall.sh')).href;
  for (const dynamicRegistration of [true, false]) {
    const c = new LspClient();
    const globs: unknown[] = [];
    c.conn.onRequest('client/registerCapability', (p: { registrations: { registerOptions: { watchers: Watcher[] } }[] }) => {
      for (const r of p.registrations) globs.push(...r.registerOptions.watchers.map((w) => w.globPattern));
      return null;
    });
    try {
      await c.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration } } } });
      await c.conn.sendNotification('initialized', {});
      await c.open(uri, 'shellscript', SCRIPT);
      await c.diagnosticsOf(uri);
      await new Promise((r) => setTimeout(r, 500));
      if (dynamicRegistration) {
        assert.ok(globs.includes(`${dir}/firewall.conf`), `an absolute glob for the configuration among ${JSON.stringify(globs)}`);
        assert.ok(globs.every((g) => typeof g === 'string'));
      } else assert.deepEqual(globs, []);
    } finally {
      await c.stop();
    }
  }
});
