import type { Family } from './knowledge/types.ts';
import { HEAD_CHARS } from './limits.ts';
import type { Dialect } from './model/types.ts';
import { LIST_OUTPUT_HEADER } from './model/listOutput.ts';
import { hookFormatOf, hookLinesOf } from './model/hookFiles.ts';

/** Files a boot service hands to iptables-restore as they are: netfilter-persistent's, ufw's, the iptables service's. */
const RESTORED_NAMES = /(^|\/)(rules\.v[46]|(before|after|user)6?\.rules|iptables\.rules|ip6tables\.rules)$/;
/** Those, and the extensions people give iptables-save output. */
const SAVE_NAMES = new RegExp(`${RESTORED_NAMES.source}|\\.(iptables|ip6tables|ipt|iptables-save)$`);
/** Shell scripts by name; OpenWrt's firewall.user is one without a `#!` line (fw3 runs it with its shell). */
const SCRIPT_NAMES = /\.(sh|bash|zsh|ksh)$|(^|\/)(rc\.firewall|firewall|firewall\.user)$/;

/** A line that calls the iptables command: a save file never has one. */
const TOOL_CALL = /^(sudo\s+)?(\/\S*\/)?(ip6?tables)(-legacy|-nft)?(\s|\\|$)/;

/** A line iptables-restore reads (a table, a chain, COMMIT, a command): a save file starts with one. */
const SAVE_LINE = /^(\*[a-z]+|:\S+\s|COMMIT$|-[AINXPFE]\s)/;

/**
 * The text is a shell script whatever its name says: it starts with `#!`, or its first line that
 * is not blank or a comment calls iptables (a `.iptables` file of commands, one option a line),
 * or is another command (`sysctl -w …`, `modprobe …`) where a later line calls iptables.
 */
export function scriptByContent(text: string): boolean {
  if (text.startsWith('#!')) return true;
  const lines = contentLines(text);
  const first = lines[0];
  if (first === undefined) return false;
  if (TOOL_CALL.test(first)) return true;
  return !SAVE_LINE.test(first) && !LIST_OUTPUT_HEADER.test(first) && lines.some((l) => TOOL_CALL.test(l));
}

/** The first of the first 200 lines that is not blank or a comment, trimmed. */
function firstContentLine(text: string): string | undefined {
  return contentLines(text, 1)[0];
}

/** Of the first 200 lines, those not blank or a comment, trimmed (`most` of them at the most). */
function contentLines(text: string, most = 200): string[] {
  const head = text.slice(0, HEAD_CHARS).replace(/^\uFEFF/, '');
  const out: string[] = [];
  for (const raw of head.split('\n', 200)) {
    const line = raw.trim();
    if (line && !line.startsWith('#')) {
      out.push(line);
      if (out.length === most) break;
    }
  }
  return out;
}

/** Kinds of file that are not iptables scripts whatever lines they hold: configuration, documentation, source code. */
const OTHER_FILES = /\.(conf|cfg|ini|md|markdown|rst|txt|html?|xml|json|ya?ml|toml|in|at|c|h|py|go|rb|pl|js|ts)$/i;

/**
 * A script that names iptables or ipset: their commands, a variable set to one
 * (`IPT=/sbin/iptables`) or named for it (`$IPTABLES`, `$IPSET`).
 */
const NAMES_TOOL = /\bip6?tables|\bipset\b/i;

/**
 * Whether a file found in a folder is one of ours: a save file by name, a shell script (by
 * name or `#!`) that names iptables or ipset, a wg-quick or ifupdown configuration whose hooks name them, a text of iptables commands (see scriptByContent), or a
 * text whose first line that is not blank or a comment is one iptables-restore reads (an
 * `iptables-save` dump under any name). Other files of the folder (documentation, other
 * programs' configuration) are not, even when they quote a rule. A script whose iptables and
 * ipset are only in words the shell does not run is left out by the caller, once parsed.
 */
export function holdsIptablesRules(text: string, fileName: string): boolean {
  if (SAVE_NAMES.test(fileName)) return true;
  // a wg-quick or ifupdown configuration whose hooks run iptables (a VPN server's or NAT host's forward and NAT rules)
  const format = hookFormatOf(text, fileName);
  if (format) return hookLinesOf(format, text).hooks.some((h) => NAMES_TOOL.test(text.slice(h.valueStart, h.valueEnd)));
  // a script saved with a byte order mark is one too (syntax-error reports the mark)
  if (text.startsWith('#!', text.charCodeAt(0) === 0xfeff ? 1 : 0) || SCRIPT_NAMES.test(fileName)) return NAMES_TOOL.test(text);
  // another program's configuration or a document may quote iptables commands a line each
  if (!OTHER_FILES.test(fileName) && scriptByContent(text)) return true;
  const line = firstContentLine(text);
  return line !== undefined && SAVE_LINE.test(line);
}

/** An INI section header (`[Definition]`, `[Init?family=inet6]`): a shell `[` test has a blank after it. */
const INI_SECTION = /^\[[^\]\s][^\]]*\]$/;

/**
 * Another program's INI configuration that quotes iptables commands in its values (fail2ban's
 * action.d files: `actionban = <iptables> -I f2b-<name> 1 -s <ip> -j <blocktype>`): its first
 * line that is not blank or a comment is a section header, and it is not a wg-quick
 * configuration. Read as a script it is nonsense (`iptables = iptables <lockingopt>` is a command
 * with a redirection); it is not judged.
 */
export function otherProgramsIni(text: string, fileName?: string): boolean {
  // INI comments start with `;` too
  const line = contentLines(text.slice(0, HEAD_CHARS).replace(/^[ \t]*;.*$/gm, ''), 1)[0];
  return line !== undefined && INI_SECTION.test(line) && hookFormatOf(text, fileName) !== 'wg-quick';
}

/** Which dialect a text is in: by file name first, then by content; a name that says save gives way to a script's content. */
export function detectDialect(text: string, fileName?: string): Dialect {
  if (fileName && SAVE_NAMES.test(fileName)) return scriptByContent(text) ? 'script' : 'save';
  if (fileName && SCRIPT_NAMES.test(fileName)) return 'script';
  if (text.startsWith('#!')) return 'script';
  const line = firstContentLine(text);
  // iptables -L output is read as a save file that iptables-restore would refuse (see listOutput.ts)
  return line === undefined || SAVE_LINE.test(line) || LIST_OUTPUT_HEADER.test(line) ? 'save' : 'script';
}

/** IPv4 or IPv6 for a save file: by name (rules.v6, before6.rules, .ip6tables), header or content. */
export function detectFamily(text: string, fileName?: string): Family {
  if (fileName && /(^|\/)(rules\.v6|(before|after|user)6\.rules|ip6tables\.rules)$|\.ip6tables$/.test(fileName)) return 'ipv6';
  if (fileName && /(^|\/)(rules\.v4|(before|after|user)\.rules|iptables\.rules)$|\.(iptables|ipt)$/.test(fileName)) return 'ipv4';
  const head = text.slice(0, HEAD_CHARS);
  if (/^# Generated by ip6tables-save/m.test(head)) return 'ipv6';
  if (/^# Generated by iptables-save/m.test(head)) return 'ipv4';
  if (/\s-[sd]\s+(!\s+)?[0-9a-fA-F]*::?[0-9a-fA-F:]*(\/\d+)?\s|\b(icmp6|ipv6-icmp|icmpv6-type)\b/.test(head)) return 'ipv6';
  return 'ipv4';
}

/**
 * The file's name says a service loads it with iptables-restore at boot (rules.v4, ufw's
 * before.rules, iptables.rules): rule lines outside a table are an error there, never an
 * `iptables -S` listing.
 */
export function loadedByRestore(fileName: string | undefined): boolean {
  return !!fileName && RESTORED_NAMES.test(fileName);
}

/**
 * ufw's rules files (before.rules, after.rules, user.rules and their IPv6 twins), which ufw
 * loads with `iptables-restore -n` (ufw-init-functions): their blocks add to the tables.
 */
export function loadedWithNoflush(fileName: string | undefined): boolean {
  return !!fileName && /(^|\/)(before|after|user)6?\.rules$/.test(fileName);
}
