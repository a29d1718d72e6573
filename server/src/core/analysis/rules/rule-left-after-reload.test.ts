import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
import type { UfwSurroundings } from '../../model/ufwLoad.ts';
import { ruleLeftAfterReload } from './rule-left-after-reload.ts';

const before = '/etc/ufw/before.rules';
const nat = (lines: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${lines}\nCOMMIT\n*filter\n:ufw-before-input - [0:0]\n-A ufw-before-input -i lo -j ACCEPT\nCOMMIT\n`;
const DNAT = '-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80';
const MASQ = '-A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE';
/** /etc/default/ufw as read beside before.rules, with MANAGE_BUILTINS=yes. */
const managing = (): { settings: { workspaceUfw: UfwSurroundings } } => ({ settings: { workspaceUfw: { role: 'before', defaults: { file: '/etc/default/ufw', forwardPolicy: 'ACCEPT', manageBuiltins: true }, files: [] } } });

/** A Proxmox NAT bridge's stanza (read with ifupdown2) with these option lines. */
const vmbr = (lines: string, name = 'vmbr1') => `auto ${name}\niface ${name} inet static\n        address 10.10.10.1/24\n        bridge-ports none\n${lines.split('\n').map((l) => `        ${l}`).join('\n')}\n`;
const proxmox = { hooks: 'ifupdown' as const, fileName: '/etc/network/interfaces' };
const MASQ_CMD = 'iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE';

ruleTable(ruleLeftAfterReload, {
  valid: [
    { ...proxmox, code: vmbr(`post-up   iptables -t nat -C POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE 2>/dev/null || ${MASQ_CMD}\npost-down ${MASQ_CMD.replace('-A', '-D')}`), name: 'ifupdown2: added only where missing' },
    { ...proxmox, code: vmbr(`post-up   ${MASQ_CMD.replace('-A', '-D')} 2>/dev/null; ${MASQ_CMD}`), name: 'ifupdown2: deleted first on its line' },
    { ...proxmox, code: vmbr(`post-up   ${MASQ_CMD.replace('-A', '-D')} 2>/dev/null || true\npost-up   ${MASQ_CMD}`), name: 'ifupdown2: deleted first on a line before' },
    { ...proxmox, code: vmbr(`post-up   iptables -t nat -F POSTROUTING\npost-up   ${MASQ_CMD}`), name: 'ifupdown2: its chain emptied first' },
    { ...proxmox, code: vmbr(`post-up   ${MASQ_CMD}`, 'br0'), name: 'no Proxmox bridge: classic ifupdown, which has no ifreload' },
    { code: nat(`-F PREROUTING\n-F POSTROUTING\n${DNAT}\n${MASQ}`), fileName: before, name: 'each chain emptied above its rules' },
    { code: nat(`-F\n${DNAT}\n${MASQ}`), fileName: before, name: 'the whole table emptied above them' },
    { code: nat(':nat-forwards - [0:0]\n-A nat-forwards -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80\n-A PREROUTING -j nat-forwards'), fileName: before, name: 'rules in a chain of the file\'s own, declared (emptied) at each load, and the jump to it' },
    { code: nat('-A ufw-before-input -j ACCEPT').replace('*nat', '*filter').replace(':PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n', ':ufw-before-input - [0:0]\n'), fileName: before, name: 'ufw\'s own chains: ufw empties them' },
    { code: nat(`${DNAT}\n${MASQ}`), fileName: '/etc/iptables/rules.v4', name: 'not a ufw file: loaded without --noflush, each block starts from an empty table' },
    { code: nat(`${DNAT}\n${MASQ}`), fileName: before, options: managing(), name: 'MANAGE_BUILTINS=yes: ufw empties nat PREROUTING and POSTROUTING itself' },
    { code: '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -i wg0 -j ACCEPT\nCOMMIT\n', fileName: before, options: managing(), name: 'MANAGE_BUILTINS=yes: and every filter chain' },
    { code: `iptables -t nat ${DNAT}\n`, dialect: 'script', name: 'a script is not a ufw file' },
  ],
  invalid: [
    { ...proxmox, code: vmbr(`post-up   «${MASQ_CMD}»\npost-down ${MASQ_CMD.replace('-A', '-D')}`), name: 'ifupdown2: each ifreload adds it again, post-down or not' },
    { ...proxmox, code: vmbr(`up «iptables -I FORWARD -i vmbr1 -j ACCEPT»; «iptables -A FORWARD -o vmbr1 -j ACCEPT»\npost-up iptables -D INPUT -i vmbr1 -j DROP 2>/dev/null || true\npost-up «iptables -A INPUT -i vmbr1 -j ACCEPT»`), name: 'ifupdown2: -I too, each of a line; a delete of another rule does not count' },
    { code: nat(`«${DNAT}»`), fileName: before, name: 'a port forward in before.rules, as ufw\'s manual shows it' },
    { code: nat(`«${MASQ}»\n-A POSTROUTING -s 10.9.0.0/24 -o eth0 -j MASQUERADE\n«${DNAT}»`), fileName: before, name: 'one finding per chain, on its first rule' },
    { code: nat(`-F PREROUTING\n${DNAT}\n«${MASQ}»`), fileName: before, name: 'one chain emptied, the other not' },
    { code: nat(`«${DNAT}»\n-F PREROUTING\n-A PREROUTING -i eth0 -p tcp --dport 8081 -j DNAT --to-destination 192.168.1.11:80`), fileName: before, name: 'a flush below the rule does not help it' },
    { code: '*filter\n:FORWARD ACCEPT [0:0]\n«-I FORWARD 1 -i wg0 -j ACCEPT»\nCOMMIT\n', fileName: '/etc/ufw/after.rules', name: 'an insert into filter FORWARD in after.rules' },
    { code: nat('«-A PREROUTING -j nat-forwards»'), fileName: before, name: 'a jump to a chain the file does not declare' },
    { code: '*nat\n:POSTROUTING ACCEPT [0:0]\n«-A POSTROUTING -s fd00:8::/64 -o eth0 -j MASQUERADE»\nCOMMIT\n', fileName: '/etc/ufw/before6.rules', options: managing(), name: 'MANAGE_BUILTINS=yes leaves IPv6 nat alone' },
    { code: '*nat\n:INPUT ACCEPT [0:0]\n«-A INPUT -s 10.0.0.0/8 -j SNAT --to-source 10.0.0.1»\nCOMMIT\n', fileName: before, options: managing(), name: 'MANAGE_BUILTINS=yes leaves nat INPUT alone' },
    { code: '*raw\n:PREROUTING ACCEPT [0:0]\n«-A PREROUTING -p udp --dport 51820 -j NOTRACK»\nCOMMIT\n', fileName: before, options: managing(), name: 'nor raw' },
  ],
});

test('the other rules of the chain are in the related information', () => {
  const [d] = lintWith(ruleLeftAfterReload, nat(`${MASQ}\n-A POSTROUTING -s 10.9.0.0/24 -o eth0 -j MASQUERADE`), { fileName: before });
  assert.equal(d.related?.length, 1);
  assert.equal(nat(`${MASQ}\n-A POSTROUTING -s 10.9.0.0/24 -o eth0 -j MASQUERADE`).slice(d.related![0].span.start, d.related![0].span.end), '-A POSTROUTING -s 10.9.0.0/24 -o eth0 -j MASQUERADE');
});

test('the fix empties the chain above its first rule: nothing left to report for it', () => {
  const r = fixFirst(ruleLeftAfterReload, nat(`${DNAT}\n-A PREROUTING -i eth0 -p tcp --dport 8443 -j DNAT --to-destination 192.168.1.10:443`), { fileName: before });
  assert.equal(r.left, 0);
  assert.ok(r.text.includes(`:POSTROUTING ACCEPT [0:0]\n-F PREROUTING\n${DNAT}\n`), r.text);
});

test('ifupdown2: the fix adds the rule only where it is missing, and nothing is left to report', () => {
  const text = vmbr(`post-up   ${MASQ_CMD}`);
  const r = fixFirst(ruleLeftAfterReload, text, proxmox);
  assert.equal(r.left, 0);
  assert.ok(r.text.includes(`post-up   iptables -t nat -C POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE 2>/dev/null || ${MASQ_CMD}\n`), r.text);
});
