import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendOf, describePreflight, parsePreflight, preflightProblems, preflightTools, usesSudo } from './preflight.ts';

const all = ['iptables-restore', 'iptables-save', 'ip6tables-restore', 'ip6tables-save', 'iptables-nft-restore', 'iptables-nft-save', 'ip6tables-nft-restore', 'ip6tables-nft-save', 'iptables-legacy-restore', 'iptables-legacy-save', 'ip6tables-legacy-restore', 'ip6tables-legacy-save', 'unshare', 'setsid', 'nohup'];

test('backend from iptables -V', () => {
  assert.equal(backendOf('iptables v1.8.9 (nf_tables)'), 'nft');
  assert.equal(backendOf('iptables v1.8.7 (legacy)'), 'legacy');
  assert.equal(backendOf('iptables v1.6.1'), 'legacy');
  assert.equal(backendOf('sh: 1: iptables: not found'), undefined);
  assert.equal(backendOf('iptables v1.8.9 (something)'), undefined);
});

test('the preflight report is read, and the tools follow the backend', () => {
  const p = parsePreflight(['uid=0', 'sudo=root', 'iptables=iptables v1.8.9 (legacy)', ...all.map((t) => `have=${t}`), 'ip_forward=1', 'ipv6_forwarding=0', 'connection=10.200.77.1 40000 10.200.77.2 22', 'route=10.200.77.1 dev eth0 src 10.200.77.2 uid 0', 'junk'].join('\n'));
  assert.equal(p.uid, 0);
  assert.equal(p.backend, 'legacy');
  assert.equal(p.ipForward, '1');
  assert.equal(p.ipv6Forwarding, '0');
  assert.deepEqual(p.connection, { clientIp: '10.200.77.1', clientPort: 40000, serverIp: '10.200.77.2', serverPort: 22 });
  assert.equal(p.interface, 'eth0');
  assert.equal(p.routeLocalnet, undefined);
  const localnet = parsePreflight(['route_localnet=all 0', 'route_localnet=eth0.100 1', 'route_localnet=broken', 'route_localnet=eth1 x'].join('\n'));
  assert.deepEqual([...localnet.routeLocalnet!], [['all', '0'], ['eth0.100', '1']]);
  assert.deepEqual(preflightTools(p).restore, { ipv4: 'iptables-legacy-restore', ipv6: 'ip6tables-legacy-restore' });
  assert.deepEqual(preflightProblems(p, ['ipv4', 'ipv6']), []);
  // an old host without the -legacy names uses the plain ones
  const old = parsePreflight(['sudo=root', 'iptables=iptables v1.6.1', 'have=iptables-restore', 'have=iptables-save', 'have=setsid', 'have=nohup'].join('\n'));
  assert.deepEqual(preflightTools(old).save, { ipv4: 'iptables-save', ipv6: 'ip6tables-save' });
  assert.deepEqual(preflightProblems(old, ['ipv4']), []);
  assert.equal(preflightProblems(old, ['ipv4', 'ipv6']).length, 2);
  // one line for the CLI and the output channel: version (with the backend), login, forwarding, this connection
  const line = describePreflight(p);
  for (const part of ['iptables v1.8.9 (legacy)', 'root login', 'ip_forward=1', 'ipv6 forwarding=0', '10.200.77.1', 'port 22', 'via eth0']) assert.ok(line.includes(part), `${part} in ${line}`);
  const plain = describePreflight(parsePreflight(['sudo=yes', 'iptables=iptables v1.8.9 (nf_tables)'].join('\n')));
  assert.ok(plain.includes('sudo -n') && plain.includes('ip_forward=?') && !plain.includes('client'), plain);
});

test('preflight problems: no iptables, no root, no sudo, missing tools', () => {
  const base = ['iptables=iptables v1.8.9 (nf_tables)', ...all.map((t) => `have=${t}`)];
  assert.match(preflightProblems(parsePreflight('sudo=root\n'), ['ipv4']).join(), /not installed/);
  assert.match(preflightProblems(parsePreflight(['sudo=root', 'iptables=iptables v9 (odd)'].join('\n')), ['ipv4']).join(), /backend/);
  assert.match(preflightProblems(parsePreflight([...base, 'sudo=no'].join('\n')), ['ipv4']).join(), /root/);
  assert.match(preflightProblems(parsePreflight([...base, 'sudo=yes'].join('\n')), ['ipv4'], false).join(), /not to use sudo/);
  assert.deepEqual(preflightProblems(parsePreflight([...base, 'sudo=yes'].join('\n')), ['ipv4']), []);
  const noSetsid = parsePreflight([...base.filter((l) => l !== 'have=setsid'), 'sudo=root'].join('\n'));
  assert.match(preflightProblems(noSetsid, ['ipv4']).join(), /setsid/);
  assert.equal(usesSudo(parsePreflight('sudo=yes'), undefined), true);
  assert.equal(usesSudo(parsePreflight('sudo=root'), undefined), false);
  assert.equal(usesSudo(parsePreflight('sudo=root'), true), true);
  assert.equal(usesSudo(parsePreflight('sudo=yes'), false), false);
});

test('the preflight report: malformed and empty values are left out, never guessed', () => {
  const p = parsePreflight(['uid=abc', 'sudo=maybe', '=stray', 'no equals sign', 'iptables=iptables v1.8.9 (nf_tables)', 'ip_forward=', 'ipv6_forwarding=', 'connection=10.200.77.1 x 10.200.77.2 22', 'route=10.200.77.1 via 10.200.77.254'].join('\n'));
  assert.equal(p.uid, undefined);
  assert.equal(p.sudo, 'no');
  assert.equal(p.ipForward, undefined);
  assert.equal(p.ipv6Forwarding, undefined);
  assert.equal(p.connection, undefined);
  assert.equal(p.interface, undefined);
  assert.equal(p.backend, 'nft');
  // $SSH_CONNECTION empty (not an ssh login) or cut short
  assert.equal(parsePreflight('connection=').connection, undefined);
  assert.equal(parsePreflight('connection=10.200.77.1 40000 10.200.77.2').connection, undefined);
  // IPv6 addresses and an interface name with a dot
  const v6 = parsePreflight('connection=2001:db8::5 40000 2001:db8::1 2222\nroute=2001:db8::5 from :: dev eth0.10 proto kernel src 2001:db8::1 metric 256');
  assert.deepEqual(v6.connection, { clientIp: '2001:db8::5', clientPort: 40000, serverIp: '2001:db8::1', serverPort: 2222 });
  assert.equal(v6.interface, 'eth0.10');
});

test('preflight problems: a root login needs no sudo whatever the host entry says; each missing tool is named', () => {
  const base = ['iptables=iptables v1.8.9 (nf_tables)', ...all.map((t) => `have=${t}`)];
  assert.deepEqual(preflightProblems(parsePreflight([...base, 'sudo=root'].join('\n')), ['ipv4'], false), []);
  assert.deepEqual(preflightProblems(parsePreflight([...base, 'sudo=root'].join('\n')), ['ipv4'], true), []);
  // sudo: false and no root: one problem, not two
  assert.equal(preflightProblems(parsePreflight([...base, 'sudo=no'].join('\n')), ['ipv4'], false).length, 1);
  const bare = parsePreflight(['sudo=root', 'iptables=iptables v1.8.9 (nf_tables)', 'have=iptables-nft-restore'].join('\n'));
  const problems = preflightProblems(bare, ['ipv4', 'ipv6']);
  for (const t of ['iptables-save', 'ip6tables-restore', 'ip6tables-save', 'setsid', 'nohup']) assert.ok(problems.some((p) => p.startsWith(`${t} is not installed`)), t);
  assert.ok(!problems.some((p) => p.startsWith('iptables-nft-restore')));
  // no backend known: the tools cannot be named, the rest is still checked
  const odd = preflightProblems(parsePreflight('sudo=no\niptables=iptables v9 (odd)\n'), ['ipv4']);
  assert.deepEqual(odd.map((p) => p.split(' ')[0]), ['cannot', 'changing', 'setsid', 'nohup']);
  assert.deepEqual(preflightTools(parsePreflight('iptables=iptables v9 (odd)')).restore, { ipv4: 'iptables-restore', ipv6: 'ip6tables-restore' });
});
