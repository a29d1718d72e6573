import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { ruleMatches } from '../../../server/src/core/simulate/conditions.ts';
import { candidateRules, INDEX_FROM, parseExactIPv4 } from '../../../server/src/core/simulate/addressIndex.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

test('exact IPv4 keys: dotted quads only, no leading zeros, each part at most 255', () => {
  assert.equal(parseExactIPv4('10.96.1.2'), (10 * 256 ** 3) + (96 * 256 ** 2) + 1 * 256 + 2);
  assert.equal(parseExactIPv4('255.255.255.255'), 2 ** 32 - 1);
  assert.equal(parseExactIPv4('0.0.0.0'), 0);
  assert.equal(parseExactIPv4('10.0.0.1/32', 8), parseExactIPv4('10.0.0.1'));
  for (const bad of ['10.0.0', '10.0.0.1.2', '10.0.0.256', '010.0.0.1', '10..0.1', '10.0.0.', 'a.b.c.d', '10.0.0.1/24', '', '::1', '10.0.0.1,10.0.0.2']) {
    assert.equal(parseExactIPv4(bad), -1, bad);
  }
});

/** A chain large enough to be indexed, with every kind of destination test. */
function bigChain() {
  const kinds = ['-d 10.1.0.7', '-d 10.1.0.7/32', '-d 10.1.0.0/24', '! -d 10.1.0.7', '-d 10.1.0.7,10.1.0.8', '', '-d 10.1.0.8', '-d 010.1.0.7', '-d 10.1.0.7/255.255.255.255', '-d $ADDR'];
  let text = '*filter\n:INPUT ACCEPT [0:0]\n';
  for (let i = 0; i < INDEX_FROM * 2; i++) text += `-A INPUT ${kinds[i % kinds.length]} -p tcp --dport ${1000 + i} -j ACCEPT\n`;
  text += 'COMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  return doc.ruleSet.tables.get('ipv4:filter')!.chains.get('INPUT')!;
}

test('the index only leaves out rules that cannot match, and keeps rule order', () => {
  const chain = bigChain();
  for (const dst of ['10.1.0.7', '10.1.0.8', '10.1.0.9', '192.0.2.1']) {
    const packet = parsePacketSpec(`proto=tcp dst=${dst}`).packet!;
    const cands = candidateRules(chain, dst)!;
    assert.ok(cands, 'a chain this large is indexed');
    assert.deepEqual(cands, [...cands].sort((a, b) => a - b), 'in rule order');
    const left = new Set(cands);
    chain.rules.forEach((r, i) => {
      if (!left.has(i)) assert.equal(ruleMatches(r, packet), 'no', `rule ${i} (${r.destination?.value}) left out for ${dst}`);
    });
    // the exact-address rules for this destination are all there
    const exact = chain.rules.flatMap((r, i) => (r.destination && !r.destination.negated && (r.destination.value === dst || r.destination.value === `${dst}/32`) ? [i] : []));
    assert.ok(exact.every((i) => left.has(i)));
  }
});

test('small chains and unknown or non-IPv4 destinations are not indexed', () => {
  const chain = bigChain();
  assert.equal(candidateRules(chain, undefined), undefined);
  assert.equal(candidateRules(chain, '2001:db8::1'), undefined);
  const small = new FirewallDocument('*filter\n-A INPUT -d 10.0.0.1 -j ACCEPT\nCOMMIT\n', { dialect: 'save' }).ruleSet.tables.get('ipv4:filter')!.chains.get('INPUT')!;
  assert.equal(candidateRules(small, '10.0.0.1'), undefined);
});

test('a chain where no rule tests one address gives every rule, without a list of them', () => {
  // a FORWARD of jumps to per-server chains: a list of all its rules, made each time the walk
  // came back from a jump, made the DNAT check cubic (90 s for 2,500 port forwards)
  const lines = ['*filter', ':FORWARD DROP [0:0]'];
  for (let i = 0; i < INDEX_FROM * 2; i++) lines.push(`:f${i} - [0:0]`, `-A FORWARD -i eth0 -j f${i}`, `-A f${i} -d 10.1.${i >> 8}.${i & 255} -j ACCEPT`);
  lines.push('COMMIT', '');
  const forward = new FirewallDocument(lines.join('\n'), { dialect: 'save' }).ruleSet.tables.get('ipv4:filter')!.chains.get('FORWARD')!;
  assert.equal(candidateRules(forward, '10.1.0.7'), undefined);
  assert.equal(candidateRules(forward, '10.1.0.7', '192.0.2.1'), undefined);
});

test('the same address asked again is answered with the list made for it', () => {
  const chain = bigChain();
  const first = candidateRules(chain, '10.1.0.7')!;
  const copy = [...first];
  assert.equal(candidateRules(chain, '10.1.0.7'), first, 'the walk comes back to the chain after each jump with the same packet');
  const other = candidateRules(chain, '10.1.0.8')!;
  assert.notDeepEqual(other, copy);
  assert.deepEqual(candidateRules(chain, '10.1.0.7'), copy, 'another address in between');
});

test('a chain whose rule list changes is indexed again', () => {
  const chain = bigChain();
  const before = candidateRules(chain, '10.1.0.9')!.length;
  chain.rules = [...chain.rules, chain.rules[5]];
  assert.equal(candidateRules(chain, '10.1.0.9')!.length, before + 1, 'a rule without destination test is a candidate');
});

/** Every rule the index leaves out must be one the packet cannot match; the list is in rule order. */
function assertSound(chain: ReturnType<typeof bigChain>, spec: string, cands: number[] | undefined): void {
  assert.ok(cands, `indexed for ${spec}`);
  assert.deepEqual(cands, [...cands].sort((a, b) => a - b), 'in rule order');
  const packet = parsePacketSpec(spec).packet!;
  const left = new Set(cands);
  chain.rules.forEach((r, i) => {
    if (!left.has(i)) assert.equal(ruleMatches(r, packet), 'no', `rule ${i} (-s ${r.source?.value} -d ${r.destination?.value}) left out for ${spec}`);
  });
}

function chainOf(lines: string[]) {
  const doc = new FirewallDocument(`*filter\n:FORWARD DROP [0:0]\n${lines.map((l) => `-A FORWARD ${l}\n`).join('')}COMMIT\n`, { dialect: 'save' });
  return doc.ruleSet.tables.get('ipv4:filter')!.chains.get('FORWARD')!;
}

test('networks are indexed by prefix: host bits ignored as iptables does, /0 and masks stay generic', () => {
  const kinds = ['-d 10.1.0.0/24', '-d 10.1.0.7/24', '-d 10.0.0.0/8', '-d 10.1.0.0/0', '-d 10.1.0.0/255.255.255.0', '-d 10.1.0.128/25', '-d 172.16.0.0/12', '-d 10.1.0.7', ''];
  const chain = chainOf(Array.from({ length: INDEX_FROM * 2 }, (_, i) => `${kinds[i % kinds.length]} -p tcp --dport ${1000 + i} -j ACCEPT`));
  for (const dst of ['10.1.0.9', '10.1.0.200', '10.9.9.9', '172.20.1.1', '192.0.2.1', '10.1.0.7']) assertSound(chain, `proto=tcp dst=${dst}`, candidateRules(chain, dst));
  const far = candidateRules(chain, '192.0.2.1')!;
  const near = candidateRules(chain, '10.1.0.9')!;
  assert.ok(far.length < near.length, 'a destination outside the networks leaves their rules out');
  // 10.1.0.9 is in 10.1.0.0/24 (written both ways), 10.0.0.0/8, and not in 10.1.0.128/25
  const written = (i: number) => chain.rules[i].destination?.value;
  assert.ok(near.some((i) => written(i) === '10.1.0.7/24') && near.some((i) => written(i) === '10.0.0.0/8'));
  assert.ok(!near.some((i) => written(i) === '10.1.0.128/25' || written(i) === '172.16.0.0/12'));
});

test('a blocklist of sources is indexed by source when most rules test no destination', () => {
  const lines = Array.from({ length: 5000 }, (_, i) => `-s ${10 + (i % 3)}.${(i >> 8) & 255}.${i & 255}.0/24 -j DROP`);
  lines.push('-d 192.0.2.10 -p tcp --dport 443 -j ACCEPT', '-j LOG');
  const chain = chainOf(lines);
  for (const spec of ['src=11.4.7.9 dst=192.0.2.10', 'src=203.0.113.5 dst=192.0.2.10', 'src=10.0.1.1', 'src=12.19.136.1 dst=198.51.100.1']) {
    const p = parsePacketSpec(`proto=tcp dport=443 ${spec}`).packet!;
    const cands = candidateRules(chain, p.dst, p.src);
    assertSound(chain, `proto=tcp dport=443 ${spec}`, cands);
    assert.ok(cands!.length <= 4, `${spec}: ${cands!.length} candidates, not a walk of the whole list`);
  }
  // with only a destination known, the destination index still answers (every source rule is generic there)
  assert.equal(candidateRules(chain, '192.0.2.10')!.length, chain.rules.length);
  // neither address known: no index
  assert.equal(candidateRules(chain, undefined, undefined), undefined);
});

test('a host\'s accepts, one port each, are indexed by the port they require', () => {
  // `-p tcp --dport 1000 -m limit … -j ACCEPT` and its drop, for thousands of ports: the limit
  // checks follow each rule's packet from the chain's head, which walked every rule above it
  const kinds = ['-p tcp --dport P', '-p udp --dport P', '-p tcp -m tcp --dport P', '-p tcp --dport 1000:2000', '-p tcp ! --dport P', '-p tcp -m multiport --dports P,443', '-p tcp -m multiport --dports P', '-p tcp --sport P', '-p tcp --dport $PORT', '-i eth0', '-p tcp --dport ssh', '-p sctp --dport P', '-p tcp -m tcp ! --dport P -m multiport --dports P'];
  const lines: string[] = [];
  for (let i = 0; i < INDEX_FROM * 4; i++) lines.push(`${kinds[i % kinds.length].replace(/P/g, String(1000 + (i % 300)))} -j ${i % 2 ? 'ACCEPT' : 'DROP'}`);
  const chain = chainOf(lines);
  for (const spec of ['proto=tcp dport=1000', 'proto=udp dport=1000', 'proto=tcp dport=1299', 'proto=tcp dport=22', 'proto=tcp dport=443', 'proto=tcp dport=1500 dst=10.0.0.1', 'proto=sctp dport=1007', 'proto=tcp sport=1000 dport=5']) {
    const p = parsePacketSpec(spec).packet!;
    const cands = candidateRules(chain, p.dst, p.src, p.dport);
    assertSound(chain, spec, cands);
    // six kinds of thirteen test no one port (ranges, lists, negations, expansions, other fields): those and the port's own
    assert.ok(cands!.length < chain.rules.length * 0.6, `${spec}: ${cands!.length} of ${chain.rules.length} candidates`);
  }
  // a port not known: no index
  assert.equal(candidateRules(chain, undefined, undefined, undefined), undefined);
  // a chain of addresses is not indexed by port when its address index narrows it
  const blocklist = chainOf(Array.from({ length: INDEX_FROM * 2 }, (_, i) => `-s 10.0.${i >> 8}.${i & 255} -p tcp --dport ${1000 + i} -j DROP`));
  const bySource = candidateRules(blocklist, '192.0.2.1', '10.0.0.7', 1007)!;
  assert.deepEqual(bySource, [7]);
});
