import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { placeHolds, placesJudgedWith, type DiskPlace } from '../../../server/src/node/placesJudgedWith.ts';

const show = (places: DiskPlace[]) => places.map((p) => join(p.dir, p.name));

test('a script reads the lint configuration above it and the files it looked for with `.`, nothing else', () => {
  assert.deepEqual(show(placesJudgedWith('/repo/router/fw.sh', 'script', ['/repo/router/fw.conf', '/repo/etc/fw.conf'])), [
    '/repo/router/.iptables-lint.json',
    '/repo/.iptables-lint.json',
    '/.iptables-lint.json',
    '/repo/router/fw.conf',
    '/repo/etc/fw.conf',
  ]);
});

test('a rules file reads its other half, the ipsets beside it and the sysctl files around it; a ufw file its other files and defaults', () => {
  const places = show(placesJudgedWith('/r/etc/iptables/rules.v4', 'save'));
  for (const p of ['/r/etc/iptables/.iptables-lint.json', '/.iptables-lint.json', '/r/etc/iptables/rules.v6', '/r/etc/iptables/ipsets', '/r/etc/iptables/ipset', '/r/etc/iptables/sysctl.conf', '/r/etc/iptables/sysctl.d/*.conf', '/r/etc/sysctl.conf', '/r/etc/sysctl.d/*.conf', '/r/etc/etc/sysctl.conf']) {
    assert.ok(places.includes(p), `${p} among ${places.join(' ')}`);
  }
  assert.equal(new Set(places).size, places.length, 'each place once');
  const ufw = show(placesJudgedWith('/r/etc/ufw/before.rules', 'save'));
  for (const p of ['/r/etc/ufw/after.rules', '/r/etc/ufw/user.rules', '/r/etc/default/ufw']) assert.ok(ufw.includes(p), `${p} among ${ufw.join(' ')}`);
  // a wg-quick configuration: the sysctl files, not a rules file's other half
  const wg = show(placesJudgedWith('/r/etc/wireguard/wg0.conf', 'hooks'));
  assert.ok(wg.includes('/r/etc/sysctl.d/*.conf'));
  assert.ok(!wg.some((p) => p.endsWith('/ipsets')));
});

test('a change of a path is a change of the place that names it, or of a folder\'s *.conf', () => {
  const cases: [DiskPlace, string, boolean][] = [
    [{ dir: '/r', name: 'fw.conf' }, '/r/fw.conf', true],
    [{ dir: '/r', name: 'fw.conf' }, '/r/fw.conf.bak', false],
    [{ dir: '/r', name: 'fw.conf' }, '/r/sub/fw.conf', false],
    [{ dir: '/r/sysctl.d', name: '*.conf' }, '/r/sysctl.d/99-forward.conf', true],
    [{ dir: '/r/sysctl.d', name: '*.conf' }, '/r/sysctl.d/README', false],
    [{ dir: '/r/sysctl.d', name: '*.conf' }, '/r/sysctl.d/x/y.conf', false],
  ];
  for (const [place, path, want] of cases) assert.equal(placeHolds(place, path), want, `${place.dir}/${place.name} ${path}`);
});
