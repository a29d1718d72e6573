import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unreachableRule } from './unreachable-rule.ts';

ruleTable(unreachableRule, {
  valid: [
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP') },
    { code: table('filter', '-A INPUT -j LOG\n-A INPUT -j DROP'), name: 'LOG does not decide' },
    { code: 'iptables -A INPUT $MATCH -j DROP\niptables -A INPUT -j ACCEPT\n', dialect: 'script' },
    // a catch-all the script adds only under a shell condition
    { code: 'if [ "$OPEN_ALL" = true ]; then\n  iptables -A INPUT -j ACCEPT\nfi\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'catch-all inside if … fi' },
    { code: 'if [ -n "$OPEN" ]; then iptables -A INPUT -j ACCEPT; else iptables -A INPUT -j DROP; fi\niptables -A INPUT -p tcp -j ACCEPT\n', dialect: 'script', name: 'then and else on one line' },
    { code: '[ "$OPEN_ALL" = true ] && iptables -A INPUT -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'after &&' },
    { code: 'iptables -N extra || iptables -A INPUT -j DROP\niptables -A INPUT -p tcp -j ACCEPT\n', dialect: 'script', name: 'after || that follows a command other than -C' },
    { code: '[ -z "$STRICT" ] || { echo open; iptables -A INPUT -j ACCEPT; }\niptables -A INPUT -p tcp -j DROP\n', dialect: 'script', name: 'in a group after ||' },
    { code: 'for i in $IFACES; do\n  iptables -A INPUT -j DROP\ndone\niptables -A INPUT -p tcp -j ACCEPT\n', dialect: 'script', name: 'in a loop' },
    { code: 'if [ -n "$LOCK" ]; then\n  iptables -A INPUT -j DROP\nelif [ -n "$WEB" ]; then\n  iptables -A INPUT -p tcp --dport 80 -j ACCEPT\nelse\n  iptables -A INPUT -p tcp -j ACCEPT\nfi\n', dialect: 'script', name: 'other branches of the same if' },
    { code: 'case "$MODE" in\n  open) iptables -A INPUT -j ACCEPT ;;\nesac\niptables -A INPUT -p tcp -j DROP\n', dialect: 'script', name: 'in a case arm' },
    // a jump to a chain that may send packets back
    { code: table('filter', ':logdrop - [0:0]\n-A INPUT -j logdrop\n-A INPUT -p icmp -j ACCEPT\n-A logdrop -s 10.0.0.0/8 -j RETURN\n-A logdrop -j DROP'), name: 'a RETURN before the chain\'s DROP' },
    { code: table('filter', ':a - [0:0]\n:b - [0:0]\n-A INPUT -j a\n-A INPUT -p icmp -j ACCEPT\n-A a -p tcp -g b\n-A a -j DROP\n-A b -j RETURN'), name: 'a goto before the chain\'s DROP' },
    { code: table('filter', ':logonly - [0:0]\n-A INPUT -j logonly\n-A INPUT -p icmp -j ACCEPT\n-A logonly -j LOG'), name: 'a chain that only logs' },
    { code: table('filter', ':a - [0:0]\n:b - [0:0]\n-A INPUT -j a\n-A INPUT -p icmp -j ACCEPT\n-A a -j b\n-A b -j a'), name: 'a loop of jumps' },
    { code: table('filter', ':later - [0:0]\n-A INPUT -p tcp -j later\n-A INPUT -p icmp -j ACCEPT\n-A later -j DROP'), name: 'a jump with a test' },
  ],
  invalid: [
    { code: table('filter', ':logdrop - [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j logdrop\n«-A INPUT -p icmp -j ACCEPT»\n-A logdrop -m limit --limit 5/min -j LOG\n-A logdrop -p tcp -j REJECT\n-A logdrop -j DROP'), name: 'after a jump to a log-and-drop chain' },
    { code: table('filter', ':outer - [0:0]\n:inner - [0:0]\n-A INPUT -j outer\n«-A INPUT -j ACCEPT»\n-A outer -j inner\n-A inner -j DROP'), name: 'after a jump to a chain that jumps to one that drops' },
    { code: table('filter', '-A INPUT -j DROP\n«-A INPUT -p tcp --dport 22 -j ACCEPT»\n«-A INPUT -j LOG»') },
    { code: table('filter', ':c - [0:0]\n-A INPUT -j c\n-A c -m comment --comment "done" -j RETURN\n«-A c -j DROP»'), name: 'after RETURN' },
    // a rule with neither tests nor target (a counter) before the chain's DROP
    { code: table('filter', ':counted - [0:0]\n-A INPUT -j counted\n«-A INPUT -p icmp -j ACCEPT»\n-A counted\n-A counted -j DROP'), name: 'after a jump to a chain that counts, then drops' },
    // the condition of an if runs where the if is; after fi, done and esac the script is back at the top
    { code: 'if iptables -A INPUT -j DROP; then echo ok; fi\n«iptables -A INPUT -p tcp -j ACCEPT»\n', dialect: 'script', name: 'the command that is the if condition' },
    { code: 'if [ -n "$X" ]; then\n  for i in 1 2; do echo $i; done\n  case "$i" in a) echo a ;; esac\nfi\niptables -A INPUT -j DROP\n«iptables -A INPUT -p tcp -j ACCEPT»\n', dialect: 'script', name: 'after nested constructs close' },
    { code: '{ echo start; iptables -A INPUT -j DROP; }\n«iptables -A INPUT -p tcp -j ACCEPT»\n', dialect: 'script', name: 'a plain group' },
    { code: 'iptables -A INPUT -j DROP || exit 1\n«iptables -A INPUT -p tcp -j ACCEPT»\n', dialect: 'script', name: 'the command before ||' },
    // under one condition, and in a block inside it, the catch-all is there whenever the later rules are
    { code: 'if [ "$MODE" = strict ]; then\n  iptables -A INPUT -j DROP\n  «iptables -A INPUT -p tcp --dport 22 -j ACCEPT»\n  for p in 80 443; do\n    «iptables -A INPUT -p tcp --dport $p -j ACCEPT»\n  done\nfi\niptables -A INPUT -p udp -j ACCEPT\n', dialect: 'script', name: 'the same branch and a loop inside it' },
    { code: 'case "$1" in\n  lock) iptables -A INPUT -j DROP\n        «iptables -A INPUT -p tcp -j ACCEPT» ;;\n  open) iptables -A INPUT -p udp -j ACCEPT ;;\nesac\n', dialect: 'script', name: 'the same case arm, not the next one' },
    // chaining and the add-unless-there idiom: the rule is there whenever the script works
    { code: 'iptables -F INPUT && iptables -A INPUT -j DROP\n«iptables -A INPUT -p tcp -j ACCEPT»\n', dialect: 'script', name: 'after && that follows an iptables command' },
    { code: 'iptables -C INPUT -j DROP 2>/dev/null || iptables -A INPUT -j DROP\n«iptables -A INPUT -p tcp -j ACCEPT»\n', dialect: 'script', name: 'iptables -C … || iptables -A …' },
  ],
});
