import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { readSourced, sourcedCandidates, sourcedTextsFor } from '../../../server/src/node/sourcedFiles.ts';

/** A router script that reads its interfaces from a configuration, and masquerades the LAN out of the WAN with FORWARD closed to it. */
const SCRIPT = (source: string) => `#!/bin/sh\n${source}\nsysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n`;
const CONF = 'WAN=eth0\nLAN_NET=192.168.1.0/24\n';

const codes = (doc: FirewallDocument) => doc.diagnostics().map((d) => d.code);

test('where a script finds what it reads with `.`: beside it for a relative path; under a folder above it, beside it by name, then as written for an absolute one', () => {
  assert.deepEqual(sourcedCandidates('/repo/router/fw.sh', 'fw.conf'), ['/repo/router/fw.conf']);
  assert.deepEqual(sourcedCandidates('/repo/router/fw.sh', './conf/fw.conf'), ['/repo/router/conf/fw.conf']);
  assert.deepEqual(sourcedCandidates('/repo/router/fw.sh', '/etc/fw.conf'), ['/repo/router/etc/fw.conf', '/repo/etc/fw.conf', '/repo/router/fw.conf', '/etc/fw.conf']);
  // the script where it runs: the file itself, once
  assert.deepEqual(sourcedCandidates('/etc/fw.sh', '/etc/fw.conf'), ['/etc/etc/fw.conf', '/etc/fw.conf']);
});

test('a router script is judged with the configuration it reads: beside it, in a mirror of the host\'s /etc, or open in the editor', () => {
  const repo = mkdtempSync(join(tmpdir(), 'iptables-lint-sourced-'));
  const script = join(repo, 'router', 'firewall.sh');
  mkdirSync(join(repo, 'router'));
  const text = SCRIPT('. /etc/firewall.conf');
  writeFileSync(script, text);
  // not found: the NAT rule's network is unknown, nothing is said about it
  const alone = new FirewallDocument(text, { fileName: script });
  assert.ok(readSourced(alone, script).includes('/etc/firewall.conf'));
  assert.deepEqual(codes(alone), []);
  // beside the script by its name
  writeFileSync(join(repo, 'router', 'firewall.conf'), CONF);
  const beside = new FirewallDocument(text, { fileName: script });
  readSourced(beside, script);
  assert.deepEqual(beside.ruleSet.sources!.map((u) => [u.file, u.plain]), [[join(repo, 'router', 'firewall.conf'), true]]);
  assert.deepEqual(codes(beside), ['masquerade-without-forward-accept']);
  // the mirror of /etc above the script comes first
  mkdirSync(join(repo, 'etc'));
  writeFileSync(join(repo, 'etc', 'firewall.conf'), 'WAN=eth9\nLAN_NET=10.9.0.0/16\n');
  const mirrored = new FirewallDocument(text, { fileName: script });
  readSourced(mirrored, script);
  assert.equal(mirrored.ruleSet.commands.at(-1)!.rule!.outInterface!.value, 'eth9');
  // the editor's text of the file, saved or not
  const open = (path: string) => (path === join(repo, 'etc', 'firewall.conf') ? new FirewallDocument('WAN=ppp0\nLAN_NET=10.1.0.0/16\n', { fileName: path }) : undefined);
  readSourced(mirrored, script, open);
  assert.equal(mirrored.ruleSet.commands.at(-1)!.rule!.outInterface!.value, 'ppp0');
  // the same document judged again after an edit of the file on disk
  writeFileSync(join(repo, 'etc', 'firewall.conf'), 'WAN=eth8\nLAN_NET=10.8.0.0/16\n');
  readSourced(mirrored, script);
  assert.equal(mirrored.ruleSet.commands.at(-1)!.rule!.outInterface!.value, 'eth8');
});

test('a path named by a variable a first configuration sets is found in a second round; the file is not read into itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-sourced-'));
  const script = join(dir, 'fw.sh');
  writeFileSync(join(dir, 'paths.conf'), `CONF_DIR=${dir}/conf.d\n`);
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'conf.d', 'net.conf'), CONF);
  const text = SCRIPT('. ./paths.conf\n. $CONF_DIR/net.conf');
  writeFileSync(script, text);
  assert.deepEqual(sourcedTextsFor(text, script) && [...sourcedTextsFor(text, script)!.values()].map((t) => t.file), [join(dir, 'paths.conf'), join(dir, 'conf.d', 'net.conf')]);
  const doc = new FirewallDocument(text, { fileName: script });
  readSourced(doc, script);
  assert.deepEqual(codes(doc), ['masquerade-without-forward-accept']);
  // `. "$0"`-like: the script naming itself is not read
  const self = SCRIPT(`. ${script}`);
  assert.equal(sourcedTextsFor(self, script), undefined);
  // a save file reads nothing
  assert.equal(sourcedTextsFor('*filter\nCOMMIT\n', join(dir, 'rules.v4')), undefined);
});

test('in a repository only its own files are read: not a path outside it, through `..` or a link (a pull request\'s script linted in CI)', () => {
  const outside = mkdtempSync(join(tmpdir(), 'iptables-lint-secret-'));
  writeFileSync(join(outside, 'token.conf'), 'WAN=secret-value\nLAN_NET=10.66.0.0/16\n');
  const repo = mkdtempSync(join(tmpdir(), 'iptables-lint-repo-'));
  mkdirSync(join(repo, '.git'));
  mkdirSync(join(repo, 'fw'));
  const script = join(repo, 'fw', 'gateway.sh');
  symlinkSync(join(outside, 'token.conf'), join(repo, 'fw', 'linked.conf'));
  for (const source of [`. ${join(outside, 'token.conf')}`, `. ../../${basename(outside)}/token.conf`, '. ./linked.conf']) {
    const text = SCRIPT(source);
    assert.equal(sourcedTextsFor(text, script), undefined, source);
  }
  // the repository's own, and its mirror of /etc, are read
  mkdirSync(join(repo, 'etc'));
  writeFileSync(join(repo, 'etc', 'gateway.conf'), CONF);
  assert.deepEqual([...sourcedTextsFor(SCRIPT('. /etc/gateway.conf'), script)!.values()].map((t) => t.file), [join(repo, 'etc', 'gateway.conf')]);
  assert.ok(sourcedCandidates(script, '/etc/gateway.conf').every((f) => f.startsWith(repo)));
});
