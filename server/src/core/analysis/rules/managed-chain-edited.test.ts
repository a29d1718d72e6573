import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { managedChainEdited } from './managed-chain-edited.ts';

const script = { dialect: 'script' as const };

ruleTable(managedChainEdited, {
  valid: [
    { ...script, code: 'iptables -I DOCKER-USER -i eth0 -p tcp -m conntrack --ctorigdstport 5432 -j DROP\niptables -I FORWARD -j DOCKER-USER\n', name: 'DOCKER-USER is made for rules of one\'s own' },
    { ...script, code: 'iptables -N KUBE-LOCAL\niptables -A KUBE-LOCAL -j RETURN\niptables -t nat -N DOCKER\niptables -t nat -A DOCKER -j RETURN\n', name: 'chains the script creates itself' },
    { ...script, code: 'iptables -L DOCKER -n\niptables -C DOCKER -j RETURN\niptables -A FORWARD -o docker0 -j DOCKER\n', name: 'listing, checking or jumping to them' },
    { code: table('filter', ':DOCKER - [0:0]\n:KUBE-FORWARD - [0:0]\n-A DOCKER -d 172.17.0.2/32 -p tcp --dport 80 -j ACCEPT\n-A KUBE-FORWARD -j ACCEPT'), name: 'an iptables-save file holds them as the programs wrote them' },
    { ...script, code: 'iptables-restore -n <<EOF\n*filter\n-A DOCKER -j RETURN\nCOMMIT\nEOF\n', name: 'a restore input' },
    { ...script, code: 'iptables -t mangle -A DOCKER -j RETURN\n', name: 'not a chain Docker makes in that table' },
    { ...script, code: 'iptables -N IN_lan\niptables -A IN_lan -j ACCEPT\niptables -N PRE_allow\niptables -A PRE_allow -j RETURN\n', name: 'chains named like firewalld\'s without their suffix, made by the script' },
  ],
  invalid: [
    { code: 'iptables -A «PVEFW-FORWARD» -i vmbr1 -j ACCEPT\niptables -I «tap100i0-IN» -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'Proxmox VE\'s firewall\'s chains: pve-firewall puts them back every ten seconds' },
    { ...script, code: 'iptables -A «DOCKER» -s 198.51.100.0/24 -p tcp --dport 5432 -j ACCEPT\niptables -I «DOCKER-ISOLATION-STAGE-1» -j RETURN\niptables -t nat -A «DOCKER» -p tcp --dport 80 -j DNAT --to-destination 172.17.0.2\n', name: 'Docker\'s chains, filter and nat' },
    { ...script, code: 'iptables -t nat -I «KUBE-SERVICES» -j RETURN\niptables -D «KUBE-FORWARD» -j ACCEPT\niptables -F «ufw-user-input»\niptables -A «f2b-sshd» -s 203.0.113.5 -j REJECT\nip6tables -X «ufw6-user-input»\n', name: 'kube-proxy, ufw and fail2ban' },
    { ...script, code: 'iptables -I «INPUT_direct» -p tcp --dport 8080 -j ACCEPT\niptables -A «IN_public_allow» -p tcp --dport 443 -j ACCEPT\niptables -t nat -A «PRE_FedoraWorkstation_deny» -j RETURN\niptables -A «FORWARD_IN_ZONES» -i eth1 -j FWDI_home\n', name: 'firewalld\'s direct, zone and dispatch chains' },
  ],
});

test('managed-chain-edited fix: into DOCKER-USER, at its head', () => {
  const fixed = (text: string) => applyFix(text, lintWith(managedChainEdited, text, script)[0].fixes![0]);
  assert.equal(fixed('iptables -A DOCKER -s 198.51.100.0/24 -j ACCEPT\n'), 'iptables -I DOCKER-USER -s 198.51.100.0/24 -j ACCEPT\n');
  assert.equal(fixed('sudo iptables -I DOCKER 3 -p tcp -j DROP\n'), 'sudo iptables -I DOCKER-USER -p tcp -j DROP\n');
  const nat = lintWith(managedChainEdited, 'iptables -t nat -A DOCKER -j RETURN\n', script)[0];
  assert.ok(!nat.fixes?.some((f) => f.title.includes('DOCKER-USER')), 'no DOCKER-USER in nat');
});
