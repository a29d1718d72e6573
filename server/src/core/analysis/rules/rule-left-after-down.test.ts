import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { ruleLeftAfterDown } from './rule-left-after-down.ts';

const wg = (lines: string) => `[Interface]\nAddress = 10.8.0.1/24\nListenPort = 51820\n${lines}\n[Peer]\nAllowedIPs = 10.8.0.2/32\n`;
const hooks = 'wg-quick' as const;

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
  ],
  invalid: [
    { code: wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT; «iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\nPostDown = iptables -D FORWARD -i %i -j ACCEPT'), hooks, name: 'one of two forgotten' },
    { code: wg('PostUp = «iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\nPostDown = «iptables -t nat -D POSTROUTING -o eth1 -j MASQUERADE»'), hooks, name: 'another interface deleted (the delete fails too)' },
    { code: wg('PostUp = «iptables -A FORWARD -i %i -j ACCEPT»\nPostDown = «iptables -D FORWARD -o %i -j ACCEPT»'), hooks, name: '-o for -i' },
    { code: wg('PreUp = «iptables -N WG»\nPostUp = iptables -A FORWARD -i %i -j WG\nPostDown = iptables -D FORWARD -i %i -j WG'), hooks, name: 'a chain made and never deleted' },
    { code: wg('PostUp = «ip6tables -A FORWARD -i %i -j ACCEPT»\nPostDown = «iptables -D FORWARD -i %i -j ACCEPT»'), hooks, name: 'deleted from the other family' },
    { code: wg('PostUp = «iptables -A FORWARD -i %i -j ACCEPT»'), hooks, name: 'no down hooks at all' },
    { code: wg('PostUp = «iptables -A FORWARD -i %i -j ACCEPT»; iptables -A FORWARD -o %i -j ACCEPT\nPostDown = «iptables -D FORWARD -i %i -j DROP»\nPostDown = iptables -D FORWARD -o %i -j ACCEPT'), hooks, name: 'a delete of a rule no up line adds: it fails and ends wg-quick down before the next line' },
  ],
});

test('the fix adds a PostDown line that deletes the rule, after the last one: nothing left to report', () => {
  const text = wg('PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -I POSTROUTING 1 -o eth0 -j MASQUERADE\nPostDown = iptables -D FORWARD -i %i -j ACCEPT');
  const r = fixFirst(ruleLeftAfterDown, text, { hooks });
  assert.equal(r.left, 0);
  assert.match(r.text, /PostDown = iptables -D FORWARD -i %i -j ACCEPT\nPostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE\n\[Peer\]/);
});
