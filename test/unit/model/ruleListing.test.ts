import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { applyFix } from '../../support/ruleTester.ts';

/** What `iptables -S` prints (iptables 1.8.9 in a namespace), read as the tables it lists. */
const tablesOf = (text: string, fileName?: string) => {
  const doc = new FirewallDocument(text, { fileName });
  return doc.ruleSet.commands.map((c) => `${c.table} ${text.slice(c.span.start, c.span.end).split(' ').slice(0, 2).join(' ')}`);
};

test('a listing of several tables: each run of -P lines starts a table, named by its built-in chains', () => {
  const text = [
    '-P INPUT DROP',
    '-P FORWARD DROP',
    '-P OUTPUT ACCEPT',
    '-N LOGDROP',
    '-A INPUT -j LOGDROP',
    '-A LOGDROP -j DROP',
    '-P PREROUTING ACCEPT',
    '-P INPUT ACCEPT',
    '-P OUTPUT ACCEPT',
    '-P POSTROUTING ACCEPT',
    '-A POSTROUTING -o eth0 -j MASQUERADE',
    '-P PREROUTING ACCEPT',
    '-P INPUT ACCEPT',
    '-P FORWARD ACCEPT',
    '-P OUTPUT ACCEPT',
    '-P POSTROUTING ACCEPT',
    '-P PREROUTING ACCEPT',
    '-P OUTPUT ACCEPT',
    '-A PREROUTING -p udp --dport 53 -j CT --notrack',
    '',
  ].join('\n');
  assert.deepEqual(tablesOf(text), [
    'filter -P INPUT', 'filter -P FORWARD', 'filter -P OUTPUT', 'filter -N LOGDROP', 'filter -A INPUT', 'filter -A LOGDROP',
    'nat -P PREROUTING', 'nat -P INPUT', 'nat -P OUTPUT', 'nat -P POSTROUTING', 'nat -A POSTROUTING',
    'mangle -P PREROUTING', 'mangle -P INPUT', 'mangle -P FORWARD', 'mangle -P OUTPUT', 'mangle -P POSTROUTING',
    'raw -P PREROUTING', 'raw -P OUTPUT', 'raw -A PREROUTING',
  ]);
  const doc = new FirewallDocument(text);
  assert.equal(doc.ruleSet.listing, 'tables');
  assert.deepEqual(doc.ruleSet.issues, []);
  assert.deepEqual([...doc.ruleSet.tables.keys()], ['ipv4:filter', 'ipv4:nat', 'ipv4:mangle', 'ipv4:raw']);
  assert.equal(doc.ruleSet.tables.get('ipv4:filter')!.chains.get('INPUT')!.policy, 'DROP');
  // the table at a place of the text: completion and hover ask it
  assert.equal(doc.tableAt(text.indexOf('-A POSTROUTING')), 'nat');
  assert.equal(doc.tableAt(text.indexOf('-j CT')), 'raw');
});

test('a listing of one chain (iptables -S CHAIN): the table from its chain and its targets', () => {
  assert.deepEqual(tablesOf('-P POSTROUTING ACCEPT\n-A POSTROUTING -o eth0 -j MASQUERADE\n'), ['nat -P POSTROUTING', 'nat -A POSTROUTING']);
  assert.deepEqual(tablesOf('-N web\n-A web -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2\n'), ['nat -N web', 'nat -A web']);
  assert.deepEqual(tablesOf('-P PREROUTING ACCEPT\n-A PREROUTING -j TOS --set-tos 0x10\n'), ['mangle -P PREROUTING', 'mangle -A PREROUTING']);
  assert.deepEqual(tablesOf('-N DOCKER-FORWARD\n-A DOCKER-FORWARD -j DOCKER-CT\n'), ['filter -N DOCKER-FORWARD', 'filter -A DOCKER-FORWARD']);
  assert.equal(new FirewallDocument('-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n').ruleSet.listing, 'chains');
});

test('not a listing: a file iptables-restore loads at boot, a here-document, a file with a table line', () => {
  const rules = '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\n';
  const codes = (doc: FirewallDocument) => doc.diagnostics().map((d) => `${d.code}@${d.span.start}`);
  // rules.v4 is handed to iptables-restore by netfilter-persistent: every rule is outside a table there
  assert.deepEqual(codes(new FirewallDocument(rules, { fileName: '/etc/iptables/rules.v4' })), ['syntax-error@0', 'syntax-error@37']);
  assert.equal(new FirewallDocument(rules, { fileName: '/etc/iptables/rules.v4' }).ruleSet.listing, undefined);
  // the input of iptables-restore in a script
  const script = `iptables-restore <<EOF\n${rules}EOF\n`;
  assert.deepEqual(new FirewallDocument(script, { dialect: 'script' }).diagnostics().map((d) => d.code).filter((c) => c === 'syntax-error'), ['syntax-error', 'syntax-error']);
  // a save file with a COMMIT but no table line is a broken save file, not a listing
  assert.ok(codes(new FirewallDocument(`${rules}COMMIT\n`)).includes('syntax-error@0'));
  // as a listing: INPUT drops what it does not accept, loopback and replies included
  assert.deepEqual(codes(new FirewallDocument(rules, { fileName: 'iptables-S.txt' })), ['missing-established-rule@37', 'missing-loopback-accept@37']);
});

test('undefined-chain in a listing: the fix creates the chain the way iptables -S writes it', () => {
  const text = '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A INPUT -s 10.0.0.0/8 -j logdrop\n';
  const [d] = new FirewallDocument(text).diagnostics().filter((x) => x.code === 'undefined-chain');
  assert.equal(text.slice(d.span.start, d.span.end), 'logdrop');
  assert.equal(applyFix(text, d.fixes![0]), '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N logdrop\n-A INPUT -s 10.0.0.0/8 -j logdrop\n');
});

test('an edit of a listing reads its tables again: a target typed into its only rule may change the table', () => {
  const text = '# listed on the router\n-A PREROUTING -p tcp --dport 80 -j ACCEPT\n';
  const doc = new FirewallDocument(text);
  // PREROUTING is not filter's: nat has it
  assert.deepEqual(doc.ruleSet.commands.map((c) => c.table), ['nat']);
  const at = text.indexOf('ACCEPT');
  const change = { start: at, end: at + 'ACCEPT'.length, text: 'TOS --set-tos 0x10' };
  doc.update(text.slice(0, change.start) + change.text + text.slice(change.end), [change]);
  assert.deepEqual(doc.ruleSet.commands.map((c) => c.table), ['mangle']);
  assert.deepEqual(doc.diagnostics().map((d) => d.code), []);
});
