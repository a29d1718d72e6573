import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';
import { keptNameAt } from '../../../server/src/core/services/keptNames.ts';

const SAVE = [
  '*mangle',
  ':PREROUTING ACCEPT [0:0]',
  '-A PREROUTING -i eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms',
  'COMMIT',
  '*filter',
  ':INPUT ACCEPT [0:0]',
  '-A INPUT -p icmp -m hashlimit --hashlimit-above 10/sec --hashlimit-mode srcip --hashlimit-name icmp -j DROP',
  '-A INPUT -p udp -m hashlimit --hashlimit-above 50/sec --hashlimit-name icmp -j DROP',
  '-A INPUT -p tcp --dport 22 -m recent --set --name SSH',
  '-A INPUT -p tcp --dport 22 -m recent --update --hitcount 4 --name SSH -j DROP',
  '-A INPUT -m rateest --rateest wan --rateest-gt --rateest-bps 10mbit -j DROP',
  '-A INPUT -p tcp --dport 23 -m hashlimit --hashlimit-above 1/sec --hashlimit-name other -j DROP',
  'COMMIT',
  '',
].join('\n');

const doc = new FirewallDocument(SAVE, { dialect: 'save' });
/** The offset inside the `n`th occurrence of `needle`, past its first character. */
const at = (needle: string, n = 0) => {
  let i = -1;
  for (let k = 0; k <= n; k++) i = SAVE.indexOf(needle, i + 1);
  return i + 1;
};
const lineOf = (offset: number) => SAVE.slice(0, offset).split('\n').length;

test('a kept name and the rules that share it: the first names a hashlimit table, a RATEEST makes an estimator, a --set fills a list', () => {
  const rs = doc.ruleSet;
  const hl = keptNameAt(rs, at('icmp -j', 1))!;
  assert.deepEqual([hl.kind, hl.name, hl.family], ['hashlimit table', 'icmp', 'ipv4']);
  assert.deepEqual(hl.refs.map((r) => [lineOf(r.span.start), SAVE.slice(r.span.start, r.span.end), r.makes]), [[7, 'icmp', true], [8, 'icmp', false]]);
  const est = keptNameAt(rs, at('wan --rateest-gt'))!;
  assert.deepEqual(est.refs.map((r) => [lineOf(r.span.start), r.makes]), [[3, true], [11, false]]);
  const list = keptNameAt(rs, at('SSH -j'))!;
  assert.deepEqual(list.refs.map((r) => [lineOf(r.span.start), r.makes]), [[9, true], [10, false]]);
  assert.equal(keptNameAt(rs, at('-p tcp')), undefined);
});

test('hover on a kept name: the rules sharing it, the one that makes it and with what', () => {
  const hl = hoverAt(doc, at('icmp -j', 1))!;
  assert.equal(SAVE.slice(hl.span.start, hl.span.end), 'icmp');
  assert.match(hl.markdown, /^hashlimit table \*\*icmp\*\* \(IPv4\): 2 rules name it \(lines 7, 8\)\. .*made by the first rule that names it \(line 7\), with --hashlimit-above 10\/sec, --hashlimit-mode srcip;/);
  assert.match(hoverAt(doc, at('wan --rateest-interval'))!.markdown, /^rate estimator \*\*wan\*\*: made by the RATEEST on line 3; read by the rateest match on line 11\./);
  assert.match(hoverAt(doc, at('SSH -j'))!.markdown, /^recent list \*\*SSH\*\* \(IPv4\): filled by --set on line 9; read on line 10\./);
  assert.match(hoverAt(doc, at('other'))!.markdown, /^hashlimit table \*\*other\*\* \(IPv4\): The kernel keeps one table per name/);
});

test('a script\'s function bound at each call: each call that names the state is a reference', () => {
  const text = ['limit() {', '  iptables -A INPUT -p tcp --dport "$1" -m hashlimit --hashlimit-name "$2" --hashlimit-upto 5/s -j ACCEPT', '}', 'limit 80 web', 'limit 443 web', 'limit 22 ssh', 'ip6tables -A INPUT -m hashlimit --hashlimit-name web --hashlimit-upto 5/s -j ACCEPT', ''].join('\n');
  const rs = new FirewallDocument(text, { dialect: 'script' }).ruleSet;
  const kept = keptNameAt(rs, text.indexOf('web') + 1)!;
  // per family: the ip6tables rule's table is another one
  assert.deepEqual(kept.refs.map((r) => [text.slice(r.span.start, r.span.end), text.slice(0, r.span.start).split('\n').length, r.makes]), [['web', 4, true], ['web', 5, false]]);
});

test('an idle timer: one per label for the whole machine, made by its first rule, shared by IPv6 rules and other tables', () => {
  const text = [
    'iptables -t mangle -A PREROUTING -i wlan0 -j IDLETIMER --timeout 60 --label wlan0 --alarm',
    'ip6tables -t raw -A PREROUTING -i wlan0 -j IDLETIMER --timeout 30 --label wlan0 --alarm',
    'iptables -t mangle -A POSTROUTING -o rmnet0 -j IDLETIMER --timeout 30 --label rmnet0',
    'iptables -A INPUT -m connlabel --label wlan0 -j ACCEPT',
    '',
  ].join('\n');
  const d = new FirewallDocument(text, { dialect: 'script' });
  const second = text.indexOf('wlan0 --alarm', text.indexOf('ip6tables')) + 1;
  const kept = keptNameAt(d.ruleSet, second)!;
  assert.deepEqual([kept.kind, kept.name, kept.family], ['idle timer', 'wlan0', undefined]);
  assert.deepEqual(kept.refs.map((r) => [text.slice(0, r.span.start).split('\n').length, text.slice(r.span.start, r.span.end), r.makes]), [[1, 'wlan0', true], [2, 'wlan0', false]]);
  assert.match(hoverAt(d, second)!.markdown, /^idle timer \*\*wlan0\*\*: 2 rules restart it \(lines 1, 2\)\. .*made by the first rule that names it \(line 1\) as an alarm timer/);
  assert.match(hoverAt(d, text.indexOf('--label rmnet0') + 9)!.markdown, /as a plain timer/);
  // connlabel's --label names a connection label, nothing the kernel keeps by that name
  assert.equal(keptNameAt(d.ruleSet, text.lastIndexOf('wlan0') + 1), undefined);
});
