import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { decodeText } from '../../server/src/node/readTextFile.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * A rules file saved with a UTF-8 byte order mark (Notepad's "UTF-8", an editor's "UTF-8 with
 * BOM") against the real iptables-restore of both backends, in a namespace of this test's own:
 * refused at line 1, loaded without the mark; the CLI reads the file's bytes as iptables-restore
 * does and reports the mark where it is.
 */
const { ns, skip } = NamespaceIptables.forTests('byte order mark in a namespace', { bothBackends: true });

const RULES = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RULES)]);

test('a byte order mark: both backends refuse the file at line 1, the lint says so at the mark', { skip }, () => {
  const read = decodeText(bytes, 'rules.v4', { keepByteOrderMark: true });
  assert.ok(read.ok);
  for (const backend of ['legacy', 'nft'] as const) {
    const withMark = ns.restoreWith(backend, read.text);
    assert.equal(withMark.ok, false, backend);
    assert.match(withMark.err, /line 1 failed/, backend);
    assert.ok(ns.restoreWith(backend, RULES).ok, backend);
  }
  const errors = lintText(read.text, { fileName: 'rules.v4' }).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => [d.code, d.span.start, d.span.end]), [['syntax-error', 0, 1]]);
  assert.deepEqual(lintText(RULES, { fileName: 'rules.v4' }).diagnostics.filter((d) => d.severity === 'error'), []);
});
