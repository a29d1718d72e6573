import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sshConfigHosts } from './sshConfigHosts.ts';

test('Host aliases of ~/.ssh/config, without patterns', () => {
  const config = 'Host *\n  ServerAliveInterval 30\nHost router gw-2 # the lab\n  HostName 10.200.0.2\nhost=edge\nHost *.corp !bad db?\nMatch host x\nHost "quoted name" router\n';
  assert.deepEqual(sshConfigHosts(config), ['router', 'gw-2', 'edge', 'quoted name']);
  assert.deepEqual(sshConfigHosts(''), []);
});
