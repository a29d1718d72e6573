import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { ruleMatches } from '../../../server/src/core/simulate/conditions.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * `--tcp-flags MASK COMP` on the first packet of a new connection, its SYN (SYN alone set, as
 * `--syn` reads it): decided; on another packet, whose flags the evaluator does not know, not.
 */
const first = (line: string) => new FirewallDocument(`*filter\n${line}\nCOMMIT\n`, { dialect: 'save' }).ruleSet.tables.get('ipv4:filter')!.chains.get('FORWARD')!.rules[0];
const packet = (state: string) => parsePacketSpec(`proto=tcp dport=80 state=${state}`).packet!;

test('a new connection\'s packet is its SYN for --tcp-flags', () => {
  const cases: [string, string][] = [
    ['-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j ACCEPT', 'yes'],
    ['-A FORWARD -p tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT', 'yes'],
    ['-A FORWARD -p tcp --tcp-flags ALL SYN -j ACCEPT', 'yes'],
    ['-A FORWARD -p tcp --tcp-flags SYN,ACK SYN,ACK -j ACCEPT', 'no'],
    ['-A FORWARD -p tcp --tcp-flags ALL NONE -j DROP', 'no'],
    ['-A FORWARD -p tcp --tcp-flags SYN,FIN SYN,FIN -j DROP', 'no'],
    ['-A FORWARD -p tcp ! --tcp-flags SYN,RST SYN -j DROP', 'no'],
    ['-A FORWARD -p tcp --tcp-flags RST RST -j DROP', 'no'],
  ];
  for (const [line, want] of cases) assert.equal(ruleMatches(first(line), packet('NEW')), want, line);
  // an established connection's packet may be any: not decided
  assert.equal(ruleMatches(first('-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j ACCEPT'), packet('ESTABLISHED')), 'maybe');
});
