import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sshConfigIncludes } from '../../../server/src/apply/sshConfigHosts.ts';
import { sshConfigHostsFrom } from '../../../server/src/node/sshConfigFiles.ts';

test('Include lines: several paths per line, quoted, with = and comments', () => {
  assert.deepEqual(sshConfigIncludes('Include config.d/*\n  include = ~/.ssh/work "/etc/ssh/my hosts" # more\nHost x\n'), ['config.d/*', '~/.ssh/work', '/etc/ssh/my hosts']);
});

test('the host picker follows Include: relative to ~/.ssh, ~, globs, absolute paths; loops and missing files are harmless', () => {
  const home = mkdtempSync(join(tmpdir(), 'ssh-home-'));
  try {
    mkdirSync(join(home, '.ssh', 'config.d'), { recursive: true });
    const other = join(home, 'elsewhere.conf');
    writeFileSync(join(home, '.ssh', 'config'), `Host gw\nInclude config.d/*.conf ~/.ssh/work missing.conf\nInclude ${other}\nHost *\n`);
    writeFileSync(join(home, '.ssh', 'config.d', 'a.conf'), 'Host lab-router\n');
    writeFileSync(join(home, '.ssh', 'config.d', 'b.conf'), 'Host edge gw\nInclude config\n');
    writeFileSync(join(home, '.ssh', 'config.d', 'notes.txt'), 'Host not-included\n');
    writeFileSync(join(home, '.ssh', 'work'), 'Host office\n');
    writeFileSync(other, 'Host far\n');
    assert.deepEqual(sshConfigHostsFrom(home), ['gw', 'lab-router', 'edge', 'office', 'far']);
    assert.deepEqual(sshConfigHostsFrom(join(home, 'nobody')), []);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
