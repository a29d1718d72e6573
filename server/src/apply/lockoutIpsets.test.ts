import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lockoutCheck } from './lockoutCheck.ts';
import { parseIpsetSave } from '../core/simulate/ipsetMembers.ts';

const SAVE = [
  'create admins hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x1a2b3c4d',
  'add admins 198.51.100.7',
  'add admins 203.0.113.9 timeout 0',
  'create offices hash:net family inet hashsize 1024 maxelem 65536',
  'add offices 10.200.0.0/16',
  'add offices 10.200.9.0/24 nomatch',
  'create range bitmap:ip range 10.200.77.0-10.200.77.255',
  'add range 10.200.77.1-10.200.77.9',
  'create v6 hash:ip family inet6',
  'add v6 2001:db8::7',
  'create ports hash:ip,port family inet',
  'add ports 10.200.77.1,tcp:22',
  '',
].join('\n');

const rules = (test: string) => `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 ${test} -j ACCEPT\nCOMMIT\n`;
const conn = (clientIp: string) => ({ clientIp, clientPort: 40000, serverIp: '10.200.77.2', serverPort: 22 });

test('ipset save read: each set\'s type, family, members and nomatch exceptions', () => {
  const sets = parseIpsetSave(SAVE);
  assert.deepEqual([...sets.keys()], ['admins', 'offices', 'range', 'v6', 'ports']);
  assert.deepEqual(sets.get('admins'), { type: 'hash:ip', family: 'ipv4', members: ['198.51.100.7', '203.0.113.9'], nomatch: [] });
  assert.deepEqual(sets.get('offices')?.nomatch, ['10.200.9.0/24']);
  // bitmap:ip holds IPv4 addresses only
  assert.equal(sets.get('range')?.family, 'ipv4');
});

test('the lockout check decides an ssh allowlist kept in an ipset by the host\'s members', () => {
  const sets = parseIpsetSave(SAVE);
  const verdict = (test: string, client: string, withSets = true) => lockoutCheck(rules(test), 'ipv4', conn(client), withSets ? sets : undefined).verdict;
  assert.equal(verdict('-m set --match-set admins src', '198.51.100.7'), 'accept');
  assert.equal(verdict('-m set --match-set admins src', '198.51.100.8'), 'drop');
  // without the host's sets (or for a set it does not have) the rule is not decided
  assert.equal(verdict('-m set --match-set admins src', '198.51.100.7', false), 'uncertain');
  assert.equal(verdict('-m set --match-set nosuch src', '198.51.100.7'), 'uncertain');
  assert.equal(verdict('-m set ! --match-set admins src', '198.51.100.8'), 'accept');
  assert.equal(verdict('-m set --match-set admins dst', '198.51.100.7'), 'drop');
  assert.equal(verdict('-m set --match-set offices src', '10.200.4.4'), 'accept');
  // inside a nomatch exception: which one wins is not worked out
  assert.equal(verdict('-m set --match-set offices src', '10.200.9.4'), 'uncertain');
  assert.equal(verdict('-m set --match-set offices src', '192.0.2.1'), 'drop');
  assert.equal(verdict('-m set --match-set range src', '10.200.77.5'), 'accept');
  assert.equal(verdict('-m set --match-set range src', '10.200.77.50'), 'drop');
  // a set of the other family, a set of address and port, two directions: not decided
  assert.equal(verdict('-m set --match-set v6 src', '198.51.100.7'), 'uncertain');
  assert.equal(verdict('-m set --match-set ports src,dst', '10.200.77.1'), 'uncertain');
  assert.equal(verdict('-m set --match-set admins src,src', '198.51.100.7'), 'uncertain');
});
