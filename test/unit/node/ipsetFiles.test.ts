import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { workspaceIpsets } from '../../../server/src/node/ipsetFiles.ts';

test('the ipset file restored before a rules file at boot: ipsets beside rules.v4 (Debian), ipset beside iptables (RHEL)', () => {
  const debian = mkdtempSync(join(tmpdir(), 'iptables-lint-ipsets-'));
  const v4 = join(debian, 'rules.v4');
  assert.deepEqual(workspaceIpsets(v4), {});
  // as ipset save writes it
  const saved = 'create blocklist hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xc6b76fbb\nadd blocklist 198.51.100.0/24\ncreate v6 hash:net family inet6 hashsize 1024 maxelem 65536\ncreate trusted list:set size 8\n';
  writeFileSync(join(debian, 'ipsets'), saved);
  const found = workspaceIpsets(v4).workspaceSets!;
  assert.equal(found.file, join(debian, 'ipsets'));
  assert.deepEqual(found.sets.map((s) => [s.name, s.family, s.type, saved.slice(s.span.start, s.span.end)]), [['blocklist', 'ipv4', 'hash:net', 'blocklist'], ['v6', 'ipv6', 'hash:net', 'v6'], ['trusted', undefined, 'list:set', 'trusted']]);
  // an empty file: ipset save of a host without sets
  writeFileSync(join(debian, 'ipsets'), '');
  assert.deepEqual(workspaceIpsets(v4).workspaceSets?.sets, []);

  const rhel = mkdtempSync(join(tmpdir(), 'iptables-lint-ipset-'));
  writeFileSync(join(rhel, 'ipset'), 'create allow hash:ip family inet hashsize 1024 maxelem 65536\n');
  assert.deepEqual(workspaceIpsets(join(rhel, 'iptables')).workspaceSets?.sets.map((s) => s.name), ['allow']);
  // not ipset save output, or a folder (ipset-service's ipset.d is not read)
  writeFileSync(join(rhel, 'ipset'), '#!/bin/sh\necho hello\n');
  assert.deepEqual(workspaceIpsets(join(rhel, 'iptables')), {});
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-ipset-dir-'));
  mkdirSync(join(dir, 'ipsets'));
  assert.deepEqual(workspaceIpsets(join(dir, 'rules.v4')), {});
});
