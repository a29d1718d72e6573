import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFixes } from '../../server/src/core/services/fixAll.ts';
import { requirement } from '../support/paths.ts';
import { fixedInTurn } from '../support/ruleTester.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * ifupdown configurations (`/etc/network/interfaces`) against the real ifup and ifdown
 * (Debian's ifupdown), in a network namespace this test creates, with a configuration and a
 * state folder of the test's own: each interface is a veth pair its pre-up line makes and its
 * post-down line removes. An interface brought up and down twice leaves the rules
 * rule-left-after-down names, twice each; with the finding's fixes, nothing. `$IFACE` is the
 * stanza's interface, and each interface is taken down on its own (its inet and inet6
 * stanzas together). Addresses 10.200.133.0/24; no packet leaves the namespace.
 */
const tools = (): string | false => requirement(spawnSync('sh', ['-c', 'command -v ifup && command -v ifdown']).status === 0, 'ifup or ifdown is not installed (apt-get install ifupdown)');
const { ns, skip } = NamespaceIptables.forTests('ifupdown hooks', { also: tools });

/** A configuration with this text in a folder of its own, named as ifupdown's: its path and state folder. */
function writeInterfaces(text: string): { file: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ifupdown-'));
  const state = join(dir, 'state');
  mkdirSync(state);
  const file = join(dir, 'interfaces');
  writeFileSync(file, text);
  return { file, state };
}

function ifupdown(action: 'ifup' | 'ifdown', at: { file: string; state: string }, iface: string): { ok: boolean; err: string } {
  const r = ns.run([action, '-i', at.file, `--state-dir=${at.state}`, iface]);
  return { ok: r.ok, err: r.err };
}

/** The rule lines iptables-save lists in the namespace. */
function rulesLeft(): string[] {
  return ns.run(['iptables-save']).out.split('\n').filter((l) => l.startsWith('-A '));
}

function freshTables(): void {
  assert.ok(ns.run(['sh', '-c', 'for t in filter nat raw; do iptables -t $t -F && iptables -t $t -X; done']).ok);
}

/** What the findings of `code` in a configuration's text stand on. */
function findings(text: string, file: string, code: string): string[] {
  return new FirewallDocument(text, { fileName: file }).diagnostics().filter((d) => d.code === code).map((d) => text.slice(d.span.start, d.span.end));
}

function upAndDownTwice(at: { file: string; state: string }, iface: string, what: string): void {
  for (let i = 0; i < 2; i++) {
    for (const action of ['ifup', 'ifdown'] as const) {
      const r = ifupdown(action, at, iface);
      assert.ok(r.ok, `${action} ${iface}${what}: ${r.err}`);
    }
  }
}

/** An `iface` stanza of a veth interface (`name`, its peer `name`p), with these option lines. */
function stanza(name: string, address: string, lines: string[]): string {
  return [
    `auto ${name}`,
    `iface ${name} inet static`,
    `        address ${address}`,
    `        pre-up ip link add ${name} type veth peer name ${name}p`,
    ...lines.map((l) => `        ${l}`),
    `        post-down ip link del ${name}`,
    '',
  ].join('\n');
}

test('the rules ifdown leaves are those the findings name; with the fixes, none', { skip, timeout: 120_000 }, () => {
  freshTables();
  const text = stanza('ifu0', '10.200.133.1/24', [
    "post-up   iptables -t nat -A POSTROUTING -s '10.200.133.0/24' -o eth0 -j MASQUERADE",
    "post-down iptables -t nat -D POSTROUTING -s '10.200.133.0/24' -o eth0 -j MASQUERADE",
    'post-up   iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 2222 -j DNAT --to 10.200.133.100:22',
    'up        iptables -A FORWARD -i $IFACE -j ACCEPT',
    'post-up   iptables -t raw -I PREROUTING -i fwbr+ -j CT --zone 1 \\',
    '              -m comment --comment "continued on a second line"',
    'pre-down  iptables -t raw -D PREROUTING -i fwbr+ -j CT --zone 1 -m comment --comment "continued on a second line"',
  ]);
  const at = writeInterfaces(text);
  assert.deepEqual(findings(text, at.file, 'rule-left-after-down'), [
    'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 2222 -j DNAT --to 10.200.133.100:22',
    'iptables -A FORWARD -i $IFACE -j ACCEPT',
  ]);
  upAndDownTwice(at, 'ifu0', '');
  assert.deepEqual(rulesLeft().sort(), [
    '-A FORWARD -i ifu0 -j ACCEPT',
    '-A FORWARD -i ifu0 -j ACCEPT',
    '-A PREROUTING -i eth0 -p tcp -m tcp --dport 2222 -j DNAT --to-destination 10.200.133.100:22',
    '-A PREROUTING -i eth0 -p tcp -m tcp --dport 2222 -j DNAT --to-destination 10.200.133.100:22',
  ]);

  // each finding's fix, one after the other on the text the last one left
  const fixed = fixedInTurn(text, at.file, 'rule-left-after-down');
  assert.match(fixed, /\n {8}post-down iptables -D FORWARD -i \$IFACE -j ACCEPT\n/, 'written as the stanza writes its lines');
  writeFileSync(at.file, fixed);
  freshTables();
  upAndDownTwice(at, 'ifu0', ' with the fixes');
  assert.deepEqual(rulesLeft(), [], `left after the fixes:\n${fixed}`);
});

test('each interface is taken down on its own: a rule one stanza adds and another deletes stays after ifdown of the first', { skip, timeout: 120_000 }, () => {
  freshTables();
  const text = [
    stanza('ifu1', '10.200.133.65/26', ['post-up iptables -A FORWARD -i ifu1 -o ifu2 -j ACCEPT']),
    stanza('ifu2', '10.200.133.129/26', ['post-up iptables -A INPUT -i $IFACE -p udp --dport 67 -j ACCEPT', 'post-down iptables -D FORWARD -i ifu1 -o ifu2 -j ACCEPT', 'post-down iptables -D INPUT -i ifu2 -p udp --dport 67 -j ACCEPT']),
  ].join('\n');
  const at = writeInterfaces(text);
  // the INPUT rule is deleted by its own stanza, `$IFACE` read as ifu2
  assert.deepEqual(findings(text, at.file, 'rule-left-after-down'), ['iptables -A FORWARD -i ifu1 -o ifu2 -j ACCEPT']);
  upAndDownTwice(at, 'ifu1', '');
  assert.deepEqual(rulesLeft(), ['-A FORWARD -i ifu1 -o ifu2 -j ACCEPT', '-A FORWARD -i ifu1 -o ifu2 -j ACCEPT']);
  freshTables();
  upAndDownTwice(at, 'ifu2', '');
  assert.deepEqual(rulesLeft(), [], 'ifu2 deletes its own INPUT rule');
});

test('the stanzas of one interface (inet and inet6) come up and go down together: a rule deleted in the other one is not left', { skip, timeout: 120_000 }, () => {
  freshTables();
  const text = `${stanza('ifu5', '10.200.133.9/29', ['post-up iptables -A FORWARD -i ifu5 -j ACCEPT'])}iface ifu5 inet6 manual\n        post-down iptables -D FORWARD -i ifu5 -j ACCEPT\n`;
  const at = writeInterfaces(text);
  assert.deepEqual(findings(text, at.file, 'rule-left-after-down'), []);
  upAndDownTwice(at, 'ifu5', '');
  assert.deepEqual(rulesLeft(), []);
});

test('a chain a pre-up line makes and no down line deletes: the second ifup fails at its -N and leaves the interface unconfigured, as the finding says', { skip, timeout: 120_000 }, () => {
  freshTables();
  const text = stanza('ifu6', '10.200.133.17/29', ['pre-up iptables -N IFU6', 'post-up iptables -A FORWARD -i ifu6 -j IFU6', 'post-down iptables -D FORWARD -i ifu6 -j IFU6']);
  const at = writeInterfaces(text);
  assert.deepEqual(findings(text, at.file, 'rule-left-after-down'), ['iptables -N IFU6']);
  assert.ok(ifupdown('ifup', at, 'ifu6').ok);
  assert.ok(ifupdown('ifdown', at, 'ifu6').ok);
  const again = ifupdown('ifup', at, 'ifu6');
  assert.equal(again.ok, false, 'the second ifup fails');
  assert.match(again.err, /Chain already exists/);
  assert.match(ifupdown('ifdown', at, 'ifu6').err, /not configured/);
  assert.ok(ns.run(['ip', 'link', 'del', 'ifu6']).ok, 'the interface its pre-up line made is still there');
});

test('a clean-up line that fails on a fresh host ends ifup there (failure-stops-script), one in the middle of a line does not; with the fix (|| true) ifup goes on', { skip, timeout: 120_000 }, () => {
  freshTables();
  const lines = [
    'post-up iptables -t nat -D POSTROUTING -s 10.200.133.24/29 -o eth0 -j MASQUERADE 2>/dev/null',
    'post-up iptables -t nat -A POSTROUTING -s 10.200.133.24/29 -o eth0 -j MASQUERADE',
    'post-down iptables -t nat -D POSTROUTING -s 10.200.133.24/29 -o eth0 -j MASQUERADE',
  ];
  const text = stanza('ifu7', '10.200.133.25/29', lines);
  const at = writeInterfaces(text);
  const found = new FirewallDocument(text, { fileName: at.file }).diagnostics().filter((d) => d.code === 'failure-stops-script');
  assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), [lines[0].slice('post-up '.length)]);
  assert.equal(ifupdown('ifup', at, 'ifu7').ok, false, 'ifup stops at the -D');
  assert.deepEqual(rulesLeft(), [], 'the MASQUERADE line did not run');
  assert.match(ifupdown('ifdown', at, 'ifu7').err, /not configured/);
  assert.ok(ns.run(['ip', 'link', 'del', 'ifu7']).ok);

  const fixed = applyFixes(text, [found[0].fixes![0]]).text;
  writeFileSync(at.file, fixed);
  assert.deepEqual(findings(fixed, at.file, 'failure-stops-script'), []);
  upAndDownTwice(at, 'ifu7', ' with the fix');
  // the same clean-up before the add on one line: the line's status is the add's
  const oneLine = stanza('ifu7', '10.200.133.25/29', [`${lines[0]}; ${lines[1].slice('post-up '.length)}`, lines[2]]);
  writeFileSync(at.file, oneLine);
  assert.deepEqual(findings(oneLine, at.file, 'failure-stops-script'), []);
  assert.ok(ifupdown('ifup', at, 'ifu7').ok);
  assert.deepEqual(rulesLeft(), ['-A POSTROUTING -s 10.200.133.24/29 -o eth0 -j MASQUERADE']);
  assert.ok(ifupdown('ifdown', at, 'ifu7').ok);
});

test('as the hover says: an up line that fails ends ifup and leaves the interface unconfigured, so ifdown runs none of its down lines; ifdown goes on after a down line that fails', { skip, timeout: 120_000 }, () => {
  freshTables();
  const failing = writeInterfaces(stanza('ifu3', '10.200.133.193/27', ['post-up iptables -A INPUT -i ifu3 -j ACCEPT', 'post-up false', 'post-down iptables -D INPUT -i ifu3 -j ACCEPT']));
  assert.equal(ifupdown('ifup', failing, 'ifu3').ok, false);
  const down = ifupdown('ifdown', failing, 'ifu3');
  assert.match(down.err, /not configured/);
  assert.deepEqual(rulesLeft(), ['-A INPUT -i ifu3 -j ACCEPT'], 'the down lines did not run');
  assert.ok(ns.run(['ip', 'link', 'del', 'ifu3']).ok, 'nor did the one removing the interface');
  freshTables();
  const going = writeInterfaces(stanza('ifu4', '10.200.133.225/27', ['post-up iptables -A INPUT -i ifu4 -j ACCEPT', 'post-down iptables -D INPUT -i ifu4 -j DROP', 'post-down iptables -D INPUT -i ifu4 -j ACCEPT']));
  assert.ok(ifupdown('ifup', going, 'ifu4').ok);
  assert.ok(ifupdown('ifdown', going, 'ifu4').ok);
  assert.deepEqual(rulesLeft(), [], 'the line after the failing -D ran');
});
