import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sysctlPlaces, workspaceSysctl } from '../../../server/src/node/sysctlFiles.ts';

test('the sysctl folders around a rules file, nearest first, each once: a repository\'s etc/ is reached from etc/iptables and from the root', () => {
  assert.deepEqual(sysctlPlaces('/repo/etc/iptables/rules.v4'), ['/repo/etc/iptables', '/repo/etc/iptables/etc', '/repo/etc', '/repo/etc/etc', '/repo', '/', '/etc']);
});

test('a sysctl file is read once: its setting is one fact, not one per way to reach its folder', () => {
  const repo = mkdtempSync(join(tmpdir(), 'iptables-lint-sysctl-'));
  mkdirSync(join(repo, 'etc', 'iptables'), { recursive: true });
  mkdirSync(join(repo, 'etc', 'sysctl.d'));
  writeFileSync(join(repo, 'etc', 'sysctl.d', '99-forward.conf'), 'net.ipv4.ip_forward = 1\n');
  const found = workspaceSysctl(join(repo, 'etc', 'iptables', 'rules.v4')).workspaceForwarding!;
  assert.deepEqual(found.map((f) => [f.family, f.value, f.file]), [['ipv4', '1', join(repo, 'etc', 'sysctl.d', '99-forward.conf')]]);
});
