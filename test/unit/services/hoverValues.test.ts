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
