import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * Scripts that make, fill, rename and delete chains, run one command at a time in a namespace
 * of this test's own from empty tables: the commands that fail are exactly those with an
 * error-level finding. `-C` lines are left out (failing is how a check answers) and so are
 * lines whose failure the script expects (`2>/dev/null`, `||`).
 */
const { ns, skip } = NamespaceIptables.forTests('scripts run command by command in a namespace');

/** An IDLETIMER label no other run shares (the kernel keeps them for the whole machine). */
const TIMER = `t${process.pid}`;

/** A router's script that uses every chain command, some of them wrongly. */
const ROUTER = `iptables -F
iptables -X
iptables -t nat -F
iptables -t nat -X
iptables -P INPUT DROP
iptables -P FORWARD DROP
iptables -N LOGDROP
iptables -A LOGDROP -m limit --limit 5/min -j LOG --log-prefix "drop: "
iptables -A LOGDROP -j DROP
iptables -N SSH
iptables -A SSH -s 192.0.2.0/24 -j ACCEPT
iptables -A SSH -j LOGDROP
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j SSH
iptables -I INPUT 2 -p icmp -j ACCEPT
iptables -R INPUT 3 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -D INPUT -p icmp -j ACCEPT
iptables -t nat -N PORTFWD
iptables -t nat -A PREROUTING -i eth0 -j PORTFWD
iptables -t nat -A PORTFWD -p tcp --dport 80 -j DNAT --to-destination 10.200.0.2
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A FORWARD -d 10.200.0.2 -p tcp --dport 80 -j ACCEPT
iptables -E SSH SSH_IN
iptables -A SSH_IN -j RETURN
iptables -D INPUT 5
iptables -I INPUT 9 -j ACCEPT
iptables -Z INPUT
iptables -F SSH_IN
iptables -X SSH_IN
iptables -X LOGDROP
iptables -P SSH_IN ACCEPT
iptables -t nat -X PORTFWD
iptables -N LOGDROP
iptables -C INPUT -i lo -j ACCEPT
iptables -I FORWARD 3 -j ACCEPT
iptables -R FORWARD 4 -j DROP
iptables -D FORWARD 3
iptables -L SSH
iptables -S LOGDROP
iptables -A INPUT -j LOGDROP
iptables -X LOGDROP
iptables -D INPUT -j LOGDROP
iptables -X LOGDROP`;

/** Chains of the mangle and nat tables and of ip6tables beside the filter table's, renamed, emptied and deleted. */
const TABLES = `iptables -F
iptables -X
iptables -t nat -F
iptables -t nat -X
iptables -t mangle -F
iptables -t mangle -X
ip6tables -F
ip6tables -X
iptables -N WEB
iptables -A WEB -p tcp --dport 80 -j ACCEPT
iptables -A WEB -p tcp --dport 443 -j ACCEPT
iptables -I INPUT -j WEB
iptables -I INPUT 1 -i lo -j ACCEPT
iptables -Z INPUT 2
iptables -R INPUT 1 -i lo -j ACCEPT
iptables -t mangle -N MARKS
iptables -t mangle -A PREROUTING -j MARKS
iptables -t mangle -A MARKS -p tcp --dport 22 -j MARK --set-mark 1
iptables -t mangle -A MARKS -j RETURN
ip6tables -N WEB6
ip6tables -A INPUT -j WEB6
iptables -A INPUT -j WEB6
ip6tables -A WEB6 -p tcp --dport 80 -j ACCEPT
iptables -E WEB WEB4
iptables -A INPUT -j WEB4
iptables -D INPUT 2
iptables -D INPUT -j WEB4
iptables -D INPUT -j WEB4
iptables -D INPUT 2
iptables -X
iptables -F WEB4
iptables -X WEB4
iptables -t mangle -X
iptables -t mangle -F MARKS
iptables -t mangle -D PREROUTING -j MARKS
iptables -t mangle -X MARKS
ip6tables -X WEB6
ip6tables -F WEB6
ip6tables -D INPUT 1
ip6tables -X WEB6
iptables -t raw -A PREROUTING -j CT --notrack
iptables -t nat -N DNATS
iptables -t nat -I PREROUTING 2 -j DNATS
iptables -t nat -I PREROUTING 1 -j DNATS
iptables -t nat -A DNATS -p tcp --dport 8080 -j DNAT --to-destination 10.200.0.5:80
iptables -t nat -E DNATS PORTS
iptables -t nat -A PORTS -j RETURN
iptables -t nat -F
iptables -t nat -X PORTS
iptables -t nat -X DNATS`;

const lines = ROUTER.split('\n');
const without = (re: RegExp) => lines.filter((l) => !re.test(l)).join('\n');

const SCRIPTS: { name: string; script: string }[] = [
  { name: 'the router script', script: ROUTER },
  // its first -N gone: the rules added to LOGDROP, the jump to it and its first -X fail; the
  // later -N makes it empty, so the last -X (once nothing jumps to it) works
  { name: 'LOGDROP made only further down', script: without(/^iptables -N LOGDROP$/).replace('iptables -X LOGDROP\niptables -P', 'iptables -P').concat('\niptables -N LOGDROP\niptables -A INPUT -j LOGDROP\niptables -D INPUT -j LOGDROP\niptables -X LOGDROP') },
  { name: 'a chain named after -E renamed it', script: 'iptables -F\niptables -X\niptables -N SSH\niptables -A SSH -j ACCEPT\niptables -E SSH SSH_IN\niptables -L SSH\niptables -A SSH -j DROP\niptables -A INPUT -j SSH_IN\niptables -S SSH_IN' },
  { name: 'chains of several tables and both families', script: TABLES },
  // the jump to a chain that is not there is refused: the rule numbers after it count without it
  { name: 'rule numbers after a refused rule', script: 'iptables -F\niptables -X\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -j NOPE\niptables -D INPUT 2\niptables -I INPUT 3 -j ACCEPT\niptables -I INPUT 2 -j ACCEPT' },
  { name: 'a rename of a chain that is not there', script: 'iptables -F\niptables -X\niptables -E SSH SSH_IN\niptables -A SSH_IN -j RETURN\niptables -F SSH_IN\niptables -X SSH_IN\niptables -A INPUT -j SSH_IN' },
  // found by rules made at random from fragments and added one by one: values and parameters
  // the product judged differently from iptables 1.8.9 (each estimator named once: a second
  // RATEEST of a name with other values is refused for that alone)
  {
    name: 'rules whose values and parameters iptables takes or refuses',
    script: [
      'iptables -A INPUT -i eth0 -i eth1 -j ACCEPT',
      'iptables -A INPUT -s 10.0.0.1 ! -s 10.0.0.2 -j ACCEPT',
      'iptables -A INPUT -p tcp -p udp -j ACCEPT',
      'iptables -A INPUT -j ACCEPT -j DROP',
      'iptables -N X',
      'iptables -A INPUT -j ACCEPT -g X',
      'iptables -A INPUT -f -f -j DROP',
      'iptables -A INPUT -p udp --dport 70000 -j ACCEPT',
      'iptables -A INPUT -p udp --dport 65536 -j ACCEPT',
      'iptables -A INPUT -p udp --dport 0x10 -j ACCEPT',
      'iptables -A INPUT -p tcp --dport 0x10 -j ACCEPT',
      'iptables -A INPUT -p tcp --dport 65536 -j ACCEPT',
      'iptables -A INPUT -p tcp --dport 010 -j ACCEPT',
      'iptables -A INPUT -p tcp -m multiport --dports 010,022 -j ACCEPT',
      'iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.200.0.2:080',
      'iptables -A INPUT -m conntrack --ctorigdstport 2147483648 -j ACCEPT',
      'iptables -A INPUT -p icmpv6 -j ACCEPT',
      'ip6tables -A INPUT -p icmp -j ACCEPT',
      'iptables -A INPUT -m socket -j ACCEPT',
      'iptables -A FORWARD -m socket -j ACCEPT',
      'iptables -A OUTPUT -m socket --transparent -j ACCEPT',
      'iptables -t mangle -A PREROUTING -m socket --transparent -j ACCEPT',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r1 --rateest-interval 250ms --rateest-ewmalog 0.5s',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r2 --rateest-interval 250ms --rateest-ewmalog 360ms',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r3 --rateest-interval 250ms --rateest-ewmalog 361ms',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r4 --rateest-interval 1s --rateest-ewmalog 1s',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r5 --rateest-interval 9s --rateest-ewmalog 20s',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r6 --rateest-interval 8s --rateest-ewmalog 12s',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r7 --rateest-interval 1 --rateest-ewmalog 2',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r8 --rateest-interval 1us --rateest-ewmalog 2000s',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name r9 --rateest-interval 1US --rateest-ewmalog 1000SECS',
      'iptables -t nat -A PREROUTING -p tcp --dport 23 -j DROP',
      'iptables -t nat -P POSTROUTING DROP',
      'iptables -t nat -P POSTROUTING ACCEPT',
      'ip6tables -t nat -N N1',
      'ip6tables -t nat -A N1 -j DROP',
      'ip6tables -t nat -A N1 -j RETURN',
      'iptables -t mangle -A PREROUTING -j DROP',
      'iptables -t mangle -A PREROUTING -m realm --realm 1 -j ACCEPT',
      'iptables -t mangle -A FORWARD -m realm --realm 1 -j ACCEPT',
      'iptables -t mangle -A OUTPUT -m policy --dir in --pol none -j ACCEPT',
      'iptables -t mangle -A INPUT -m policy --dir out --pol none -j ACCEPT',
      'iptables -t mangle -A FORWARD -m policy --dir out --pol none -j ACCEPT',
      'ip6tables -A INPUT -s 0/0 -j ACCEPT',
      'ip6tables -A INPUT -s 0.0.0.0/0 -j ACCEPT',
      'iptables -A INPUT -d ::/0 -j ACCEPT',
      'ip6tables -A INPUT -s 0/1 -j ACCEPT',
      'iptables -A INPUT -m connlimit --connlimit-above 2 --connlimit-mask 33 -j DROP',
      'iptables -A INPUT -m recent --rcheck --mask 24 -j DROP',
      'iptables -t nat -A PREROUTING -p udplite -j DNAT --to-destination 10.200.0.2:80',
      'iptables -t nat -A PREROUTING -p icmp -j DNAT --to-destination 10.200.0.2:80',
      'ip6tables -t nat -A PREROUTING -p icmpv6 -j DNAT --to-destination [2001:db8::1]:80',
      'iptables -A INPUT ! -p tcp -m tcp --syn -j DROP',
      'iptables -A INPUT ! -p udp -m tcp --syn -j DROP',
      'iptables -t nat -A PREROUTING ! -p tcp -j DNAT --to-destination 10.200.0.2:80-90',
      'iptables -t nat -A PREROUTING ! -p gre -j DNAT --to-destination 10.200.0.2:80-90',
    ].join('\n'),
  },
  // the kernel keeps hashlimit tables (per family) and rate estimators (for both) by name
  {
    name: 'rules that share what the kernel keeps by name',
    script: [
      'iptables -t mangle -A PREROUTING -j RATEEST --rateest-name e1 --rateest-interval 250ms --rateest-ewmalog 500ms',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name e1 --rateest-interval 200ms --rateest-ewmalog 600ms',
      'iptables -t mangle -A POSTROUTING -j RATEEST --rateest-name e1 --rateest-interval 1s --rateest-ewmalog 2s',
      'ip6tables -t mangle -A POSTROUTING -j RATEEST --rateest-name e1 --rateest-interval 250ms --rateest-ewmalog 1s',
      'iptables -t raw -A PREROUTING -j RATEEST --rateest-name estimator-long-A --rateest-interval 250ms --rateest-ewmalog 500ms',
      'iptables -t mangle -A PREROUTING -j RATEEST --rateest-name estimator-long-B --rateest-interval 500ms --rateest-ewmalog 2s',
      'iptables -A INPUT -m rateest --rateest e1 --rateest-gt --rateest-bps 1mbit -j DROP',
      'ip6tables -A INPUT -m rateest --rateest estimator-long-C --rateest-gt --rateest-bps 1mbit -j DROP',
      'iptables -A INPUT -m hashlimit --hashlimit-name h1 --hashlimit-upto 5/s -j ACCEPT',
      'iptables -A INPUT -m hashlimit --hashlimit-name h1 --hashlimit-upto 50/s --hashlimit-mode dstip -j ACCEPT',
      'iptables -t mangle -A INPUT -m hashlimit --hashlimit-name h1 --hashlimit-above 5/s --hashlimit-rate-match -j ACCEPT',
      'ip6tables -A INPUT -m hashlimit --hashlimit-name h1 --hashlimit-above 5/s --hashlimit-rate-match -j ACCEPT',
      'iptables -A INPUT -m hashlimit --hashlimit-name h2 --hashlimit-above 5/s --hashlimit-rate-match -j ACCEPT',
      'iptables -A INPUT -m hashlimit --hashlimit-name h2 --hashlimit-above 5/s -j DROP',
      // idle timers are kept for the whole machine, not per namespace: labels of this process's own
      `iptables -t mangle -A PREROUTING -j IDLETIMER --timeout 60 --label ${TIMER}a`,
      `iptables -t mangle -A POSTROUTING -j IDLETIMER --timeout 5 --label ${TIMER}a`,
      `iptables -t raw -A PREROUTING -j IDLETIMER --timeout 60 --label ${TIMER}a --alarm`,
      `ip6tables -t mangle -A PREROUTING -j IDLETIMER --timeout 60 --label ${TIMER}a --alarm`,
      `iptables -t mangle -A PREROUTING -j IDLETIMER --timeout 60 --label ${TIMER}b --alarm`,
      `iptables -t mangle -A POSTROUTING -j IDLETIMER --timeout 60 --label ${TIMER}b`,
      `iptables -t mangle -A PREROUTING -j IDLETIMER --timeout 60 --label ${TIMER.padEnd(27, 'x')}-A`,
      `ip6tables -t mangle -A POSTROUTING -j IDLETIMER --timeout 60 --label ${TIMER.padEnd(27, 'x')}-B --alarm`,
      `iptables -t mangle -A POSTROUTING -j IDLETIMER --timeout 60 --label ${TIMER.padEnd(26, 'x')}-C --alarm`,
    ].join('\n'),
  },
  { name: 'a listing that tests for the chain', script: 'iptables -F\niptables -X\niptables -L LOGDROP >/dev/null 2>&1 || iptables -N LOGDROP\niptables -A LOGDROP -j DROP\niptables -L LOGDROP >/dev/null 2>&1 || iptables -N LOGDROP' },
];

test('each command of a script fails exactly where an error is reported', { skip }, () => {
  for (const { name, script } of SCRIPTS) {
    const text = `${script}\n`;
    const own = text.trimEnd().split('\n');
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    const reported = new Set(lintText(text, { dialect: 'script' }).diagnostics.filter((d) => d.severity === 'error').map((d) => lineOf(d.span.start)));
    ns.run(['sh', '-c', 'for t in filter nat mangle raw; do iptables -t $t -F; iptables -t $t -X; ip6tables -t $t -F; ip6tables -t $t -X; done; iptables -P INPUT ACCEPT; iptables -P FORWARD ACCEPT']);
    // one shell, the commands in order, each line's exit status written after it
    const r = ns.run(['sh', '-c', own.map((l, i) => `${l} >/dev/null 2>&1; echo "@@${i + 1} $?"`).join('\n')]);
    const failed = new Set<number>();
    for (const m of r.out.matchAll(/^@@(\d+) (\d+)$/gm)) if (m[2] !== '0') failed.add(Number(m[1]));
    assert.equal([...r.out.matchAll(/^@@/gm)].length, own.length, `${name}: every line ran`);
    const judged = (n: number) => !/ -C |2>|\|\|/.test(own[n - 1]);
    const wrong = own.flatMap((l, i) => (judged(i + 1) && reported.has(i + 1) !== failed.has(i + 1) ? [`line ${i + 1} ${l}: ${failed.has(i + 1) ? 'fails' : 'works'}, ${reported.has(i + 1) ? 'reported' : 'not reported'}`] : []));
    assert.deepEqual(wrong, [], name);
    assert.ok(failed.size > 0 || name.includes('tests for'), `${name}: some command fails`);
  }
});
