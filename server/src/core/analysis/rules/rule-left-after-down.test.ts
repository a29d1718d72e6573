import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { FirewallDocument } from '../../facade.ts';
import { applyFixes } from '../../services/fixAll.ts';
import { ruleLeftAfterDown } from './rule-left-after-down.ts';

const wg = (lines: string) => `[Interface]\nAddress = 10.8.0.1/24\nListenPort = 51820\n${lines}\n[Peer]\nAllowedIPs = 10.8.0.2/32\n`;
const hooks = 'wg-quick' as const;
/** ifupdown stanzas: `iface NAME` with these option lines, in /etc/network/interfaces. */
const iface = (name: string, lines: string) => `auto ${name}\niface ${name} inet static\n    address 10.10.10.1/24\n${lines.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
const ifupdown = { hooks: 'ifupdown' as const, fileName: '/etc/network/interfaces' };

ruleTable(ruleLeftAfterDown, {
  valid: [
    { code: wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE'), hooks, name: 'every rule deleted again' },
    { code: wg('PostUp = iptables -I INPUT 1 -p udp --dport 51820 -j ACCEPT\nPostDown = iptables -D INPUT -p udp -m udp --dport 51820 -j ACCEPT'), hooks, name: 'the same rule written otherwise, and -I with a number' },
    { code: wg('PostUp = iptables -N WG; iptables -A WG -j ACCEPT; iptables -A FORWARD -i %i -j WG\nPostDown = iptables -D FORWARD -i %i -j WG; iptables -F WG; iptables -X WG'), hooks, name: 'a chain flushed and deleted' },
    { code: wg('PostUp = iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nPostDown = iptables -t nat -F POSTROUTING'), hooks, name: 'a flush of the chain' },
    { code: wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = /etc/wireguard/down.sh'), hooks, name: 'a down hook the model cannot read: silent' },
    { code: wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -D FORWARD 1'), hooks, name: 'a delete by number in the chain' },
    { code: wg('PostUp = iptables -C FORWARD -i %i -j ACCEPT || iptables -A FORWARD -i %i -j ACCEPT'), hooks, name: 'added only where missing: a second up adds none' },
    { code: wg('PostUp = ip rule add fwmark 51820 table 51820'), hooks, name: 'no iptables at all' },
    { code: wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -D FORWARD -o %i -j ACCEPT || true'), hooks, name: 'a delete of a rule no up line adds, whose failure is let through' },
    { code: 'iptables -A FORWARD -i wg0 -j ACCEPT\n', dialect: 'script', name: 'a script is not a configuration' },
    { code: '[Interface]\nPostUp = iptables -A FORWARD -i %i -j ACCEPT\n', dialect: 'script', name: 'read as a script, not as a configuration: nothing to compare' },
    { code: iface('vmbr1', "post-up iptables -t nat -A POSTROUTING -s '10.10.10.0/24' -o vmbr0 -j MASQUERADE\npost-down iptables -t nat -D POSTROUTING -s '10.10.10.0/24' -o vmbr0 -j MASQUERADE"), ...ifupdown, name: 'ifupdown: post-up and post-down in pairs' },
    { code: iface('vmbr1', 'up iptables -A FORWARD -i $IFACE -j ACCEPT\ndown iptables -D FORWARD -i vmbr1 -j ACCEPT'), ...ifupdown, name: 'ifupdown: $IFACE is the stanza\'s interface; up and down are post-up and pre-down' },
    { code: iface('vmbr1', 'post-up iptables -A FORWARD -i vmbr1 \\\n        -j ACCEPT\npre-down iptables -D FORWARD -i vmbr1 -j ACCEPT'), ...ifupdown, name: 'ifupdown: a line continued with a backslash' },
    { code: `${iface('vmbr1', 'post-up iptables -A FORWARD -i vmbr1 -j ACCEPT')}iface vmbr1 inet6 static\n    address fd00:10::1/64\n    post-down iptables -D FORWARD -i vmbr1 -j ACCEPT\n`, ...ifupdown, name: 'ifupdown: deleted by the inet6 stanza of the same interface, which ifdown runs too' },
    { code: iface('vmbr1', 'post-up iptables -A FORWARD -i vmbr1 -j ACCEPT\npost-down iptables -D FORWARD -i vmbr1 -j DROP\npost-down iptables -D FORWARD -i vmbr1 -j ACCEPT'), ...ifupdown, name: 'ifupdown: a -D of a rule no up line adds: ifdown goes on after it, to the next line' },
  ],
  invalid: [
    { code: wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT; «iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\nPostDown = iptables -D FORWARD -i %i -j ACCEPT'), hooks, name: 'one of two forgotten' },
    { code: wg('PostUp = «iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\nPostDown = «iptables -t nat -D POSTROUTING -o eth1 -j MASQUERADE»'), hooks, name: 'another interface deleted (the delete fails too)' },
    { code: wg('PostUp = «iptables -A FORWARD -i %i -j ACCEPT»\nPostDown = «iptables -D FORWARD -o %i -j ACCEPT»'), hooks, name: '-o for -i' },
    { code: wg('PreUp = «iptables -N WG»\nPostUp = iptables -A FORWARD -i %i -j WG\nPostDown = iptables -D FORWARD -i %i -j WG'), hooks, name: 'a chain made and never deleted' },
    { code: wg('PostUp = «ip6tables -A FORWARD -i %i -j ACCEPT»\nPostDown = «iptables -D FORWARD -i %i -j ACCEPT»'), hooks, name: 'deleted from the other family' },
    { code: wg('PostUp = «iptables -A FORWARD -i %i -j ACCEPT»'), hooks, name: 'no down hooks at all' },
    { code: wg('PostUp = «iptables -A FORWARD -i %i -j ACCEPT»; iptables -A FORWARD -o %i -j ACCEPT\nPostDown = «iptables -D FORWARD -i %i -j DROP»\nPostDown = iptables -D FORWARD -o %i -j ACCEPT'), hooks, name: 'a delete of a rule no up line adds: it fails and ends wg-quick down before the next line' },
    { code: iface('vmbr1', 'post-up «iptables -t nat -A PREROUTING -i vmbr0 -p tcp --dport 2222 -j DNAT --to 10.10.10.100:22»'), ...ifupdown, name: 'ifupdown: a port forward never deleted' },
    { code: iface('vmbr1', 'post-up «iptables -A FORWARD -i $IFACE -j ACCEPT»\npost-down iptables -D FORWARD -i vmbr0 -j ACCEPT'), ...ifupdown, name: 'ifupdown: $IFACE is vmbr1, not vmbr0' },
    { code: `${iface('vmbr1', 'post-up «iptables -A FORWARD -i vmbr1 -o vmbr2 -j ACCEPT»')}\n${iface('vmbr2', 'post-down iptables -D FORWARD -i vmbr1 -o vmbr2 -j ACCEPT')}`, ...ifupdown, name: 'ifupdown: deleted by another stanza, which ifdown of this interface does not run' },
  ],
});

test('the fix adds a PostDown line that deletes the rule, after the last one: nothing left to report', () => {
  const text = wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -I POSTROUTING 1 -o eth0 -j MASQUERADE\nPostDown = iptables -D FORWARD -i %i -j ACCEPT');
  const r = fixFirst(ruleLeftAfterDown, text, { hooks });
  assert.equal(r.left, 0);
  assert.match(r.text, /PostDown = iptables -D FORWARD -i %i -j ACCEPT\nPostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE\n\[Peer\]/);
});

test('ifupdown: the fix adds a post-down line in the stanza, indented as its lines: nothing left to report', () => {
  const text = `${iface('vmbr1', 'post-up iptables -A FORWARD -i $IFACE -j ACCEPT\npost-down iptables -t nat -F POSTROUTING')}\n${iface('vmbr2', 'post-up true')}`;
  const found = (t: string) => new FirewallDocument(t, { fileName: ifupdown.fileName }).diagnostics().filter((d) => d.code === ruleLeftAfterDown.code);
  const [finding] = found(text);
  const fixed = applyFixes(text, [finding.fixes![0]]).text;
  assert.match(fixed, /\n {4}post-down iptables -t nat -F POSTROUTING\n {4}post-down iptables -D FORWARD -i \$IFACE -j ACCEPT\n\nauto vmbr2/);
  assert.deepEqual(found(fixed), []);
});
