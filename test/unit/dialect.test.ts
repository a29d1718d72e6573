import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectDialect } from '../../server/src/core/dialect.ts';

/** How a file is read without a --dialect: the name first, content that calls iptables over a save name. */
test('dialect detection: name, then content; a save name gives way to a text that calls iptables', () => {
  const cases: [name: string | undefined, text: string, dialect: 'save' | 'script'][] = [
    ['rules.v4', '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', 'save'],
    ['rules.v4', '', 'save'],
    ['rules.v4', '# iptables rules for the gateway\n*nat\nCOMMIT\n', 'save'],
    ['nat.iptables', '-A FORWARD -j DOCKER-USER\n', 'save'],
    // libvirt's test data: commands with one option a line, named *.iptables
    ['nat-many-ips-linux.iptables', 'iptables \\\n-w \\\n--table filter \\\n--insert LIBVIRT_INP \\\n--jump ACCEPT\n', 'script'],
    // another command first (the quick fix for missing-ip-forward puts a sysctl line there)
    ['nat-many-ips-linux.iptables', 'sysctl -w net.ipv4.ip_forward=1\niptables \\\n-w \\\n--table nat \\\n--insert LIBVIRT_PRT \\\n--jump MASQUERADE\n', 'script'],
    ['rules.v4', 'modprobe nf_conntrack\n*filter\nCOMMIT\n', 'save'],
    ['rules.v4', '*filter\n-A INPUT -j ACCEPT\n# iptables -A INPUT -j DROP\nCOMMIT\n', 'save'],
    ['before.rules', '\n# set up\nsudo iptables -A INPUT -j ACCEPT\n', 'script'],
    ['rules.v6', '/usr/sbin/ip6tables-legacy -P INPUT DROP\n', 'script'],
    ['rules.v4', 'iptables-nft -F\n', 'script'],
    ['rules.v4', '#!/bin/sh\n*filter\n', 'script'],
    // a word that starts like the tool is not a call of it
    ['rules.v4', 'iptablesfoo -A\n', 'save'],
    ['fw.sh', '*filter\nCOMMIT\n', 'script'],
    [undefined, '*filter\nCOMMIT\n', 'save'],
    [undefined, 'iptables -A INPUT -j DROP\n', 'script'],
  ];
  for (const [name, text, dialect] of cases) assert.equal(detectDialect(text, name), dialect, `${name}: ${JSON.stringify(text)}`);
});
