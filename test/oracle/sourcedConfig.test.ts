import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { readSourced } from '../../server/src/node/sourcedFiles.ts';
import { applyFix } from '../support/ruleTester.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * A router script that names its interfaces and networks in a configuration it reads with
 * `.`, run by the real shell in a router namespace: a client on 10.200.119.0/24 behind it, a
 * server on 10.200.120.0/24 (this test's own ranges). The script masquerades the client's
 * network, named in the configuration, with FORWARD's policy DROP: the product, reading the
 * configuration as the shell does, reports the MASQUERADE, and the client's connection times
 * out; with the finding's fix it reaches the server, masqueraded. Without the configuration the
 * product cannot know the network and says nothing.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `a sourced configuration in namespaces: ${missing}`);

const net = new RoutedNetworks('src', '10.200.119', '10.200.120', ['10.200.120.2']);
const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-sourced-kernel-'));

net.forTests(skip, () => net.servePeers('10.200.120.2', 80));
after(() => rmSync(dir, { recursive: true, force: true }));

const CONF = () => `# the router's interfaces and networks\nFW=iptables\nWAN=${net.farDev}\nLAN_NET=10.200.119.0/24\n`;
const SCRIPT = () =>
  [
    '#!/bin/sh',
    'set -e',
    `. ${join(dir, 'firewall.conf')}`,
    'sysctl -w net.ipv4.ip_forward=1',
    '$FW -F',
    '$FW -t nat -F',
    '$FW -P FORWARD DROP',
    '$FW -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '$FW -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE',
    '',
  ].join('\n');

/** The findings of masquerade-without-forward-accept, the configuration read as the CLI and the editor read it. */
function findings(text: string) {
  const file = join(dir, 'firewall.sh');
  const doc = new FirewallDocument(text, { fileName: file });
  readSourced(doc, file);
  return doc.diagnostics().filter((d) => d.code === 'masquerade-without-forward-accept');
}

test('a MASQUERADE whose network a sourced configuration names, FORWARD dropping it: reported, the connection times out; fixed, it goes out masqueraded', { skip, timeout: 60_000 }, () => {
  const text = SCRIPT();
  // no configuration yet: the network is unknown, nothing is reported
  assert.deepEqual(findings(text), []);
  writeFileSync(join(dir, 'firewall.conf'), CONF());
  const [finding, ...more] = findings(text);
  assert.equal(more.length, 0);
  assert.equal(text.slice(finding.span.start, finding.span.end), '$FW -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE');
  net.runOnRouter(text);
  assert.deepEqual(connectFrom(net.client, '10.200.120.2', 80, 1, 1500), ['timeout']);
  const fixed = applyFix(text, finding.fixes![0]);
  assert.deepEqual(findings(fixed), []);
  net.runOnRouter(fixed);
  // the server sees the router's far address: the MASQUERADE now translates the connection
  assert.deepEqual(connectFrom(net.client, '10.200.120.2', 80, 1, 1500), ['10.200.120.1']);
});
