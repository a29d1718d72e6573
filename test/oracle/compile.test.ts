import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileScript } from '../../server/src/core/compile/toRestore.ts';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * A compiled script builds the same tables as the script itself: each script runs in one
 * throwaway namespace, its compiled text is restored in another, and iptables-save of both
 * must match. Also: what compile refuses.
 */
const scripts: Record<string, string> = {
  'port forward router': '#!/bin/sh\nset -e\nIPT=/usr/sbin/iptables\nsysctl -w net.ipv4.ip_forward=1 >/dev/null\n$IPT -P INPUT DROP\n$IPT -P FORWARD DROP\n$IPT -A INPUT -i lo -j ACCEPT\n$IPT -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n$IPT -A INPUT -p tcp --dport 22 -j ACCEPT\n$IPT -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n$IPT -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n$IPT -A FORWARD -i eth0 -o eth1 -p tcp --dport 8080 -d 192.168.1.100 -j ACCEPT\n$IPT -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n',
  'user chains, inserts and deletes': 'iptables -N logdrop\niptables -A logdrop -m limit --limit 5/min -j LOG --log-prefix "dropped: " --log-level 4\niptables -A logdrop -j DROP\niptables -A INPUT -s 198.51.100.0/24 -j logdrop\niptables -I INPUT -i lo -j ACCEPT\niptables -A INPUT -p udp -m multiport --dports 53,123 -j ACCEPT\niptables -D INPUT -s 198.51.100.0/24 -j logdrop\niptables -I INPUT 2 -m comment --comment "two words" -j RETURN\n',
  'mangle, raw and rename': 'iptables -t mangle -A PREROUTING -i eth1 -j MARK --set-mark 0x2\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\niptables -N old\niptables -A old -j ACCEPT\niptables -E old new\niptables -A FORWARD -j new\niptables -P OUTPUT DROP\niptables -A OUTPUT -o lo -j ACCEPT\n',
  'deletes written another way than the rule': 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -s 10.0.0.1 -j ACCEPT\niptables -A INPUT -s 10.1.2.3/8 -j DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p TCP --dport 80 -j ACCEPT\niptables -A INPUT -m comment --comment kept -j ACCEPT\niptables -D INPUT -p tcp -m tcp --dport ssh -j ACCEPT\niptables -D INPUT -s 10.0.0.1/32 -j ACCEPT\niptables -D INPUT -s 10.0.0.0/255.0.0.0 -j DROP\niptables -D INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\niptables -D INPUT -p 6 --dport http -j ACCEPT\n',
  'restore here-documents with and without --noflush': 'iptables -N old\niptables -A old -j DROP\niptables -A INPUT -j old\niptables -t nat -N natted\niptables-restore <<EOF\n*filter\n:INPUT ACCEPT [0:0]\n:keep - [0:0]\n-A INPUT -j keep\nCOMMIT\nEOF\niptables -N again\niptables -A again -j ACCEPT\niptables -A keep -j again\niptables-restore -n <<EOF\n*filter\n:again - [0:0]\n-A again -j DROP\nCOMMIT\nEOF\n',
  'jumps follow a renamed chain': 'iptables -N old\niptables -A old -j ACCEPT\niptables -A INPUT -j old\niptables -A FORWARD -g old\niptables -E old new\n',
  'flags of the tool, not of the rule': 'iptables -w -A OUTPUT -o lo -j ACCEPT\niptables --wait 5 -v -A OUTPUT -o lo2 -j ACCEPT\niptables -4 -A INPUT -s 1.1.1.1,2.2.2.2 -j ACCEPT\n',
  'ip6tables too': 'iptables -A INPUT -p tcp --dport 443 -j ACCEPT\nip6tables -A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT\nip6tables -P INPUT DROP\n',
  'helper functions called with arguments': [
    '#!/bin/sh',
    'allow() {',
    '  iptables -A INPUT -p "$1" --dport "$2" -j ACCEPT',
    '}',
    'forward() {',
    '  iptables -t nat -A PREROUTING -i eth0 -p tcp --dport $1 -j DNAT --to-destination $2',
    '  iptables -A FORWARD -p tcp -d ${3} --dport $4 -j ACCEPT',
    '}',
    'chain() {',
    '  iptables -N "$1"',
    '  iptables -A "$1" -j LOG --log-prefix "$1: "',
    '  iptables -A $1 -j DROP',
    '}',
    'base() {',
    '  iptables -F',
    '  iptables -A INPUT -i lo -j ACCEPT',
    '}',
    'WEB=192.168.1.10',
    'base',
    'chain logdrop',
    'chain logreject',
    'allow tcp 22',
    'allow udp 53',
    'forward 80 $WEB:8080 $WEB 8080',
    'forward 443 "$WEB:8443" $WEB 8443',
    'iptables -A INPUT -j logdrop',
    '',
  ].join('\n'),
  // run without -e: these commands fail, and the tables stay as they were
  'commands iptables refuses change nothing': 'iptables -N full\niptables -A full -j RETURN\niptables -N used\niptables -N idle\niptables -A INPUT -j used\niptables -X full\niptables -X used\niptables -X\niptables -E idle used\niptables -I INPUT 0 -s 9.9.9.9 -j DROP\niptables -F INPUT -p tcp\niptables -A INPUT -n -s 8.8.8.8 -j DROP\niptables -L -Z -n >/dev/null\n',
  'rule numbers past the end of a known chain change nothing': 'iptables-restore -n <<EOF\n*filter\n:b - [0:0]\n-A b -j DROP\nCOMMIT\nEOF\niptables -I b 3 -s 1.1.1.1 -j ACCEPT\niptables -R b 2 -s 2.2.2.2 -j ACCEPT\niptables -D b 2\niptables -I b 2 -s 3.3.3.3 -j ACCEPT\niptables -A INPUT -j b\n',
};
/** Scripts whose commands may fail: run without `sh -e`. */
const failing = new Set(['commands iptables refuses change nothing', 'rule numbers past the end of a known chain change nothing']);

const unavailable = NamespaceIptables.available();
const skip = requirement(!unavailable, unavailable ?? '');

function dump(ns: string, family: 'ipv4' | 'ipv6'): string {
  const r = spawnSync('ip', ['netns', 'exec', ns, family === 'ipv4' ? 'iptables-save' : 'ip6tables-save'], { encoding: 'utf8' });
  // counters and the generated-by comments differ between runs; tables nobody touched are absent
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/ \[\d+:\d+\]$/, '')).join('\n');
}

for (const [name, script] of Object.entries(scripts)) {
  test(`compile: ${name} builds the same tables as running the script`, { skip }, async () => {
    const compiled = compileScript(script);
    assert.equal(compiled.refusal, undefined);
    const ran = new NamespaceIptables();
    const restored = new NamespaceIptables();
    ran.create();
    restored.create();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-compile-'));
      writeFileSync(join(dir, 'fw.sh'), script);
      const r = spawnSync('ip', ['netns', 'exec', ran.name, 'sh', ...(failing.has(name) ? [] : ['-e']), join(dir, 'fw.sh')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      for (const out of compiled.outputs) {
        const res = await restored.load(out.text, out.family);
        assert.ok(res.ok, `${res.message}\n${out.text}`);
      }
      for (const family of ['ipv4', 'ipv6'] as const) {
        // the script may touch tables it leaves empty; restore names only those it builds
        const a = dump(ran.name, family);
        const b = dump(restored.name, family);
        const tablesOf = (s: string) => s.split('\n').filter((l) => l.startsWith('*')).join(',');
        const common = (s: string, keep: string) => s.split(/(?=^\*)/m).filter((block) => keep.includes(block.split('\n')[0])).join('');
        assert.equal(common(a, tablesOf(b)), common(b, tablesOf(b)), `${family} tables differ`);
        // and no table the script filled is missing from the compiled text
        for (const block of a.split(/(?=^\*)/m)) {
          const filled = /^-A /m.test(block) || /^:\S+ DROP$/m.test(block);
          if (filled) assert.ok(tablesOf(b).includes(block.split('\n')[0]), `${block.split('\n')[0]} missing from the compiled ${family} text`);
        }
      }
    } finally {
      ran.destroy();
      restored.destroy();
    }
  });
}

test('command-fails, duplicate-chain and undefined-chain report exactly the commands iptables refuses, run one by one', { skip }, () => {
  const steps = [
    'iptables -N a',
    'iptables -A a -j DROP',
    'iptables -A INPUT -j a',
    'iptables -X a',
    'iptables -F a',
    'iptables -X a',
    'iptables -N idle',
    'iptables -X',
    'iptables -D INPUT -j a',
    'iptables -X a',
    'iptables-restore -n <<EOF\n*filter\n:b - [0:0]\n:m - [0:0]\n-A b -j DROP\n-A m -s 192.0.2.1,192.0.2.2 -j DROP\nCOMMIT\nEOF',
    'iptables -I b 3 -j ACCEPT',
    'iptables -R b 2 -j ACCEPT',
    'iptables -D b 2',
    'iptables -I b 2 -j ACCEPT',
    'iptables -R b 2 -j RETURN',
    'iptables -D b 2',
    'iptables -D b 2',
    'iptables -X idle',
    'iptables -D m 2',
    'iptables -D m 3',
    'iptables -N b',
    'iptables -N fresh',
    'iptables -E fresh m',
    'iptables -N fresh',
    'iptables -A INPUT -j later',
    'iptables -N later',
    'iptables -A idle -j RETURN',
    'iptables -F',
    'iptables -X',
    'iptables -N z',
    'iptables -A z -j RETURN',
    'iptables -I z 3 -j DROP',
    'iptables -I z 2 -j DROP',
    'iptables -D z 3',
    'iptables -A z -m limit --limit 5/min -j LOG',
    // the same rule with its defaults written out
    'iptables -D z -m limit --limit 5/min --limit-burst 5 -j LOG --log-level 4',
    'iptables -D z -p tcp --dport 22 -j ACCEPT',
    'iptables -D z -j DROP',
    'iptables -D z -j DROP',
    'iptables -A z -p udp --dport 53 -j ACCEPT',
    // another protocol: certainly not that rule
    'iptables -D z -p tcp --dport 53 -j ACCEPT',
    'iptables -D z -p 17 -m udp --dport domain -j ACCEPT',
    'iptables -A z -s 10.0.0.0/8 -i eth0 -j ACCEPT',
    'iptables -D z -s 10.0.0.0/8 -i eth1 -j ACCEPT',
    'iptables -D z -s 10/8 -i eth0 -j ACCEPT',
    // INPUT is empty since the -F above: its rules from here on are the script's
    'iptables -D INPUT -j ACCEPT',
    'iptables -A INPUT -p tcp --dport 22 -m comment --comment ssh -j ACCEPT',
    // without the comment match, another port, another comment, negated
    'iptables -D INPUT -p tcp --dport 22 -j ACCEPT',
    'iptables -D INPUT -p tcp --dport 23 -m comment --comment ssh -j ACCEPT',
    'iptables -D INPUT -p tcp --dport 22 -m comment --comment other -j ACCEPT',
    'iptables -D INPUT -p tcp ! --dport 22 -m comment --comment ssh -j ACCEPT',
    'iptables -I INPUT 3 -j DROP',
    'iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
    'iptables -D INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    'iptables -D INPUT -m state --state related,established -j ACCEPT',
    'iptables -A INPUT -p tcp -m multiport --dports 22,80 -j ACCEPT',
    'iptables -D INPUT -p tcp -m multiport --dports 80,22 -j ACCEPT',
    'iptables -D INPUT -p tcp -m multiport --dports ssh,http -j ACCEPT',
    'iptables -D INPUT -p tcp -m tcp --dport ssh -m comment --comment ssh -j ACCEPT',
    'iptables -t nat -F PREROUTING',
    'iptables -t nat -D PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5',
    // matches are stored in the order they were loaded, an implicit protocol match at its first option
    'iptables -A INPUT -p tcp -m comment --comment web --dport 80 -j ACCEPT',
    'iptables -D INPUT -p tcp --dport 80 -m comment --comment web -j ACCEPT',
    'iptables -D INPUT -p tcp -m comment --comment web -m tcp --dport 80 -j ACCEPT',
    'iptables -A INPUT -m conntrack --ctstate NEW -m limit --limit 5/min -j LOG',
    'iptables -D INPUT -m limit --limit 5/min -m conntrack --ctstate NEW -j LOG',
    'iptables -D INPUT -m conntrack --ctstate NEW -m limit --limit 5/min -j LOG',
    // marks: decimal, 0x hex or 0 octal, the mask every bit when left out
    'iptables -A INPUT -m mark --mark 0x10/0xf0 -j ACCEPT',
    'iptables -D INPUT -m mark --mark 0x10/0xff -j ACCEPT',
    'iptables -D INPUT -m mark --mark 16/240 -j ACCEPT',
    'iptables -A INPUT -m mark --mark 8 -j ACCEPT',
    'iptables -D INPUT -m mark --mark 9 -j ACCEPT',
    'iptables -D INPUT -m mark --mark 010/0xffffffff -j ACCEPT',
    // the limit match keeps the time between packets (a number alone is per second); iprange two addresses
    'iptables -A INPUT -m limit --limit 7 -j ACCEPT',
    'iptables -D INPUT -m limit --limit 7/hour -j ACCEPT',
    'iptables -D INPUT -m limit --limit 420/min -j ACCEPT',
    'iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.5 -j ACCEPT',
    'iptables -D INPUT -m iprange --src-range 10.0.0.1-10.0.0.6 -j ACCEPT',
    'iptables -D INPUT -m iprange --src-range 10.0.0.1-10.0.0.5 -j ACCEPT',
    // a target's options as the kernel keeps them: a log prefix as written, a level by number,
    // a reject type by its full name, NAT addresses and ports as ranges, --set-mark's mask with the value's bits
    'iptables -N t',
    'iptables -A t -j LOG --log-prefix "fw: " --log-level warning',
    'iptables -D t -j LOG --log-prefix "fw:" --log-level warning',
    'iptables -D t -j LOG --log-prefix "fw: " --log-level info',
    'iptables -D t -j LOG --log-prefix "fw: " --log-level 4',
    'iptables -A t -p tcp -j REJECT --reject-with tcp-reset',
    'iptables -D t -p tcp -j REJECT --reject-with icmp-host-prohibited',
    'iptables -D t -p tcp -j REJECT --reject-with tcp-rst',
    'iptables -t nat -F OUTPUT',
    'iptables -t nat -A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080',
    'iptables -t nat -D OUTPUT -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5',
    'iptables -t nat -D OUTPUT -p tcp --dport 80 -j DNAT --to-destination 10.0.0.6:8080',
    'iptables -t nat -D OUTPUT -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5-10.0.0.5:8080-8080',
    'iptables -t nat -A OUTPUT -p tcp -j REDIRECT --to-ports 8082',
    'iptables -t nat -D OUTPUT -p tcp -j REDIRECT --to-ports 8083',
    'iptables -t nat -D OUTPUT -p tcp -j REDIRECT --to-ports 8082-8082',
    'iptables -t mangle -F PREROUTING',
    'iptables -t mangle -A PREROUTING -j MARK --set-mark 0x10/0x0f',
    'iptables -t mangle -D PREROUTING -j MARK --set-mark 0x11/0x0f',
    'iptables -t mangle -D PREROUTING -j MARK --set-mark 16/0x1f',
    // hashlimit: the rate, and the unit as written (its table's entries expire after one)
    'iptables -A t -m hashlimit --hashlimit-upto 60/min --hashlimit-name h -j ACCEPT',
    'iptables -D t -m hashlimit --hashlimit-upto 1/sec --hashlimit-name h -j ACCEPT',
    'iptables -D t -m hashlimit --hashlimit-upto 61/min --hashlimit-name h -j ACCEPT',
    'iptables -D t -m hashlimit --hashlimit-upto 60/minute --hashlimit-name h -j ACCEPT',
    // conntrack's addresses: another network, or the same negated
    'iptables -A t -m conntrack --ctorigsrc 10.0.0.0/24 -j ACCEPT',
    'iptables -D t -m conntrack --ctorigsrc 10.0.0.0/25 -j ACCEPT',
    'iptables -D t -m conntrack ! --ctorigsrc 10.0.0.0/24 -j ACCEPT',
    'iptables -D t -m conntrack --ctorigsrc 10.0.0.0/24 -j ACCEPT',
  ];
  const text = `${steps.join('\n')}\n`;
  const starts = steps.map((_, i) => steps.slice(0, i).join('\n').length + (i ? 1 : 0));
  const stepAt = (offset: number) => starts.findLastIndex((s) => s <= offset);
  const reported = new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'command-fails' || d.code === 'duplicate-chain' || d.code === 'undefined-chain').map((d) => stepAt(d.span.start));
  const ns = new NamespaceIptables();
  ns.create();
  try {
    const failed = steps.flatMap((step, i) => (spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', step], { encoding: 'utf8' }).status === 0 ? [] : [i]));
    assert.deepEqual(failed, [3, 5, 7, 11, 12, 13, 17, 20, 21, 23, 24, 25, 27, 32, 34, 37, 39, 41, 44, 46, 48, 49, 50, 51, 52, 54, 57, 61, 63, 66, 69, 72, 75, 78, 82, 83, 86, 90, 91, 94, 98, 101, 102, 105, 106], 'iptables 1.8.9 refuses these');
    assert.deepEqual(reported, failed);
  } finally {
    ns.destroy();
  }
});

test('restore-resets-policy: iptables-nft gives a chain the input leaves out the policy ACCEPT, iptables-legacy keeps it', { skip }, () => {
  const script = 'iptables -P INPUT DROP\niptables -P FORWARD DROP\niptables-restore <<EOF\n*filter\n:FORWARD DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n';
  const reported = new FirewallDocument(script, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'restore-resets-policy');
  assert.deepEqual(reported.map((d) => d.message.split("'s policy")[0].split(' ').at(-1)), ['INPUT']);
  for (const [backend, input] of [['nft', 'ACCEPT'], ['legacy', 'DROP']] as const) {
    const ns = new NamespaceIptables();
    ns.create();
    try {
      const run = script.replaceAll('iptables -', `iptables-${backend} -`).replace('iptables-restore', `iptables-${backend}-restore`);
      const r = spawnSync('ip', ['netns', 'exec', ns.name, 'sh', '-e', '-c', `${run}iptables-${backend} -S`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^-P INPUT ${input}$`, 'm'), backend);
      assert.match(r.stdout, /^-P FORWARD DROP$/m, backend);
    } finally {
      ns.destroy();
    }
  }
});

test('compile refuses what it cannot translate, at the command that stops it', () => {
  const cases: [string, string][] = [
    ['iptables -A INPUT -s "$ADMIN" -j ACCEPT\n', 'iptables -A INPUT -s "$ADMIN" -j ACCEPT'],
    ['iptables -F\nrm -f /tmp/x\n', 'rm -f /tmp/x'],
    // (the test the host decides, past the reserved word)
    ['if [ -e /x ]; then iptables -A INPUT -j DROP; fi\n', '[ -e /x ]'],
  ];
  for (const [script, at] of cases) {
    const r = compileScript(script);
    assert.ok(r.refusal, script);
    assert.equal(script.slice(r.refusal.span.start, r.refusal.span.end), at);
  }
});
