import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../../server/src/core/facade.ts';

/**
 * The port forward every router guide shows (eth0:80 → 192.168.1.100:8080): correct, it is
 * clean; with any part missing or wrong, the finding that explains why it does not work.
 */
const parts = {
  forwarding: 'sysctl net.ipv4.ip_forward=1\necho "net.ipv4.ip_forward=1" | tee -a /etc/sysctl.conf\n',
  policy: 'iptables -P FORWARD DROP\n',
  dnat: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n',
  established: 'iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n',
  accept: 'iptables -A FORWARD -i eth0 -o eth1 -p tcp --dport 8080 -d 192.168.1.100 -j ACCEPT\n',
};
type Parts = typeof parts;

function script(p: Parts): string {
  return '#!/bin/sh\n' + p.forwarding + p.policy + p.dnat + p.established + p.accept;
}

/** The same rules as an iptables-save file; forwarding comes from the workspace's sysctl.conf. */
function save(p: Parts): { text: string; forwarding: boolean } {
  const rule = (line: string) => line.replace(/^iptables (-t nat )?/, '').trim();
  const policy = /FORWARD DROP/.test(p.policy) ? 'DROP' : 'ACCEPT';
  const nat = p.dnat ? `-A ${rule(p.dnat).replace(/^-A /, '')}\n` : '';
  const filter = [p.established, p.accept].filter(Boolean).map((l) => `${rule(l)}\n`).join('');
  return { text: `*nat\n:PREROUTING ACCEPT [0:0]\n${nat}COMMIT\n*filter\n:FORWARD ${policy} [0:0]\n${filter}COMMIT\n`, forwarding: !!p.forwarding };
}

function codes(p: Parts, dialect: 'script' | 'save'): string[] {
  if (dialect === 'script') return [...new Set(lintText(script(p), { dialect: 'script' }).diagnostics.map((d) => d.code))].sort();
  const s = save(p);
  const settings = { workspaceSearched: true, workspaceForwarding: s.forwarding ? [{ family: 'ipv4' as const, value: '1', file: 'sysctl.conf' }] : [] };
  return [...new Set(lintText(s.text, { dialect: 'save', settings }).diagnostics.map((d) => d.code))].sort();
}

const cases: { name: string; change: Partial<Parts>; want: string[] }[] = [
  { name: 'the correct port forward', change: {}, want: [] },
  { name: 'as in the guide, FORWARD policy ACCEPT', change: { policy: '' }, want: [] },
  { name: 'forwarding never enabled', change: { forwarding: '' }, want: ['missing-ip-forward'] },
  { name: 'the public port accepted instead of the translated one', change: { accept: parts.accept.replace('--dport 8080', '--dport 80') }, want: ['dnat-without-forward-accept'] },
  { name: 'no FORWARD accept', change: { accept: '' }, want: ['dnat-without-forward-accept'] },
  { name: 'no ESTABLISHED,RELATED accept', change: { established: '' }, want: ['dnat-without-forward-accept', 'missing-established-rule'] },
  { name: 'DNAT in the wrong chain', change: { dnat: parts.dnat.replace('PREROUTING', 'POSTROUTING') }, want: ['target-not-allowed-here'] },
  { name: 'a typo in the target', change: { dnat: parts.dnat.replace('-j DNAT', '-j DANT') }, want: ['unknown-target'] },
];

for (const dialect of ['script', 'save'] as const) {
  for (const c of cases) {
    test(`seed (${dialect}): ${c.name}`, () => {
      assert.deepEqual(codes({ ...parts, ...c.change }, dialect), c.want);
    });
  }
}
