import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lockoutCheck } from './lockoutCheck.ts';

const conn = { clientIp: '10.200.77.1', clientPort: 40000, serverIp: '10.200.77.2', serverPort: 22, interface: 'eth0' };

test('lockout check: a new ssh connection from this client, accepted or not', () => {
  const accept = '*filter\n:INPUT DROP\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  assert.equal(lockoutCheck(accept, 'ipv4', conn).verdict, 'accept');

  // established sessions live on, new ones are dropped by the policy
  const drop = '*filter\n:INPUT DROP\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n';
  const v = lockoutCheck(drop, 'ipv4', conn);
  assert.equal(v.verdict, 'drop');
  assert.deepEqual(v.deciding, ['filter/INPUT policy DROP']);

  const rejectRule = '*filter\n:INPUT ACCEPT\n-A INPUT -s 10.200.77.0/30 -p tcp -m tcp --dport 22 -j REJECT\nCOMMIT\n';
  assert.deepEqual(lockoutCheck(rejectRule, 'ipv4', conn).deciding, ['-A INPUT -s 10.200.77.0/30 -p tcp -m tcp --dport 22 -j REJECT']);

  // a port that is not the one in use does not help
  const otherPort = '*filter\n:INPUT DROP\n-A INPUT -p tcp -m tcp --dport 2222 -j ACCEPT\nCOMMIT\n';
  assert.equal(lockoutCheck(otherPort, 'ipv4', conn).verdict, 'drop');
  assert.equal(lockoutCheck(otherPort, 'ipv4', { ...conn, serverPort: 2222 }).verdict, 'accept');

  // the interface decides: known, it is followed; unknown, it may go either way
  const byInterface = '*filter\n:INPUT DROP\n-A INPUT -i eth1 -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  assert.equal(lockoutCheck(byInterface, 'ipv4', conn).verdict, 'drop');
  assert.equal(lockoutCheck(byInterface, 'ipv4', { ...conn, interface: 'eth1' }).verdict, 'accept');
  const { interface: _drop, ...noInterface } = conn;
  assert.equal(lockoutCheck(byInterface, 'ipv4', noInterface).verdict, 'uncertain');

  // no filter table: nothing drops
  assert.equal(lockoutCheck('*nat\n:PREROUTING ACCEPT\nCOMMIT\n', 'ipv4', conn).verdict, 'accept');
  // ipv6 client
  const v6 = '*filter\n:INPUT DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  assert.equal(lockoutCheck(v6, 'ipv6', { clientIp: '2001:db8::5', serverIp: '2001:db8::1', serverPort: 22 }).verdict, 'accept');

  // the server's answers leave through OUTPUT: dropped there, no session comes up
  const outputDrop = '*filter\n:INPUT ACCEPT\n:OUTPUT DROP\n-A OUTPUT -p udp -m udp --dport 53 -j ACCEPT\nCOMMIT\n';
  const out = lockoutCheck(outputDrop, 'ipv4', conn);
  assert.equal(out.verdict, 'drop');
  assert.deepEqual(out.deciding, ['filter/OUTPUT policy DROP']);
  assert.match(out.summary, /answers/);
  const outputAccepts = '*filter\n:INPUT ACCEPT\n:OUTPUT DROP\n-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n';
  assert.equal(lockoutCheck(outputAccepts, 'ipv4', conn).verdict, 'accept');
  const toOneNetwork = '*filter\n:INPUT ACCEPT\n:OUTPUT DROP\n-A OUTPUT -d 10.200.77.0/24 -j ACCEPT\nCOMMIT\n';
  assert.equal(lockoutCheck(toOneNetwork, 'ipv4', conn).verdict, 'accept');
  assert.equal(lockoutCheck(toOneNetwork, 'ipv4', { ...conn, clientIp: '10.200.78.9' }).verdict, 'drop');
});
