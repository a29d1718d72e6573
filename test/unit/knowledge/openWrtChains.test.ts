import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fw3Chain, fw3UserChain, fw3UserChainCaller } from '../../../server/src/core/knowledge/openWrtChains.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';

/** The chains fw3 makes (its defaults.c and zones.c), for a router with zones lan and wan; and names it does not make. */
test('fw3\'s chains by table: the defaults, each zone\'s, the custom ones; nothing else', () => {
  const made: [string, string][] = [
    ...['delegate_input', 'delegate_output', 'delegate_forward', 'reject', 'syn_flood', 'input_rule', 'output_rule', 'forwarding_rule'].map((n) => ['filter', n] as [string, string]),
    ...['lan', 'wan'].flatMap((z) => [`zone_${z}_input`, `zone_${z}_output`, `zone_${z}_forward`, `zone_${z}_src_ACCEPT`, `zone_${z}_src_REJECT`, `zone_${z}_src_DROP`, `zone_${z}_dest_ACCEPT`, `zone_${z}_dest_REJECT`, `zone_${z}_dest_DROP`, `input_${z}_rule`, `output_${z}_rule`, `forwarding_${z}_rule`].map((n) => ['filter', n] as [string, string])),
    ...['delegate_prerouting', 'delegate_postrouting', 'prerouting_rule', 'postrouting_rule', 'zone_wan_prerouting', 'zone_wan_postrouting', 'prerouting_wan_rule', 'postrouting_lan_rule'].map((n) => ['nat', n] as [string, string]),
    ['mangle', 'mssfix'], ['mangle', 'fwmark'], ['raw', 'delegate_notrack'], ['raw', 'zone_lan_notrack'], ['raw', 'zone_lan_helper'],
  ];
  for (const [table, name] of made) assert.equal(fw3Chain(table, name), true, `${table} ${name}`);
  const not: [string, string][] = [['nat', 'input_rule'], ['filter', 'prerouting_rule'], ['filter', 'zone_wan_src_ALLOW'], ['filter', 'my_rules'], ['filter', 'REJECT'], ['filter', 'zone_wan'], ['mangle', 'reject'], ['security', 'input_rule'], ['filter', 'toString']];
  for (const [table, name] of not) assert.equal(fw3Chain(table, name), false, `${table} ${name}`);
  assert.deepEqual(['input_rule', 'forwarding_wan_rule', 'zone_wan_forward', 'reject'].map(fw3UserChain), [true, true, false, false]);
  assert.deepEqual(['input_rule', 'forwarding_wan_rule', 'postrouting_lan_rule', 'reject'].map(fw3UserChainCaller), ['INPUT', 'zone_wan_forward', 'zone_lan_postrouting', undefined]);
});

test('hover in OpenWrt\'s firewall.user: fw3\'s chain is made before the file runs, and where fw3 jumps to it from', () => {
  const text = 'iptables -A input_wan_rule -p tcp --dport 51413 -j ACCEPT\niptables -A zone_wan_forward -j ACCEPT\n';
  const hover = (fileName: string, word: string) => hoverAt(new FirewallDocument(text, { fileName }), text.indexOf(word) + 2)?.markdown ?? '';
  assert.match(hover('/etc/firewall.user', 'input_wan_rule'), /Made by OpenWrt's firewall \(fw3\) for rules of your own[\s\S]*Reached from fw3's own rule in zone_wan_input\./);
  assert.match(hover('/etc/firewall.user', 'zone_wan_forward'), /made anew at each restart \(after which it runs this file again\)\. fw3 is OpenWrt's firewall up to 21\.02; fw4 \(22\.03 on\) writes nftables rules and makes no such chain\.[\s\S]*Reached from fw3's own rules\./);
  assert.match(hover('/root/fw.sh', 'input_wan_rule'), /Never declared/);
});
