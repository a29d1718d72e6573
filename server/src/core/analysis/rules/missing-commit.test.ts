import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { missingCommit } from './missing-commit.ts';

ruleTable(missingCommit, {
  valid: [
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' },
    { code: '*nat\nCOMMIT\n*filter\nCOMMIT' , name: 'no final newline' },
  ],
  invalid: [
    { code: '«*filter»\n-A INPUT -j ACCEPT\n', name: 'end of file' },
    { code: '«*nat»\n-A POSTROUTING -j MASQUERADE\n*filter\nCOMMIT\n', name: 'next table starts' },
    { code: 'iptables-restore <<EOF\n«*filter»\n-A INPUT -j ACCEPT\nEOF\n', dialect: 'script', name: 'heredoc body' },
  ],
});

test('the fix closes the block after its last chain or rule line: before the next table, at the end of the file, inside the here-document', () => {
  const fixed = (text: string, dialect?: 'save' | 'script') => {
    const r = fixFirst(missingCommit, text, dialect ? { dialect } : undefined);
    return { text: r.text, left: r.left };
  };
  assert.deepEqual(fixed('*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\n\n# the filter table\n*filter\nCOMMIT\n'), {
    text: '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n\n# the filter table\n*filter\nCOMMIT\n',
    left: 0,
  });
  assert.equal(fixed('*filter\n-A INPUT -j ACCEPT').text, '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n');
  assert.equal(fixed('*filter\r\n-A INPUT -j ACCEPT\r\n# end\r\n').text, '*filter\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n# end\r\n');
  assert.equal(fixed('*raw\n').text, '*raw\nCOMMIT\n');
  assert.deepEqual(fixed('#!/bin/sh\niptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nEOF\necho done\n', 'script'), {
    text: '#!/bin/sh\niptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\necho done\n',
    left: 0,
  });
});
