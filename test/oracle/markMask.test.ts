import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Mark and TOS tests whose value has bits outside their mask, against the kernel: in a namespace
 * this test creates, mangle OUTPUT marks UDP datagrams sent to 127.0.0.1 with 0x10 (packet and
 * connection) and sets their TOS byte to 0x10, and INPUT counts them with such tests:
 * `--mark 0x10/0xf` (an invalid-value warning) counts none whatever the backend, `! --mark
 * 0x10/0xf` every one, `--mark 0x10/0xf0` every one (no finding); the same for connmark and tos.
 */
const { ns, skip } = NamespaceIptables.forTests('mark tests in both backends', { bothBackends: true });

const TESTS = ['-m mark --mark 0x10/0xf', '-m mark ! --mark 0x10/0xf', '-m mark --mark 0x10/0xf0', '-m connmark --mark 0x10/0xf', '-m tos --tos 0x10/0x0f', '-m tos --tos 0x10/0xff'];

/** Datagrams sent from inside the namespace to 127.0.0.1:9 (nothing listens: they are counted on the way in). */
function send(count: number): void {
  const script = `const s = require('node:dgram').createSocket('udp4'); let n = 0; const next = () => n++ < ${count} ? s.send('x', 9, '127.0.0.1', next) : s.close(); next();`;
  const r = ns.run([process.execPath, '-e', script]);
  assert.ok(r.ok, r.err);
}

test('a mark or TOS value with bits outside its mask never matches (its negation always does): a warning; within the mask, none', { skip, timeout: 60_000 }, () => {
  const text = `*filter\n${TESTS.map((t) => `-A INPUT -i lo -p udp --dport 9 ${t}`).join('\n')}\nCOMMIT\n`;
  const found = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'invalid-value');
  assert.deepEqual(found.map((d) => [text.slice(d.span.start, d.span.end), d.severity]), [['0x10/0xf', 'warning'], ['0x10/0xf', 'warning'], ['0x10/0xf', 'warning'], ['0x10/0x0f', 'warning']]);
  assert.ok(ns.run(['ip', 'link', 'set', 'lo', 'up']).ok);
  for (const backend of ['nft', 'legacy'] as const) {
    const ipt = `iptables-${backend}`;
    for (const b of ['nft', 'legacy']) ns.run(['sh', '-c', `iptables-${b} -F && iptables-${b} -t mangle -F`]);
    assert.ok(ns.run([ipt, '-t', 'mangle', '-A', 'OUTPUT', '-o', 'lo', '-p', 'udp', '--dport', '9', '-j', 'MARK', '--set-mark', '0x10']).ok);
    assert.ok(ns.run([ipt, '-t', 'mangle', '-A', 'OUTPUT', '-o', 'lo', '-p', 'udp', '--dport', '9', '-j', 'CONNMARK', '--set-mark', '0x10']).ok);
    assert.ok(ns.run([ipt, '-t', 'mangle', '-A', 'OUTPUT', '-o', 'lo', '-p', 'udp', '--dport', '9', '-j', 'TOS', '--set-tos', '0x10']).ok);
    for (const t of TESTS) {
      const r = ns.run([ipt, '-A', 'INPUT', '-i', 'lo', '-p', 'udp', '--dport', '9', ...t.split(' ')]);
      assert.ok(r.ok, `${backend} ${t}: ${r.err}`);
    }
    send(3);
    const listed = ns.run([ipt, '-L', 'INPUT', '-n', '-v', '-x']).out.split('\n').filter((l) => /udp dpt:9/.test(l));
    const counts = listed.map((l) => Number(l.trim().split(/\s+/)[0]));
    assert.deepEqual(counts, [0, 3, 3, 0, 0, 3], `${backend}:\n${listed.join('\n')}`);
  }
});
