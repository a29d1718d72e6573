import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFixes } from '../../server/src/core/services/fixAll.ts';
import { requirement } from '../support/paths.ts';
import { fixedInTurn } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * rule-left-after-down against the real wg-quick (wireguard-tools), in a network namespace
 * this test creates, with wireguard-go as the interface (the kernel here has no WireGuard
 * module): a configuration is brought up and down twice, and the rules the finding names are
 * the ones iptables-save then lists, twice each; with the finding's fixes applied, nothing is
 * left. A chain made in PreUp and never deleted makes the second `wg-quick up` fail, as the
 * finding says; so does a command that fails (wg-quick runs its hooks with `set -e`:
 * failure-stops-script), and a PostDown `-D` of a rule no up line adds ends wg-quick down
 * before the PostDown lines after it. The tunnel's address is 10.200.114.1/24; no packet leaves the namespace.
 */
const tools = (): string | false =>
  requirement(['wg-quick', 'wg', 'wireguard-go'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0), 'wg-quick, wg or wireguard-go is not installed (apt-get install wireguard-tools wireguard-go)');
const { ns, skip } = NamespaceIptables.forTests('wg-quick hooks', { also: tools });

/** wg-quick with the userspace WireGuard: the kernel module is not there. */
function wgQuick(action: 'up' | 'down', conf: string): { ok: boolean; err: string } {
  const r = ns.run(['env', 'WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go', 'WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1', 'wg-quick', action, conf]);
  return { ok: r.ok, err: r.err };
}

/** The rule lines iptables-save lists in the namespace (nft backend, the default `iptables`). */
function rulesLeft(): string[] {
  return ns.run(['iptables-save']).out.split('\n').filter((l) => l.startsWith('-A ') || (l.startsWith(':') && !/^:(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) /.test(l)));
}

/** A configuration of interface `name` with these hooks and a fresh key, in a folder of its own: its path and text. */
function writeConf(name: string, hooks: string): { conf: string; text: string } {
  const key = spawnSync('wg', ['genkey'], { encoding: 'utf8' }).stdout.trim();
  const conf = join(mkdtempSync(join(tmpdir(), 'wg-quick-')), `${name}.conf`);
  const text = `[Interface]\nAddress = 10.200.114.1/24\nListenPort = 51820\nPrivateKey = ${key}\n${hooks}\n`;
  writeFileSync(conf, text, { mode: 0o600 });
  return { conf, text };
}

/** What the findings of `code` in a configuration's text stand on. */
function findings(text: string, conf: string, code: string): string[] {
  return new FirewallDocument(text, { fileName: conf }).diagnostics().filter((d) => d.code === code).map((d) => text.slice(d.span.start, d.span.end));
}

/** The namespace's tables emptied, user chains deleted: a host started afresh. */
function freshTables(): void {
  assert.ok(ns.run(['sh', '-c', 'iptables -F && iptables -X && iptables -t nat -F']).ok);
}

/** wg-quick up and down, twice, each succeeding. */
function upAndDownTwice(conf: string, what: string): void {
  for (let i = 0; i < 2; i++) {
    for (const action of ['up', 'down'] as const) {
      const r = wgQuick(action, conf);
      assert.ok(r.ok, `wg-quick ${action}${what}: ${r.err}`);
    }
  }
}

const HOOKS = [
  'PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -A FORWARD -o %i -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  'PostUp = iptables -t nat -I POSTROUTING 1 -s 10.200.114.0/24 -o eth0 -j MASQUERADE',
  'PostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -D FORWARD -i %i -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT || true',
  'PostDown = iptables -t nat -D POSTROUTING -s 10.200.114.0/24 -o eth1 -j MASQUERADE || true',
].join('\n');

test('the rules wg-quick down leaves are those the findings name; with the fixes, none', { skip, timeout: 120_000 }, () => {
  assert.ok(ns.run(['ip', 'link', 'set', 'lo', 'up']).ok);
  const { conf, text } = writeConf('wgt0', HOOKS);
  assert.deepEqual(findings(text, conf, 'rule-left-after-down'), [
    'iptables -A FORWARD -o %i -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    'iptables -t nat -I POSTROUTING 1 -s 10.200.114.0/24 -o eth0 -j MASQUERADE',
  ]);
  upAndDownTwice(conf, '');
  assert.deepEqual(rulesLeft().sort(), [
    '-A FORWARD -o wgt0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A FORWARD -o wgt0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A POSTROUTING -s 10.200.114.0/24 -o eth0 -j MASQUERADE',
    '-A POSTROUTING -s 10.200.114.0/24 -o eth0 -j MASQUERADE',
  ]);

  // each finding's fix, one after the other on the text the last one left
  const fixed = fixedInTurn(text, conf, 'rule-left-after-down');
  writeFileSync(conf, fixed, { mode: 0o600 });
  freshTables();
  upAndDownTwice(conf, ' with the fixes');
  assert.deepEqual(rulesLeft(), [], `left after the fixes:\n${fixed}`);
});

test('a chain PreUp makes and down never deletes: the second wg-quick up fails at its -N', { skip, timeout: 120_000 }, () => {
  const { conf, text } = writeConf('wgt1', 'PreUp = iptables -N WGT1\nPostUp = iptables -A FORWARD -i %i -j WGT1\nPostDown = iptables -D FORWARD -i %i -j WGT1');
  assert.deepEqual(findings(text, conf, 'rule-left-after-down'), ['iptables -N WGT1']);
  assert.ok(wgQuick('up', conf).ok);
  assert.ok(wgQuick('down', conf).ok);
  const again = wgQuick('up', conf);
  assert.equal(again.ok, false, 'the second up fails');
  assert.match(again.err, /Chain already exists/);
  assert.doesNotMatch(ns.run(['ip', 'link', 'show']).out, /wgt1/, 'and takes the interface down again');
});

test('wg-quick runs its hooks with set -e: a clean-up -D before the add fails on a fresh host and stops wg-quick up; its fix (|| true) lets it through', { skip, timeout: 120_000 }, () => {
  const { conf, text } = writeConf('wgt2', 'PostUp = iptables -D FORWARD -i %i -j ACCEPT 2>/dev/null; iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j ACCEPT');
  const found = new FirewallDocument(text, { fileName: conf }).diagnostics().filter((d) => d.code === 'failure-stops-script');
  assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), ['iptables -D FORWARD -i %i -j ACCEPT 2>/dev/null']);
  // a fresh host: what the tests before left is gone
  freshTables();
  const up = wgQuick('up', conf);
  assert.equal(up.ok, false, 'wg-quick up stops at the -D');
  assert.doesNotMatch(ns.run(['ip', 'link', 'show']).out, /wgt2/, 'and takes the interface down again');
  assert.deepEqual(rulesLeft(), []);
  const fixed = applyFixes(text, [found[0].fixes![0]]).text;
  assert.deepEqual(findings(fixed, conf, 'failure-stops-script'), []);
  writeFileSync(conf, fixed, { mode: 0o600 });
  const again = wgQuick('up', conf);
  assert.ok(again.ok, again.err);
  assert.deepEqual(rulesLeft(), ['-A FORWARD -i wgt2 -j ACCEPT']);
  assert.ok(wgQuick('down', conf).ok);
});

test('a PostDown -D of a rule no up line adds fails and ends wg-quick down: the PostDown lines after it do not run', { skip, timeout: 120_000 }, () => {
  const { conf, text } = writeConf('wgt3', 'PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -A FORWARD -o %i -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j DROP\nPostDown = iptables -D FORWARD -o %i -j ACCEPT');
  assert.deepEqual(findings(text, conf, 'rule-left-after-down'), ['iptables -A FORWARD -i %i -j ACCEPT', 'iptables -D FORWARD -i %i -j DROP']);
  freshTables();
  assert.ok(wgQuick('up', conf).ok);
  const down = wgQuick('down', conf);
  assert.equal(down.ok, false, 'wg-quick down fails at the -D');
  assert.match(down.err, /Bad rule/);
  assert.deepEqual(rulesLeft(), ['-A FORWARD -i wgt3 -j ACCEPT', '-A FORWARD -o wgt3 -j ACCEPT'], 'the second PostDown line never ran');
});

test('a fix that accepts a port forward in PostUp also deletes it in PostDown: up and down twice leave no rule', { skip, timeout: 120_000 }, () => {
  freshTables();
  const { conf, text } = writeConf(
    'wgt4',
    [
      'PostUp = iptables -P FORWARD DROP; iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      'PostUp = iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.200.114.2:8080',
      'PostDown = iptables -t nat -D PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.200.114.2:8080',
      'PostDown = iptables -D FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT; iptables -P FORWARD ACCEPT',
    ].join('\n'),
  );
  const settings = { workspaceSearched: true, workspaceForwarding: [{ family: 'ipv4' as const, value: '1', file: '/etc/sysctl.conf' }] };
  const dnat = new FirewallDocument(text, { fileName: conf }).diagnostics({ settings }).find((d) => d.code === 'dnat-without-forward-accept');
  assert.ok(dnat?.fixes?.length, 'the port forward is reported, with a fix');
  const fixed = applyFixes(text, [dnat.fixes[0]]).text;
  assert.deepEqual(new FirewallDocument(fixed, { fileName: conf }).diagnostics({ settings }).map((d) => d.code), []);
  writeFileSync(conf, fixed, { mode: 0o600 });
  upAndDownTwice(conf, ' with the fix');
  assert.deepEqual(rulesLeft(), [], `left after the fix:\n${fixed}`);
});
