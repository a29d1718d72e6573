import type { SyntaxIssue } from '../syntax/nodes.ts';

/**
 * What a script saved by a Windows editor says to the shell and to the kernel: measured in a
 * namespace, `sh fw.sh` with CRLF line endings had iptables refuse `-j ACCEPT\r` ("Invalid target
 * name"), and `./fw.sh` failed to start (the interpreter `/bin/sh\r` does not exist); with a byte
 * order mark, execve() refused the file ("Exec format error", as a systemd unit runs it) and bash
 * reported its first line as a command not found.
 */
export const SCRIPT_BOM_PROBLEM = 'The script starts with a UTF-8 byte order mark: run as a program (a systemd unit, ./firewall.sh from another program) it fails with "Exec format error", and a shell reads the mark as part of its first word.';

const SCRIPT_CRLF_MESSAGE = 'Windows (CRLF) line endings: the shell reads the \\r as part of the last word of each line (iptables refuses the target "ACCEPT\\r"), and run as a program the #! line names an interpreter that does not exist. Convert the file to LF.';

/** The byte order mark and the first CRLF line ending of a script, as syntax errors at the first place each is. */
export function scriptEncodingIssues(text: string): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  if (text.charCodeAt(0) === 0xfeff) issues.push({ code: 'syntax-error', message: `${SCRIPT_BOM_PROBLEM} Save it without a BOM.`, span: { start: 0, end: 1 } });
  const crlf = text.indexOf('\r\n');
  if (crlf !== -1) {
    const lineStart = text.lastIndexOf('\n', crlf - 1) + 1;
    issues.push({ code: 'syntax-error', message: SCRIPT_CRLF_MESSAGE, span: { start: lineStart, end: crlf } });
  }
  return issues;
}
