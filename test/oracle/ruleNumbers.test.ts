import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { ruleNumbersIn } from '../../server/src/core/services/ruleNumbers.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * The rule numbers shown beside the rules against the real iptables 1.8.9, in a network
 * namespace of this test's own: a save file loaded with iptables-restore and a script run
 * with sh, then `iptables -L CHAIN --line-numbers` read for each chain. Every number shown is
 * the kernel's number of that rule (its comment), two addresses making two rules.
 */
const { ns, skip } = NamespaceIptables.forTests('rule numbers in a namespace');

const c = (id: string) => `-m comment --comment ${id}`;

/** Per chain of the filter table, the comment of each kernel rule by its number. */
function kernelNumbers(chains: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const chain of chains) {
    const listed = ns.run(['iptables', '-L', chain, '-n', '--line-numbers']).out;
    for (const m of listed.matchAll(/^(\d+)\s.*\/\* (\S+) \*\//gm)) out.set(`${chain}#${m[1]}`, m[2]);
  }
  return out;
}

/** Each number shown, as `CHAIN#n`, with the comment of the rule it is shown beside. */
function shownNumbers(text: string, dialect: 'save' | 'script'): [string, string][] {
  const doc = new FirewallDocument(text, { dialect, fileName: dialect === 'save' ? 'rules.v4' : 'fw.sh' });
  const out: [string, string][] = [];
  for (const n of ruleNumbersIn(doc, 0, text.length)) {
    const line = text.slice(text.lastIndexOf('\n', n.offset) + 1, text.indexOf('\n', n.offset));
    const id = /--comment (\S+)/.exec(line)![1];
    for (let k = n.first; k <= n.last; k++) out.push([`${n.chain}#${k}`, id]);
  }
  return out;
}

test('a save file: each number shown is the kernel\'s after iptables-restore', { skip }, () => {
  const text = ['*filter', ':INPUT ACCEPT [0:0]', ':ssh-in - [0:0]', `-A INPUT -i lo ${c('lo')} -j ACCEPT`, `-A INPUT -s 192.0.2.1,192.0.2.2 ${c('two')} -j ssh-in`, `-A ssh-in -p tcp --dport 22 ${c('ssh')} -j ACCEPT`, `-A INPUT -p icmp ${c('icmp')} -j ACCEPT`, `-A OUTPUT -d 10.0.0.1,10.0.0.2,10.0.0.3 ${c('three')} -j ACCEPT`, 'COMMIT', ''].join('\n');
  const r = ns.restoreWith('nft', text);
  assert.ok(r.ok, r.err);
  const kernel = kernelNumbers(['INPUT', 'OUTPUT', 'ssh-in']);
  const shown = shownNumbers(text, 'save');
  assert.equal(shown.length, kernel.size, 'every kernel rule has its number shown');
  for (const [at, id] of shown) assert.equal(kernel.get(at), id, at);
});

test('a script: each number shown is the kernel\'s once it has run', { skip }, () => {
  const text = [
    'iptables -F',
    'iptables -X',
    `iptables -A INPUT -i lo ${c('lo')} -j ACCEPT`,
    `iptables -A INPUT -p tcp --dport 22 ${c('ssh')} -j ACCEPT`,
    `iptables -I INPUT 2 -s 192.0.2.1,192.0.2.2 ${c('two')} -j ACCEPT`,
    `iptables -A INPUT -p tcp --dport 80 ${c('web')} -j ACCEPT`,
    `iptables -D INPUT -p tcp --dport 22 ${c('ssh')} -j ACCEPT`,
    'iptables -N logdrop',
    `iptables -A logdrop ${c('log')} -j LOG`,
    `iptables -A logdrop ${c('drop')} -j DROP`,
    `iptables -A INPUT ${c('rest')} -j logdrop`,
    '',
  ].join('\n');
  const r = ns.run(['sh', '-e', '-c', text]);
  assert.ok(r.ok, r.err);
  const kernel = kernelNumbers(['INPUT', 'logdrop']);
  const shown = shownNumbers(text, 'script');
  assert.equal(shown.length, kernel.size, 'every kernel rule has its number shown');
  for (const [at, id] of shown) assert.equal(kernel.get(at), id, at);
});
