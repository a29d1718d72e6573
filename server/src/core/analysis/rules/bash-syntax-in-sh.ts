import type { ScriptExtras } from '../../model/scriptDocument.ts';
import type { ShellCommand } from '../../syntax/shellParser.ts';
import type { Span } from '../../text/span.ts';
import type { Fix, LintRule } from '../types.ts';

/** `#!/bin/sh`, `#!/usr/bin/env sh`, `#!/bin/dash`: the line that names sh, and where. */
function shShebang(text: string): Span | undefined {
  const m = /^#![ \t]*(?:\/usr\/bin\/env[ \t]+)?(?:\/[\w/]*\/)?(sh|dash)(?=[ \t]|\r?$|\r?\n)/.exec(text);
  return m ? { start: 0, end: m[0].length } : undefined;
}

/** `#!/bin/bash` for the sh of the shebang, keeping its options. */
function bashFix(text: string, at: Span): Fix[] {
  const line = text.slice(at.start, at.end);
  const fixed = line.replace(/(\/usr\/bin\/env[ \t]+)?(?:\/[\w/]*\/)?(sh|dash)$/, (_, env: string | undefined) => (env ? `${env}bash` : '/bin/bash'));
  return fixed === line ? [] : [{ title: `Run the script with bash (${fixed})`, edits: [{ span: at, text: fixed }] }];
}

/** A word that reads an array: `"${PORTS[@]}"`, `${A[0]}`, `${#A[@]}` (not `\${A[0]}`). */
const ARRAY_READ = /(?<!\\)\$\{#?[A-Za-z_]\w*\[/;

/**
 * A bash construct in a command, what sh does with it, and where: undefined for none. `stops`:
 * sh stops reading the script there, at a syntax error, whether or not the command would run.
 */
function bashism(sc: ShellCommand, next: ShellCommand | undefined, text: string): { span: Span; stops: boolean; what: string; instead: string } | undefined {
  const w = sc.words;
  const head = w[0];
  // `PORTS=(22 80)`: the word before `(`, the list its own command (see literalArrays)
  if (w.length === 1 && /^[A-Za-z_]\w*\+?=$/.test(head.text) && next?.after === '(' && /^\(\s*$/.test(text.slice(sc.span.end, next.span.start))) {
    return { span: { start: head.span.start, end: head.span.end + 1 }, stops: true, what: `\`${head.text}(\` is a syntax error to sh, which has no arrays`, instead: 'or keep the list in a plain variable (`PORTS="22 80"`, `for p in $PORTS`)' };
  }
  // (not inside single quotes, where nothing expands)
  for (const x of w) if (ARRAY_READ.test(x.text.replace(/'[^']*'/g, ''))) return { span: x.span, stops: false, what: `\`${x.text}\` is a bad substitution to sh, which has no arrays: the script stops where this runs, and no command after it runs`, instead: 'or keep the list in a plain variable (`for p in $PORTS`)' };
  if (head?.text === 'for') {
    for (const x of w.slice(3)) {
      if (/^\{-?\d+\.\.-?\d+\}$/.test(x.text)) return { span: x.span, stops: false, what: `sh leaves \`${x.text}\` as written: the loop runs once, with those characters as its word`, instead: 'or count with `$(seq FIRST LAST)`' };
    }
  }
  if (head?.text === 'source' && w.length > 1) return { span: head.span, stops: false, what: 'sh has no `source` ("source: not found"): the file is not read, and what it sets stays unset', instead: 'or write `.` for `source`' };
  if (head?.text === '[[') return { span: head.span, stops: false, what: 'sh has no `[[` ("[[: not found"): the test fails whatever it tests', instead: 'or test with `[ … ]`' };
  return undefined;
}

export const bashSyntaxInSh: LintRule = {
  code: 'bash-syntax-in-sh',
  severity: 'warning',
  summary: 'A script run by sh (`#!/bin/sh`) that uses bash: arrays, `{1..5}`, `source`, `[[`. Where sh is dash (Debian, Ubuntu) or busybox (Alpine), the script stops or misreads there.',
  docs: {
    description: 'Reports, in a script whose first line runs it with sh (`#!/bin/sh`, `#!/usr/bin/env sh`, `#!/bin/dash`), the bash constructs that change what it does under dash or busybox ash: an array (`PORTS=(22 80)`, a syntax error: sh reads no further, so that no command after it runs; `"${PORTS[@]}"`, a bad substitution, which stops the script where it runs); a brace range in a `for` loop (`{6881..6889}`), which sh leaves as written; `source`, which sh does not have (the file is not read); `[[`, likewise (the test always fails). The first array assignment is reported, as sh reads no further; each of the others where it is. Where /bin/sh is bash (Fedora, RHEL) the script works, which is how such scripts get written: run by hand with bash, then at boot through the shebang. The quick fix makes the shebang `#!/bin/bash`. The product reads arrays, ranges and `source` as bash does.',
    rationale: 'A firewall script run at boot by a systemd unit or an init script runs through its shebang. Under dash, a syntax error halfway leaves the commands before it applied and the rest not: a DROP policy without its accepts, a NAT without its forward rules.',
    bad: { dialect: 'script', text: '#!/bin/sh\niptables -P INPUT DROP\nPORTS=(22 80 443)\nfor p in "${PORTS[@]}"; do\n  iptables -A INPUT -p tcp --dport "$p" -j ACCEPT\ndone\n' },
    good: { dialect: 'script', text: '#!/bin/sh\niptables -P INPUT DROP\nPORTS="22 80 443"\nfor p in $PORTS; do\n  iptables -A INPUT -p tcp --dport "$p" -j ACCEPT\ndone\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const shell = (rs as Partial<ScriptExtras>).shellCommands;
    const at = rs.dialect === 'script' && shell ? shShebang(ctx.text) : undefined;
    if (!at || !shell) return;
    const fixes = bashFix(ctx.text, at);
    for (let k = 0; k < shell.length; k++) {
      const found = bashism(shell[k], shell[k + 1], ctx.text);
      if (!found) continue;
      const rest = found.stops ? ': the script stops here, and no command after this line runs' : '';
      ctx.report({ span: found.span, message: `The first line runs this script with sh, which is not bash on Debian, Ubuntu (dash) or Alpine (busybox): ${found.what}${rest}. Run it with bash (#!/bin/bash), ${found.instead}.`, fixes });
      if (found.stops) return;
    }
  },
};
