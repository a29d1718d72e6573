import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { corpusRoot, requirement } from '../support/paths.ts';

/**
 * The Docker checks on rules Docker itself wrote: one of moby's golden files (a bridge
 * network publishing port 8080 of a container as 192.168.0.2:80), with what an admin adds on
 * such a host: a drop of the published port in INPUT, a DOCKER-USER chain that names the
 * published port and one that closes everything arriving on eth0.
 */
const golden = join(corpusRoot, 'dumps/moby+moby/daemon/libnetwork/drivers/bridge/internal/iptabler/testdata/TestIptabler/hairpin=false,internal=false,icc=true,masq=false,snat=false,gwm=nat,bindlh=false__iptables.golden');
const skip = requirement(existsSync(golden), `moby's iptabler golden file not found at ${golden}`);

test('on Docker\'s own rules: the INPUT drop and the DOCKER-USER rules an admin adds are reported where they fail', { skip }, () => {
  const docker = readFileSync(golden, 'utf8');
  assert.ok(docker.includes('-A DOCKER ! -i br-dummy -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.0.2:80'), 'the golden file publishes port 8080');
  assert.deepEqual(new FirewallDocument(docker, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.severity !== 'info'), [], 'Docker\'s rules alone: nothing to say');
  const text = docker
    .replace(':DOCKER - [0:0]\n', ':DOCKER - [0:0]\n:DOCKER-USER - [0:0]\n')
    .replace('-A FORWARD -j DOCKER-FORWARD\n', '-A INPUT -p tcp --dport 8080 -j DROP\n-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-FORWARD\n-A DOCKER-USER -p tcp --dport 8080 -j DROP\n-A DOCKER-USER -i eth0 -j DROP\n-A DOCKER-USER -j RETURN\n');
  const found = new FirewallDocument(text, { fileName: 'rules.v4' })
    .diagnostics()
    .filter((d) => d.code !== 'missing-ip-forward' && d.severity !== 'info')
    .map((d) => [d.code, text.slice(d.span.start, d.span.end)]);
  assert.deepEqual(found, [
    ['dnat-bypasses-block', '-A INPUT -p tcp --dport 8080 -j DROP'],
    ['dnat-bypasses-block', '-A DOCKER-USER -p tcp --dport 8080 -j DROP'],
    ['missing-established-rule', '-A DOCKER-USER -i eth0 -j DROP'],
  ]);
});
