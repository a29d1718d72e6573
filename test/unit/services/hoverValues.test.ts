import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

/** Hover over values that are numbers: what the number stands for, and over a save file's COMMIT. */
const text = [
  '*filter',
  ':INPUT DROP [0:0]',
  '-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT',
  '-A INPUT -p tcp -m multiport --dports 22,80:90,:1023 -j ACCEPT',
  '-A INPUT -p udp --dport ntp -j ACCEPT',
  '-A INPUT -m limit --limit 5/min -j LOG --log-level 4',
  '-A INPUT -m limit --limit 20 -j ACCEPT',
  '-A INPUT -p icmp --icmp-type 8 -j ACCEPT',
  '-A INPUT -p icmp --icmp-type 3/4 -j ACCEPT',
  '-A INPUT -i eth+ -o wan0 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');
const doc = new FirewallDocument(text, { dialect: 'save' });
const hover = (needle: string, from = 0) => {
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, needle);
  return hoverAt(doc, at);
};

test('a port: the services listed for it; a range: how many ports; a name: its number', () => {
  const h = hover('8080')!;
  assert.deepEqual([h.span.start, h.span.end], [text.indexOf('8080'), text.indexOf('8080') + 4]);
  assert.match(h.markdown, /http-alt/);
  const list = hover('22,80')!.markdown;
  assert.match(list, /\*\*22\*\* — ssh/);
  assert.match(list, /80 to 90 \(11 ports\)/);
  assert.match(list, /0 to 1023 \(1024 ports\)/, 'an open start is 0');
  assert.match(hover('ntp')!.markdown, /port 123/);
});

test('a rate: the time between packets; a number alone is per second', () => {
  assert.match(hover('5/min')!.markdown, /one every 12 s/);
  assert.match(hover('20 -j')!.markdown, /20 packets a second, one every 50 ms/);
});

test('a log level and an ICMP type given as numbers: the names iptables has for them', () => {
  assert.match(hover('4\n')!.markdown, /`warning`/);
  assert.match(hover('8 -j')!.markdown, /echo-request/);
  assert.match(hover('3/4')!.markdown, /fragmentation-needed/);
});

test('COMMIT: where the block is loaded, named after its table; nothing past the word', () => {
  const at = text.indexOf('COMMIT');
  const h = hoverAt(doc, at + 3)!;
  assert.deepEqual([h.span.start, h.span.end], [at, at + 6]);
  assert.match(h.markdown, /\*filter/);
  assert.equal(hoverAt(new FirewallDocument('iptables -A INPUT -j ACCEPT\n# COMMIT\n', { dialect: 'script' }), 32), undefined, 'not in a script');
});

test('an interface: exact, or every one whose name starts so with +', () => {
  assert.match(hover('eth+')!.markdown, /starts with `eth`/);
  assert.match(hover('wan0')!.markdown, /exactly that name/);
});

/** Values whose meaning depends on the option: marks, hashlimit rates, times, probabilities, lengths. */
const more = [
  '*mangle',
  '-A PREROUTING -m mark --mark 0x10/0xf0 -j ACCEPT',
  '-A PREROUTING -m connmark --mark 16 -j ACCEPT',
  '-A PREROUTING -m mark --mark 0x10/0xf -j ACCEPT',
  '-A PREROUTING -j MARK --set-mark 0x3/0xf',
  '-A PREROUTING -j CONNMARK --set-xmark 0x3/0xf',
  '-A PREROUTING -j MARK --set-mark 7',
  '-A PREROUTING -m tos --tos 0x10/0x3f -j ACCEPT',
  '-A PREROUTING -j TOS --set-tos 0x08/0x0c',
  '-A PREROUTING -m hashlimit --hashlimit-upto 512kb/s --hashlimit-name a -j ACCEPT',
  '-A PREROUTING -m hashlimit --hashlimit-upto 300/minute --hashlimit-name b -j ACCEPT',
  '-A PREROUTING -m hashlimit --hashlimit-above 100KB/s --hashlimit-name c -j ACCEPT',
  '-A PREROUTING -m hashlimit --hashlimit-upto 2/hour --hashlimit-name d -j ACCEPT',
  '-A PREROUTING -m time --timestart 8:30 -j ACCEPT',
  '-A PREROUTING -m statistic --mode random --probability 0.25 -j ACCEPT',
  '-A PREROUTING -m length --length 0:64 -j ACCEPT',
  '-A PREROUTING -m length --length 1400: -j ACCEPT',
  'COMMIT',
  '',
].join('\n');
const moreDoc = new FirewallDocument(more, { dialect: 'save' });
/** The hover over `needle`, the first after `after` (its whole span checked). */
const hoverMore = (needle: string, after = '') => {
  const at = more.indexOf(needle, more.indexOf(after));
  assert.ok(at >= 0, needle);
  const h = hoverAt(moreDoc, at)!;
  assert.deepEqual([h.span.start, h.span.end], [at, at + needle.length], needle);
  return h.markdown;
};

test('a mark: what a match compares (the packet\'s or the connection\'s mark) or what a target changes, in hex and decimal', () => {
  assert.match(hoverMore('0x10/0xf0'), /packet's mark ANDed with 0xf0 \(240\) is 0x10 \(16\)/);
  assert.match(hoverMore('16', 'connmark'), /connection's mark is 0x10 \(16\)/);
  assert.match(hoverMore('0x10/0xf', '--mark 0x10/0xf '), /Never/);
  assert.match(hoverMore('0x3/0xf', 'MARK --set-mark 0x3'), /clears the bits of 0xf \(15\) in the packet's mark and sets those of 0x3 \(3\)/);
  assert.match(hoverMore('0x3/0xf', 'CONNMARK'), /connection's mark, then XORs 0x3 \(3\) into it/);
  assert.match(hoverMore('7', '--set-mark 7'), /sets the packet's mark to 0x7 \(7\)/);
  assert.match(hoverMore('0x10/0x3f'), /packet's TOS byte ANDed with 0x3f \(63\) is 0x10 \(16\)/);
  assert.match(hoverMore('0x08/0x0c'), /clears the bits of 0xc \(12\) in the packet's TOS byte, then XORs 0x8 \(8\) into it/);
});

test('a hashlimit rate as iptables reads it, for each group: bytes a second, or packets with the time between them', () => {
  assert.match(hoverMore('512kb/s'), /524,288 bytes \(512 KiB\) a second for each group/);
  assert.match(hoverMore('300/minute'), /5 packets a second .* one every 200 ms/);
  assert.match(hoverMore('100KB/s'), /100 packets a second/, 'not bytes: iptables reads it as packets');
  assert.match(hoverMore('2/hour'), /one packet every 1800 s/);
});

test('a time of day in UTC unless --kerneltz; a probability as one packet in so many; a length range in bytes', () => {
  assert.match(hoverMore('8:30'), /08:30:00 UTC/);
  assert.match(hoverMore('0.25'), /about one packet in 4 \(25%\)/);
  assert.match(hoverMore('0:64'), /packets of 0 to 64 bytes/);
  assert.match(hoverMore('1400:'), /packets of 1400 to 65535 bytes/);
});
