import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * What the kernel keeps by name, met for real in a namespace of this test's own: hashlimit
 * tables and rate estimators. A hashlimit rule on a table another rule made runs with that
 * rule's settings (datagrams sent over the namespace's loopback count it), and restore files
 * that name an estimator before the RATEEST that makes it, or make one twice with other
 * timing, are refused at the line the error is reported on.
 */
const { ns, skip } = NamespaceIptables.forTests('hashlimit tables and rate estimators in a namespace', {
  also: () => requirement(spawnSync('sh', ['-c', 'command -v socat']).status === 0, 'socat is not installed (apt-get install socat)'),
});

const codes = (text: string, dialect: 'save' | 'script') => lintText(text, { dialect, fileName: dialect === 'save' ? 'rules.v4' : undefined }).diagnostics;

/** Sends 20 datagrams to 127.0.0.1:9 and reads how many packets each OUTPUT rule counted. */
function countsAfterSending(): number[] {
  ns.run(['sh', '-c', 'ip link set lo up; for i in $(seq 20); do echo x | socat -u - UDP-SENDTO:127.0.0.1:9; done']);
  return ns.run(['iptables', '-L', 'OUTPUT', '-v', '-n', '-x']).out.split('\n').slice(2).filter((l) => l.trim()).map((l) => Number(l.trim().split(/\s+/)[0]));
}

test('a hashlimit rule on a table an earlier rule made runs with that rule\'s rate: the warning says so, and the fix gives it its own', { skip }, () => {
  const script = [
    'iptables -A OUTPUT -o nosuch -m hashlimit --hashlimit-name h --hashlimit-upto 1/min --hashlimit-burst 1 -j ACCEPT',
    'iptables -A OUTPUT -p udp --dport 9 -m hashlimit --hashlimit-name h --hashlimit-upto 1000/s --hashlimit-burst 1000 -j ACCEPT',
    'iptables -A OUTPUT -p udp --dport 9',
  ].join('\n');
  const found = codes(script, 'script').filter((d) => d.code === 'hashlimit-settings-ignored');
  assert.equal(found.length, 1);
  assert.equal(script.slice(0, found[0].span.start).split('\n').length, 2);
  for (const [text, expected] of [
    [script, [0, 1, 19]],
    // the fix's table of its own: every datagram is within 1000/s
    [script.replace(/(--hashlimit-name) h( --hashlimit-upto 1000)/, '$1 h-2$2'), [0, 20, 0]],
  ] as const) {
    ns.run(['sh', '-c', 'iptables -F OUTPUT']);
    for (const line of text.split('\n')) assert.ok(ns.run(['sh', '-c', line]).ok, line);
    assert.deepEqual(countsAfterSending(), expected);
  }
  ns.run(['sh', '-c', 'iptables -F OUTPUT']);
});

const mangle = (rule: string) => `*mangle\n:PREROUTING ACCEPT [0:0]\n${rule}\nCOMMIT\n`;
const filter = (rule: string) => `*filter\n:INPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`;
const EST = '-A PREROUTING -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms';
const READ = '-A INPUT -m rateest --rateest wan --rateest-gt --rateest-bps 10mbit -j DROP';

test('restore files with rate estimators: refused on a fresh host exactly where an error is reported', { skip }, () => {
  const files = [
    { name: 'the order iptables-save writes', text: mangle(EST) + filter(READ) },
    { name: 'the filter block first', text: filter(READ) + mangle(EST) },
    { name: 'an estimator made twice with other timing', text: mangle(`${EST}\n-A PREROUTING -i eth1 -j RATEEST --rateest-name wan --rateest-interval 1s --rateest-ewmalog 2s`) },
    { name: 'the same estimator in other words', text: mangle(`${EST}\n-A PREROUTING -i eth1 -j RATEEST --rateest-name wan --rateest-interval 200ms --rateest-ewmalog 600ms`) + filter(READ) },
  ];
  for (const f of files) {
    // a fresh host: no rule holds an estimator
    ns.run(['sh', '-c', 'for t in filter mangle; do iptables -t $t -F; done']);
    const loaded = ns.run(['iptables-restore'], f.text);
    const errors = codes(f.text, 'save').filter((d) => d.severity === 'error').map((d) => f.text.slice(0, d.span.start).split('\n').length);
    const failedAt = /line (\d+) failed/.exec(loaded.err)?.[1] ?? /line (\d+):/.exec(loaded.err)?.[1];
    assert.equal(!loaded.ok, errors.length > 0, `${f.name}: ${loaded.ok ? 'loads' : `refused (${loaded.err.trim()})`}, errors on lines ${errors.join(', ') || 'none'}`);
    if (!loaded.ok) assert.deepEqual(errors, [Number(failedAt)], f.name);
  }
  ns.run(['sh', '-c', 'for t in filter mangle; do iptables -t $t -F; done']);
});
