import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { hoverAt } from '../../server/src/core/services/hover.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * The hover on a rule number (`-I INPUT 2`, `-D INPUT 4`, `-R INPUT 1`) against the kernel: the
 * script runs up to that command in a network namespace of this test's own, `iptables -S
 * INPUT` lists the chain, and its rule of that number must be the one the hover quotes (each
 * rule carries a comment naming it). A number past the end must be refused there.
 */
const { ns, skip } = NamespaceIptables.forTests('rule numbers in a namespace');

const lines = [
  'iptables -F INPUT',
  'iptables -A INPUT -i lo -m comment --comment r1 -j ACCEPT',
  'iptables -A INPUT -p tcp --dport 22 -m comment --comment r2 -j ACCEPT',
  'iptables -A INPUT -p tcp --dport 443 -m comment --comment r3 -j ACCEPT',
  'iptables -I INPUT 2 -p tcp --dport 80 -m comment --comment r4 -j ACCEPT',
  'iptables -I INPUT 1 -p udp --dport 53 -m comment --comment r5 -j ACCEPT',
  'iptables -D INPUT 4',
  'iptables -R INPUT 2 -i lo -m comment --comment r6 -j ACCEPT',
  'iptables -A INPUT -p icmp -m comment --comment r7 -j ACCEPT',
  'iptables -D INPUT 5',
  'iptables -I INPUT 5 -m comment --comment r8 -j LOG',
  'iptables -D INPUT 7',
  'iptables -I INPUT 8 -j DROP',
];
const script = `${lines.join('\n')}\n`;

/** Runs the script's first `n` lines in the namespace, from empty tables (a refused command stops nothing, as in the script); the comments of INPUT's rules in order. */
function inputAfter(n: number): string[] {
  spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', `iptables -F\niptables -X\n${lines.slice(0, n).join('\n')}\n`], { encoding: 'utf8' });
  const listed = spawnSync('ip', ['netns', 'exec', ns.name, 'iptables', '-S', 'INPUT'], { encoding: 'utf8' }).stdout;
  return listed.split('\n').filter((l) => l.startsWith('-A ')).map((l) => /--comment (\S+)/.exec(l)?.[1] ?? '?');
}

test('every rule number of the script names the rule the kernel has at that number when the command runs', { skip }, () => {
  const doc = new FirewallDocument(script, { dialect: 'script' });
  let checked = 0;
  lines.forEach((line, i) => {
    const m = /^iptables -([IDR]) INPUT (\d+)/.exec(line);
    if (!m) return;
    const offset = lines.slice(0, i).join('\n').length + (i ? 1 : 0) + m[0].length - 1;
    const h = hoverAt(doc, offset);
    assert.ok(h && script.slice(h.span.start, h.span.end) === m[2], line);
    const quoted = /```\n(.*)\n```/.exec(h.markdown)?.[1];
    const kernel = inputAfter(i);
    const n = Number(m[2]);
    if (quoted) {
      assert.equal(/--comment (\S+)/.exec(quoted)?.[1], kernel[n - 1], `${line}: the hover quotes ${quoted}; the kernel's INPUT is ${kernel.join(' ')}`);
    } else {
      // nothing quoted: the number is past the end, refused there but for -I at length + 1
      assert.ok(n > kernel.length, `${line}: INPUT has ${kernel.length} rules`);
      const ran = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', line], { encoding: 'utf8' });
      assert.equal(ran.status === 0, m[1] === 'I' && n === kernel.length + 1, `${line}: ${ran.stderr}`);
    }
    checked++;
  });
  assert.equal(checked, 8);
});

test('rule number 0, which the hover says iptables refuses, is refused for -I, -R and -D', { skip }, () => {
  for (const line of ['iptables -I INPUT 0 -j ACCEPT', 'iptables -R INPUT 0 -j ACCEPT', 'iptables -D INPUT 0']) {
    const h = hoverAt(new FirewallDocument(`iptables -F\n${line}\n`, { dialect: 'script' }), `iptables -F\n${line}`.indexOf('INPUT 0') + 6);
    assert.ok(h && !h.markdown.includes('```'), line);
    const ran = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', `iptables -F INPUT\niptables -A INPUT -j ACCEPT\n${line}`], { encoding: 'utf8' });
    assert.notEqual(ran.status, 0, `${line}: ${ran.stderr}`);
  }
});
