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

test('a whole-set rule that finds the same thing at each call of a function reports it once; one that differs by call names the call', () => {
  const text = ['limit() {', '  iptables -A INPUT -p tcp --dport "$1" -m hashlimit --hashlimit-name "$2" --hashlimit-upto "$3" -j ACCEPT', '}', 'limit 80 web 50/s', 'limit 443 web 50/s', 'limit 8080 web 100/s', 'limit 22 ssh 5/min', ''].join('\n');
  const found = new FirewallDocument(text, { dialect: 'script' }).diagnostics();
  const at = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  // the four calls accept what is over their limit further on: the same finding in the body, once
  assert.deepEqual(found.filter((d) => d.code === 'ineffective-limit').map((d) => at(d.span)), ['hashlimit']);
  assert.deepEqual(
    found.filter((d) => d.code === 'hashlimit-settings-ignored').map((d) => [d.span.start, at(d.span), (d.related ?? []).map((r) => at(r.span))]),
    // at the call that names the table, with the call that made it beside it
    [[text.indexOf('web 100/s'), 'web', ['limit 80 web 50/s']]],
  );
});
