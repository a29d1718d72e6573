import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { failureStopsScript } from './failure-stops-script.ts';

const script = { dialect: 'script' as const };
const rest = 'iptables -N LOGDROP\niptables -A LOGDROP -j DROP\n';
/** An ifupdown stanza (not a Proxmox bridge) with these option lines: ifup runs each with sh -c, and stops at one that fails. */
const ifupdown = { hooks: 'ifupdown' as const, fileName: '/etc/network/interfaces' };
const iface = (lines: string) => `iface br1 inet static\n\taddress 10.10.10.1/24\n${lines.split('\n').map((l) => `\t${l}`).join('\n')}\n`;
const masq = 'iptables -t nat -D POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE 2>/dev/null';

ruleTable(failureStopsScript, {
  valid: [
    { dialect: 'script', fileName: '/etc/firewall.user', code: 'set -e\niptables -F input_wan_rule 2>/dev/null\niptables -A input_wan_rule -p tcp --dport 22 -j ACCEPT\n', name: 'OpenWrt\'s firewall.user: fw3 made the chain it empties' },
    { ...script, code: `iptables -F LOGDROP 2>/dev/null\niptables -X LOGDROP 2>/dev/null\n${rest}`, name: 'without set -e: the script goes on' },
    { ...script, code: `set -e\niptables -F LOGDROP 2>/dev/null || true\niptables -X LOGDROP 2>/dev/null || :\n${rest}`, name: '|| true' },
    { ...script, code: `set -e\nif iptables -L LOGDROP >/dev/null 2>&1; then iptables -F LOGDROP; fi\n${rest}`, name: 'the test of an if' },
    { ...script, code: `set -e\niptables -F LOGDROP 2>/dev/null && iptables -X LOGDROP 2>/dev/null || true\n${rest}`, name: 'a list the shell does not stop on' },
    { ...script, code: `set -e\niptables -F\niptables -X\n${rest}iptables -F LOGDROP 2>/dev/null\n`, name: 'a chain that exists by then' },
    { ...script, code: `set -e\nset +e\niptables -F LOGDROP 2>/dev/null\n${rest}`, name: 'set +e' },
    { ...script, code: `set -e\niptables -F DOCKER-USER 2>/dev/null\n`, name: 'a chain another program makes' },
    { ...script, code: `set -e\n. /etc/firewall/chains.sh\niptables -F OLDCHAIN 2>/dev/null\n`, name: 'a sourced file may make it' },
    { ...script, code: `set -e\nipset create blocklist hash:net\nipset destroy blocklist 2>/dev/null\n`, name: 'a set that exists by then' },
    { ...script, code: `set -e\niptables -F INPUT 2>/dev/null\n`, name: 'a built-in chain' },
    { ...ifupdown, code: iface(`post-up ${masq}; iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE`), name: 'ifupdown: a clean-up before another command of its line: the line\'s status is the last one\'s' },
    { ...ifupdown, code: iface(`post-up iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE\npost-down ${masq}\npost-down ${masq}`), name: 'ifupdown: down lines: ifdown goes on after one that fails' },
    { ...ifupdown, code: iface(`post-up ${masq}\npost-up iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE`).replace('iface br1', 'iface vmbr1'), name: 'ifupdown2 (a Proxmox bridge): it warns about a line that fails and goes on' },
  ],
  invalid: [
    { ...ifupdown, code: iface(`post-up «${masq}»\npost-up iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE`), name: 'ifupdown: a clean-up line of its own ends ifup on a fresh host' },
    { ...script, code: `set -e\n«iptables -F LOGDROP 2>/dev/null»\n«iptables -X LOGDROP 2>/dev/null»\n${rest}`, name: 'clean-up of a chain made further down' },
    { ...script, code: `#!/bin/sh -e\n«iptables -X OLDCHAIN >/dev/null 2>&1»\n${rest}`, name: '-e on the #! line, a chain the script never makes' },
    { ...script, code: `set -euo pipefail\n«ipset destroy blocklist 2>/dev/null»\nipset create blocklist hash:net\niptables -A INPUT -m set --match-set blocklist src -j DROP\n`, name: 'ipset destroy of a set not there yet' },
    { ...script, code: `set -o errexit\n«iptables -D INPUT -p tcp --dport 22 -j ACCEPT 2>/dev/null»\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n`, name: 'a -D of a rule not there, on tables started empty', },
  ],
});

test('failure-stops-script fix: || true after the command', () => {
  const text = `set -e\niptables -F LOGDROP 2>/dev/null\n${rest}`;
  const [d] = lintWith(failureStopsScript, text, script);
  const out = applyFix(text, d.fixes![0]);
  assert.equal(out, `set -e\niptables -F LOGDROP 2>/dev/null || true\n${rest}`);
  assert.deepEqual(lintWith(failureStopsScript, out, script), []);
});
