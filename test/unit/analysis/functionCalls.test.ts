import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';

/**
 * A function called several times is bound at each call (RuleSet.instances): what its
 * arguments make of its commands is reported once per place, and a finding inside the body
 * names the call it comes from.
 */
test('findings of a function bound at each call: at the argument, or in the body with the call beside it, each once', () => {
  const text = ['allow() {', '  iptables -A INPUT -p "$1" --dport "$2" -j ACCEPT', '}', 'allow tcp 22', 'allow icmp 22', 'allow icmp 22', 'allow tcp 99999', ''].join('\n');
  const found = new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.severity === 'error');
  const at = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  assert.deepEqual(
    found.map((d) => [d.code, at(d.span), (d.related ?? []).map((r) => at(r.span))]),
    [
      // both icmp calls make --dport wrong in the body: one finding, beside the first call
      ['option-requires-match', '--dport', ['allow icmp 22']],
      ['invalid-value', '99999', []],
    ],
  );
});

test('a function bound at each call makes no finding where its arguments are fine', () => {
  const text = ['open() {', '  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT', '  iptables -A INPUT -p udp --dport "$1" -j ACCEPT', '}', 'open 53', 'open 123', ''].join('\n');
  assert.deepEqual(new FirewallDocument(text, { dialect: 'script' }).diagnostics().map((d) => d.code), []);
});
