import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames, didYouMean, editDistance } from '../../../server/src/core/knowledge/didYouMean.ts';
import { genericOptions, getMatch, matches, targets } from '../../../server/src/core/knowledge/index.ts';

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('--dprot', '--dport'), 1);
  assert.equal(editDistance('ESTABLISED', 'ESTABLISHED'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('ca', 'abc'), 3);
});

test('did-you-mean finds option, match, target and value names', () => {
  const options = [...genericOptions, ...matches.flatMap((m) => m.options), ...targets.flatMap((t) => t.options)].flatMap((o) => [o.name, ...(o.aliases ?? [])]);
  assert.equal(didYouMean('--dprot', options), '--dport');
  assert.equal(didYouMean('--to-destiantion', options), '--to-destination');
  assert.equal(didYouMean('--ctsate', getMatch('conntrack')!.options.map((o) => o.name)), '--ctstate');
  assert.equal(didYouMean('conntrak', matches.map((m) => m.name)), 'conntrack');
  assert.equal(didYouMean('MASQUARADE', targets.map((t) => t.name)), 'MASQUERADE');
  assert.equal(didYouMean('accept', targets.map((t) => t.name)), 'ACCEPT');
  assert.equal(didYouMean('xyzzy', targets.map((t) => t.name)), undefined);
  assert.equal(didYouMean('tcp', ['tcp']), undefined, 'an exact name is never offered');
  assert.deepEqual(closestNames('NEX', ['NEW', 'NEXT', 'RELATED']), ['NEW', 'NEXT']);
  assert.equal(didYouMean('Drop', ['DROP', 'DNAT'], { ignoreCase: false, maxDistance: 3 }), 'DROP');
});
