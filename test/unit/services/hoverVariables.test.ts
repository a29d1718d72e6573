import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

test('hover on a value read from the script\'s variables says what it is, above the value\'s docs', () => {
  const text = 'WAN=eth0\nST=ESTABLISHED\nWEB=10.0.0.5\niptables -A INPUT -i $WAN -m conntrack --ctstate "$ST" -j ACCEPT\niptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $WEB:8080\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const at = (needle: string) => hoverAt(doc, text.indexOf(needle) + 1);
  const wan = at('$WAN')!;
  assert.equal(text.slice(wan.span.start, wan.span.end), '$WAN');
  assert.ok(wan.markdown.startsWith('`$WAN` is `eth0` here'));
  const st = at('"$ST"')!;
  assert.ok(st.markdown.startsWith('`"$ST"` is `ESTABLISHED` here'));
  assert.match(st.markdown, /\*\*ESTABLISHED\*\*/, 'the state\'s own docs follow');
  const web = at('$WEB:8080')!;
  assert.ok(web.markdown.includes('`10.0.0.5:8080`'));
  // a word that does not depend on a variable has no such line
  assert.ok(!at('ACCEPT')!.markdown.includes(' here: the script sets'));
});

test('hover on the call of a function bound at each call shows the commands it runs there', () => {
  const text = 'WEB=10.0.0.5\nfwd() {\n  iptables -t nat -A PREROUTING -p tcp --dport "$1" -j DNAT --to-destination "$WEB:$2"\n  iptables -A FORWARD -p tcp -d $WEB --dport "$2" -m comment --comment "port $1" -j ACCEPT\n}\nfwd 80 8080\nfwd 443 8443\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const at = text.indexOf('fwd 443');
  const h = hoverAt(doc, at + 5)!;
  assert.deepEqual(h.span, { start: at, end: at + 'fwd 443 8443'.length });
  assert.match(h.markdown, /iptables -t nat -A PREROUTING -p tcp --dport 443 -j DNAT --to-destination 10\.0\.0\.5:8443\n/);
  assert.match(h.markdown, /iptables -A FORWARD -p tcp -d 10\.0\.0\.5 --dport 8443 -m comment --comment "port 443" -j ACCEPT\n/);
  // the function's own command, as written, keeps its hover
  assert.match(hoverAt(doc, text.indexOf('--to-destination'))!.markdown, /--to-destination/);
});

test('hover on a call of a helper lists what it runs: helpers of helpers, a body called once, each pass of a loop', () => {
  const text = [
    'allow_tcp() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }',
    'allow_both() {',
    '  allow_tcp "$1"',
    '  iptables -A INPUT -p udp --dport "$1" -j ACCEPT',
    '}',
    'main() {',
    '  iptables -F',
    '  for p in 53 123; do allow_both $p; done',
    '}',
    'main',
    'allow_both 5353',
    '',
  ].join('\n');
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const at = (needle: string, from = 0) => hoverAt(doc, text.indexOf(needle, from) + 1);
  const commands = (markdown: string) => markdown.split('\n').filter((l) => /^(iptables|# run)/.test(l));
  // main runs once: its own command where written, the loop's two passes through both helpers
  const main = at('main\n', text.indexOf('}\nmain') + 2)!;
  assert.equal(text.slice(main.span.start, main.span.end), 'main');
  assert.deepEqual(commands(main.markdown), ['iptables -F   # line 7', 'iptables -A INPUT -p tcp --dport 53 -j ACCEPT', 'iptables -A INPUT -p udp --dport 53 -j ACCEPT', 'iptables -A INPUT -p tcp --dport 123 -j ACCEPT', 'iptables -A INPUT -p udp --dport 123 -j ACCEPT'].map((l, i) => (i ? `${l}   # line ${8}` : l)));
  // the call in the loop: each pass apart
  const inLoop = at('allow_both $p')!;
  assert.equal(text.slice(inLoop.span.start, inLoop.span.end), 'allow_both $p');
  assert.deepEqual(commands(inLoop.markdown), ['# run 1', 'iptables -A INPUT -p tcp --dport 53 -j ACCEPT', 'iptables -A INPUT -p udp --dport 53 -j ACCEPT', '# run 2', 'iptables -A INPUT -p tcp --dport 123 -j ACCEPT', 'iptables -A INPUT -p udp --dport 123 -j ACCEPT']);
  // a helper's call in another helper's body: every run of it
  assert.deepEqual(commands(at('allow_tcp "$1"')!.markdown), ['# run 1', 'iptables -A INPUT -p tcp --dport 53 -j ACCEPT   # line 8', '# run 2', 'iptables -A INPUT -p tcp --dport 123 -j ACCEPT   # line 8', '# run 3', 'iptables -A INPUT -p tcp --dport 5353 -j ACCEPT   # line 11']);
  assert.deepEqual(commands(at('allow_both 5353')!.markdown), ['iptables -A INPUT -p tcp --dport 5353 -j ACCEPT', 'iptables -A INPUT -p udp --dport 5353 -j ACCEPT']);
  // more than twenty commands: the first twenty, and how many more
  const many = `${text}for p in 1 2 3 4 5 6 7 8 9 10 11 12; do allow_both $p; done\n`;
  const h = hoverAt(new FirewallDocument(many, { dialect: 'script' }), many.lastIndexOf('allow_both $p') + 1)!;
  assert.equal(commands(h.markdown).filter((l) => l.startsWith('iptables')).length, 20);
  assert.match(h.markdown, /… and 4 more$/);
});

test('hover on a value a configuration read with `.` gives says which file and line set it', () => {
  const text = 'WEB=10.0.0.5\n. /etc/fw.conf\niptables -t nat -A PREROUTING -i $WAN -p tcp --dport 80 -j DNAT --to-destination $WEB:8080\niptables -A INPUT -i "$WAN" -s $WEB -j ACCEPT\n';
  const doc = new FirewallDocument(text, { dialect: 'script', sourced: new Map([['/etc/fw.conf', { file: '/srv/router/fw.conf', text: '# interfaces\nWAN=ppp0\n' }]]) });
  const wan = hoverAt(doc, text.indexOf('$WAN') + 1)!;
  assert.ok(wan.markdown.startsWith('`$WAN` is `ppp0` here: `$WAN` is set in /srv/router/fw.conf, line 2.'), wan.markdown);
  // the script's own value goes on past the file, which does not set it
  assert.ok(hoverAt(doc, text.indexOf('$WEB:8080') + 1)!.markdown.startsWith('`$WEB:8080` is `10.0.0.5:8080` here: the script sets this variable once, above.'));
});

test('hover on a `.` or `source` command: the file read and what it sets, or why what it sets stays unknown', () => {
  const conf = { file: '/srv/router/fw.conf', text: '# interfaces\nWAN=ppp0\nLAN_NET=192.168.1.0/24\n' };
  const hover = (text: string, sourced: Record<string, typeof conf> = {}) => {
    const doc = new FirewallDocument(text, { dialect: 'script', sourced: new Map(Object.entries(sourced)) });
    // on the command word of the first `.` or `source`
    const h = hoverAt(doc, text.indexOf(text.includes('source') ? 'source' : '. ') + 1);
    return h && { text: text.slice(h.span.start, h.span.end), markdown: h.markdown };
  };
  const script = (source: string) => `${source}\niptables -A INPUT -i $WAN -j DROP\n`;
  const read = hover(script('. /etc/fw.conf'), { '/etc/fw.conf': conf })!;
  assert.equal(read.text, '. /etc/fw.conf');
  assert.ok(read.markdown.startsWith('Reads `/srv/router/fw.conf` (for `/etc/fw.conf`); from here on:'), read.markdown);
  assert.match(read.markdown, /^- `WAN` = `ppp0` \(line 2\)$/m);
  assert.match(read.markdown, /^- `LAN_NET` = `192\.168\.1\.0\/24` \(line 3\)$/m);
  assert.match(hover(script('. /etc/fw.conf'))!.markdown, /^`\/etc\/fw\.conf` is not found /);
  assert.ok(hover(script('. "$(dirname "$0")/fw.conf"'), { './fw.conf': conf })!.markdown.startsWith("Reads `/srv/router/fw.conf` (for `./fw.conf` in the script's own folder); from here on:"));
  assert.match(hover(script('source "$1"'))!.markdown, /^The shell makes this path as it runs/);
  assert.match(hover(script('f() { . /etc/fw.conf; }\nf'), { '/etc/fw.conf': conf })!.markdown, /the shell may not run this command here/);
  assert.match(hover(script('. /etc/fw.conf'), { '/etc/fw.conf': { ...conf, text: `${conf.text}iptables -N extra\n` } })!.markdown, /It also runs commands or defines functions/);
});

test('hover on a word a function\'s call or a loop\'s pass sets lists each run of its command, with its line', () => {
  const text = '#!/bin/sh\nallow() {\n  for p in "$@"; do\n    iptables -A INPUT -p tcp --dport "$p" -j ACCEPT\n  done\n}\nallow 22 80\nallow 443\nfor q in 1 2; do iptables -A INPUT -p udp --dport $q -j ACCEPT; done\nfor r in $(cat ports); do iptables -A INPUT -p udp --dport $r -j ACCEPT; done\n';
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const p = hoverAt(doc, text.indexOf('"$p"') + 1)!;
  assert.equal(text.slice(p.span.start, p.span.end), '"$p"');
  const runs = (markdown: string) => [...markdown.matchAll(/^iptables (.*)   # line (\d+)$/gm)].map((m) => `${m[1]}:${m[2]}`);
  assert.deepEqual(runs(p.markdown), ['-A INPUT -p tcp --dport 22 -j ACCEPT:7', '-A INPUT -p tcp --dport 80 -j ACCEPT:7', '-A INPUT -p tcp --dport 443 -j ACCEPT:8']);
  assert.deepEqual(runs(hoverAt(doc, text.indexOf('$q ') + 1)!.markdown), ['-A INPUT -p udp --dport 1 -j ACCEPT:9', '-A INPUT -p udp --dport 2 -j ACCEPT:9']);
  // a loop the model does not run word by word: nothing to list
  assert.equal(hoverAt(doc, text.indexOf('$r ') + 1), undefined);
});
