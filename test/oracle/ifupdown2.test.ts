import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFixes } from '../../server/src/core/services/fixAll.ts';
import { repoRoot, requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * rule-left-after-reload against the real ifupdown2 (Debian's 3.0.0; Proxmox VE reads
 * /etc/network/interfaces with it), in a network namespace this test creates. ifupdown2
 * conflicts with the classic ifupdown the other tests use, so its package is unpacked, not
 * installed (.ci/run downloads it to .work/debs), and run in a mount namespace of its own where
 * an overlay puts it at /usr/share/ifupdown2 and the test's configuration at
 * /etc/network/interfaces, with /run and /var/tmp (its state) fresh. A Proxmox NAT bridge whose
 * post-up adds a MASQUERADE and whose post-down deletes it: each `ifreload -a` adds the rule once
 * more, as the finding says; with its fix (`-C … || -A …`) once, and ifdown leaves none.
 * Addresses 10.200.134.0/24; no packet leaves the namespace.
 */
const debs = join(repoRoot, '.work', 'debs');
const deb = existsSync(debs) ? readdirSync(debs).find((f) => /^ifupdown2_.*\.deb$/.test(f)) : undefined;
const tools = (): string | false =>
  requirement(!!deb && spawnSync('sh', ['-c', 'command -v dpkg && command -v unshare && command -v python3']).status === 0, `ifupdown2's package is not in .work/debs, or dpkg, unshare or python3 is missing (mkdir -p .work/debs && cd .work/debs && apt-get download ifupdown2; .ci/run does it)`);
const { ns, skip } = NamespaceIptables.forTests('ifupdown2 reloads', { also: tools });

/** ifupdown2 unpacked, the overlay folders and the script that runs its commands in a mount namespace of their own. */
function ifupdown2(): { run(commands: string[]): string[]; configure(text: string): void } {
  const work = mkdtempSync(join(tmpdir(), 'ifupdown2-'));
  const root = join(work, 'root');
  assert.equal(spawnSync('dpkg', ['-x', join(debs, deb!), root]).status, 0, 'dpkg -x');
  const share = join(work, 'share');
  const etc = join(work, 'etc');
  for (const d of [share, etc, join(work, 'share-work'), join(work, 'etc-work'), join(etc, 'network'), join(work, 'bin')]) mkdirSync(d, { recursive: true });
  cpSync(join(root, 'usr/share/ifupdown2'), join(share, 'ifupdown2'), { recursive: true });
  cpSync(join(root, 'etc/network/ifupdown2'), join(etc, 'network/ifupdown2'), { recursive: true });
  chmodSync(join(share, 'ifupdown2/__main__.py'), 0o755);
  // ifupdown2 tells its commands apart by the name it is run as
  for (const c of ['ifup', 'ifdown', 'ifreload']) spawnSync('ln', ['-sf', '/usr/share/ifupdown2/__main__.py', join(work, 'bin', c)]);
  const script = join(work, 'run.sh');
  writeFileSync(
    script,
    [
      'set -e',
      `mount -t overlay overlay -o lowerdir=/usr/share,upperdir=${share},workdir=${work}/share-work /usr/share`,
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${etc},workdir=${work}/etc-work /etc`,
      'mount -t tmpfs tmpfs /run && mkdir -p /run/network && mount -t tmpfs tmpfs /var/tmp',
      `export PATH=${work}/bin:$PATH`,
      // each command, then the rules of nat POSTROUTING
      'for c in "$@"; do sh -c "$c" >/dev/null 2>&1 || echo "failed: $c"; iptables -t nat -S POSTROUTING | grep -c "^-A" || true; done',
    ].join('\n'),
  );
  return {
    run: (commands) => ns.run(['unshare', '-m', '--propagation', 'private', 'sh', script, ...commands]).out.trim().split('\n'),
    configure: (text) => writeFileSync(join(etc, 'network/interfaces'), text),
  };
}

const MASQ = 'iptables -t nat -A POSTROUTING -s 10.200.134.0/24 -o eth0 -j MASQUERADE';
const bridge = (lines: string[]) => ['auto vmbr7', 'iface vmbr7 inet static', '        address 10.200.134.1/24', '        bridge-ports none', ...lines.map((l) => `        ${l}`), ''].join('\n');

test('each ifreload -a runs the post-up lines again and no post-down line: the rule the finding names piles up; with its fix it is there once', { skip, timeout: 120_000 }, () => {
  const text = bridge([`post-up   ${MASQ}`, `post-down ${MASQ.replace('-A', '-D')}`]);
  const file = '/etc/network/interfaces';
  const found = new FirewallDocument(text, { fileName: file }).diagnostics().filter((d) => d.code === 'rule-left-after-reload');
  assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), [MASQ]);
  const tool = ifupdown2();
  tool.configure(text);
  // the count of POSTROUTING's rules after each command
  assert.deepEqual(tool.run(['ifup -a', 'ifreload -a', 'ifreload -a', 'ifdown vmbr7']), ['1', '2', '3', '2']);
  assert.ok(ns.run(['iptables', '-t', 'nat', '-F', 'POSTROUTING']).ok);

  const fixed = applyFixes(text, [found[0].fixes![0]]).text;
  assert.deepEqual(new FirewallDocument(fixed, { fileName: file }).diagnostics().filter((d) => d.code === 'rule-left-after-reload'), []);
  tool.configure(fixed);
  assert.deepEqual(tool.run(['ifup -a', 'ifreload -a', 'ifreload -a', 'ifdown vmbr7']), ['1', '1', '1', '0']);
});

test('ifupdown2 warns about an up line that fails and goes on: a clean-up on a line of its own stops nothing (no failure-stops-script), and with the add after it the rule is there once after each reload', { skip, timeout: 120_000 }, () => {
  assert.ok(ns.run(['iptables', '-t', 'nat', '-F', 'POSTROUTING']).ok);
  const text = bridge([`post-up   ${MASQ.replace('-A', '-D')} 2>/dev/null`, `post-up   ${MASQ}`]);
  const found = new FirewallDocument(text, { fileName: '/etc/network/interfaces' }).diagnostics().map((d) => d.code);
  assert.ok(!found.includes('failure-stops-script') && !found.includes('rule-left-after-reload'), found.join());
  const tool = ifupdown2();
  tool.configure(text);
  // no "failed:" line: ifup -a exits 0 with the -D failing on the fresh host
  assert.deepEqual(tool.run(['ifup -a', 'ifreload -a', 'ifdown vmbr7']), ['1', '1', '1']);
});
