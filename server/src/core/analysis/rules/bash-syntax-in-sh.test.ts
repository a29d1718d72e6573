import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { bashSyntaxInSh } from './bash-syntax-in-sh.ts';

const script = { dialect: 'script' as const };

ruleTable(bashSyntaxInSh, {
  valid: [
    { ...script, code: '#!/bin/bash\nPORTS=(22 80)\nfor p in "${PORTS[@]}" {1..3}; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\nsource /etc/fw.conf\n[[ -n "$X" ]] && iptables -F\n', name: 'bash runs it' },
    { ...script, code: 'PORTS=(22 80)\nfor p in "${PORTS[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n', name: 'no shebang: the shell that runs it is not known' },
    { ...script, code: '#!/bin/sh\nPORTS="22 80"\nfor p in $PORTS $(seq 1 3); do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n. /etc/fw.conf\n[ -n "$X" ] && iptables -F\necho "{1..3}" "${X}" \'${A[0]}\' "\\${A[0]}"\n', name: 'written for sh' },
  ],
  invalid: [
    { ...script, code: '#!/bin/sh\niptables -P INPUT DROP\n«PORTS=(»22 80)\nfor p in "${PORTS[@]}"; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n', name: 'an array: reported once, the script stops there' },
    { ...script, code: '#!/bin/sh -e\nfor p in «"${PORTS[@]}"»; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n«source» ./fw.conf\n', name: 'an array read: the script stops where it runs, each reported' },
    { ...script, code: '#!/usr/bin/env sh\nfor p in «{6881..6889}»; do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n«source» /etc/fw.conf\n«[[» -n "$X" ]] && iptables -F\n', name: 'a range, source, [[' },
    { ...script, code: '#!/bin/dash\n«source» ./fw.conf\niptables -F\n' },
  ],
});

test('the fix runs the script with bash, its shebang\'s options kept, and the findings go', () => {
  const r = fixFirst(bashSyntaxInSh, '#!/bin/sh -e\nsource ./fw.conf\niptables -F\n', script);
  assert.equal(r.text, '#!/bin/bash -e\nsource ./fw.conf\niptables -F\n');
  assert.equal(r.left, 0);
  assert.equal(fixFirst(bashSyntaxInSh, '#!/usr/bin/env sh\nsource ./fw.conf\niptables -F\n', script).text, '#!/usr/bin/env bash\nsource ./fw.conf\niptables -F\n');
});
