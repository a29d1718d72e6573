import type { Family } from '../core/knowledge/types.ts';

/**
 * Every command the apply engine runs on the host. Each is a fixed template: the only values
 * placed in them are the engine's own (a tool chosen from a fixed list, a table from the five
 * iptables tables, the session folder under a checked base path, the rollback delay as an
 * integer). Nothing the user typed and nothing read from the rules file is ever put in a
 * command; the rules travel on stdin.
 */

export type Backend = 'nft' | 'legacy';

export interface Tools {
  restore: Record<Family, string>;
  save: Record<Family, string>;
}

const TOOL_NAMES = new Set([
  'iptables-restore', 'iptables-save', 'ip6tables-restore', 'ip6tables-save',
  'iptables-nft-restore', 'iptables-nft-save', 'ip6tables-nft-restore', 'ip6tables-nft-save',
  'iptables-legacy-restore', 'iptables-legacy-save', 'ip6tables-legacy-restore', 'ip6tables-legacy-save',
]);
const TABLES = new Set(['raw', 'mangle', 'nat', 'filter', 'security']);

/** Tools of the backend `iptables -V` reports, by their explicit names when the host has them. */
export function toolsFor(backend: Backend, have: ReadonlySet<string>): Tools {
  const pick = (base: 'iptables' | 'ip6tables', verb: 'restore' | 'save') => {
    const explicit = `${base}-${backend}-${verb}`;
    return have.has(explicit) ? explicit : `${base}-${verb}`;
  };
  return {
    restore: { ipv4: pick('iptables', 'restore'), ipv6: pick('ip6tables', 'restore') },
    save: { ipv4: pick('iptables', 'save'), ipv6: pick('ip6tables', 'save') },
  };
}

/** A session folder on the host: an absolute path of plain characters, no `..`. */
export function checkRemoteDir(dir: string): string | undefined {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir) || dir.split('/').includes('..')) return `the remote folder '${dir.replace(/[^\x20-\x7e]/g, '?')}' must be an absolute path of letters, digits, '.', '_', '-' and '/'`;
  return undefined;
}

function tool(name: string): string {
  if (!TOOL_NAMES.has(name)) throw new Error(`not an iptables tool: ${name}`);
  return name;
}

function dir(d: string): string {
  const problem = checkRemoteDir(d);
  if (problem) throw new Error(problem);
  return d;
}

function tables(ts: string[]): string {
  for (const t of ts) if (!TABLES.has(t)) throw new Error(`not an iptables table: ${t}`);
  return ts.join(' ');
}

const PATH_PREFIX = 'PATH="$PATH:/usr/sbin:/sbin"; export PATH; ';

/**
 * The remote command line for a script: `sh -c '…'` whatever the login shell is, behind
 * `sudo -n` (never a password prompt) when the user is not root. Scripts hold no single quote.
 */
export function remoteCommand(script: string, sudo: boolean): string {
  if (script.includes("'")) throw new Error('a remote script must not hold a single quote');
  return `${sudo ? 'sudo -n ' : ''}sh -c '${PATH_PREFIX}${script}'`;
}

/**
 * What the host has: user, sudo, backend, tools, forwarding and route_localnet sysctls, and the ssh connection
 * itself (client address, server address and port, the interface it arrives on). Read-only,
 * runs as the login user.
 */
export const PREFLIGHT_SCRIPT = [
  'echo "uid=$(id -u)"',
  'if [ "$(id -u)" = 0 ]; then echo sudo=root; elif sudo -n true 2>/dev/null; then echo sudo=yes; else echo sudo=no; fi',
  'echo "iptables=$(iptables -V 2>&1 | head -n 1)"',
  `for t in ${[...TOOL_NAMES].join(' ')} unshare setsid nohup; do command -v $t >/dev/null 2>&1 && echo "have=$t"; done`,
  'echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)"',
  'echo "ipv6_forwarding=$(cat /proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null)"',
  // per interface (all and default too): a DNAT to 127.0.0.1 works only where it is 1
  'for f in /proc/sys/net/ipv4/conf/*/route_localnet; do [ -r "$f" ] || continue; d=${f%/route_localnet}; echo "route_localnet=${d##*/} $(cat "$f")"; done',
  'echo "connection=$SSH_CONNECTION"',
  'set -- $SSH_CONNECTION; if [ -n "$1" ]; then echo "route=$(ip -o route get "$1" 2>/dev/null | head -n 1)"; fi',
  'exit 0',
].join('; ');

/** The rules loaded now, as iptables-save prints them. */
export function saveScript(tools: Tools, family: Family): string {
  return tool(tools.save[family]);
}

/** The host's ipsets and their members, as `ipset save` prints them (nothing where ipset is not installed). */
export const IPSET_SAVE_SCRIPT = 'if command -v ipset >/dev/null 2>&1; then ipset save; fi';

/** iptables-restore's own check of the rules on stdin; loads nothing. */
export function testScript(tools: Tools, family: Family): string {
  return `${tool(tools.restore[family])} --test`;
}

export const NO_NAMESPACE_EXIT = 99;

/**
 * A real load of the rules on stdin into a throwaway network namespace, printing what
 * iptables-save makes of them there (which also normalises them for the diff). ipsets belong
 * to a network namespace: the host's sets are made there first, empty (`ipset save`'s create
 * lines), or every rule naming one would be refused ("Set blocklist doesn't exist") though the
 * host has it. A set the host lacks still refuses, as the apply would.
 *
 * With `hostNames`, stdin starts with one line of the host names the rules hold, then the
 * rules. iptables resolves a name as it loads the rule, and the namespace has no network: a
 * name only DNS knows was "host/network not found" there though the host resolves it. The
 * names are looked up on the host (`getent ahosts`, addresses of the family) into a copy of
 * its hosts file, which the namespace sees as /etc/hosts (a mount namespace of its own). The
 * names are data read by the script, never part of it; a name the host cannot resolve still
 * refuses, as the real load would.
 */
export function namespaceLoadScript(tools: Tools, family: Family, hostNames = false): string {
  const sets = 's=$(mktemp) || exit 1; if command -v ipset >/dev/null 2>&1; then ipset save 2>/dev/null | grep "^create " > "$s"; fi';
  const load = `if [ -s \\"\\$1\\" ]; then ipset restore -exist < \\"\\$1\\" 2>/dev/null; fi; ${tool(tools.restore[family])} && ${tool(tools.save[family])}`;
  const refuse = `echo "unshare --net is not allowed on this host" >&2; exit ${NO_NAMESPACE_EXIT}`;
  if (!hostNames) return `if unshare --net true 2>/dev/null; then ${sets}; unshare --net sh -c "${load}" sh "$s"; r=$?; rm -f "$s"; exit $r; else ${refuse}; fi`;
  const ours = family === 'ipv6' ? '~' : '!~';
  const hosts = `h=$(mktemp) || exit 1; cat /etc/hosts > "$h"; set -f; for n in $names; do getent ahosts "$n" </dev/null | awk -v n="$n" "\\$2 == \\"STREAM\\" && \\$1 ${ours} /:/ { print \\$1 \\" \\" n }" >> "$h"; done; set +f`;
  return (
    `IFS= read -r names; ` +
    `if unshare --net --mount true 2>/dev/null; then ${sets}; ${hosts}; unshare --net --mount sh -c "mount --bind \\"\\$2\\" /etc/hosts 2>/dev/null; ${load}" sh "$s" "$h"; r=$?; rm -f "$s" "$h"; exit $r; ` +
    `elif unshare --net true 2>/dev/null; then ${sets}; unshare --net sh -c "${load}" sh "$s"; r=$?; rm -f "$s"; exit $r; else ${refuse}; fi`
  );
}

/**
 * Backs up the loaded rules of one family into the session folder, adding an empty block for
 * every table the new rules touch that the host does not have yet (so a rollback removes
 * what the new rules created there), stores the new rules from stdin next to it, and prints
 * the backup.
 */
export function prepareScript(tools: Tools, family: Family, sessionDir: string, touched: string[]): string {
  const d = dir(sessionDir);
  const b = `${d}/backup.${family}`;
  const add = touched.length ? ` && for t in ${tables(touched)}; do grep -q "^\\*$t\\$" ${b} || printf "*%s\\nCOMMIT\\n" "$t" >> ${b}; done` : '';
  return `umask 077 && mkdir -p ${d} && ${tool(tools.save[family])} > ${b}${add} && cat > ${d}/new.${family} && cat ${b}`;
}

function restoreAll(tools: Tools, families: Family[], d: string, which: 'backup' | 'new'): string {
  return families.map((f) => `${tool(tools.restore[f])} < ${d}/${which}.${f}`).join(' && ');
}

function killRollback(): string {
  return 'p=$(cat rollback.pid 2>/dev/null); if [ -n "$p" ]; then kill -TERM -"$p" 2>/dev/null; fi';
}

/**
 * Arms the rollback: a detached process (its own session, every descriptor redirected, so
 * neither ssh waits for it nor a dropped connection kills it) that restores the backup after
 * `seconds` unless the `armed` marker has been taken by a confirm. Whoever removes the marker
 * first wins, so a late confirm and the rollback never both act. Prints the rollback's
 * process group.
 */
export function armScript(tools: Tools, families: Family[], sessionDir: string, seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86400) throw new Error(`bad rollback delay ${seconds}`);
  const d = dir(sessionDir);
  const inner = `echo \\$\\$ > ${d}/rollback.pid; sleep ${seconds}; if rm ${d}/armed 2>/dev/null; then if ${restoreAll(tools, families, d, 'backup')}; then echo restored > ${d}/rolled-back; else echo restore-failed > ${d}/rolled-back; fi; fi`;
  return (
    `cd ${d} || exit 1; rm -f rollback.pid rolled-back; : > armed || exit 1; ` +
    `setsid nohup sh -c "${inner}" </dev/null >/dev/null 2>&1 & ` +
    `i=0; while [ ! -s ${d}/rollback.pid ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; ` +
    `if [ -s ${d}/rollback.pid ]; then echo "rollback=$(cat ${d}/rollback.pid)"; else echo "the rollback did not start" >&2; exit 1; fi`
  );
}

export const NOT_ARMED_EXIT = 97;
export const APPLY_FAILED_EXIT = 98;
export const TOO_LATE_EXIT = 96;

/** Applies the staged rules atomically per family; on failure puts the backup back at once. */
export function applyScript(tools: Tools, families: Family[], sessionDir: string): string {
  const d = dir(sessionDir);
  return (
    `cd ${d} && if [ ! -e armed ]; then echo "the rollback is not armed: nothing applied" >&2; exit ${NOT_ARMED_EXIT}; fi; ` +
    `if ${restoreAll(tools, families, d, 'new')}; then echo applied; else echo "iptables-restore failed: the backup is put back" >&2; ` +
    `${restoreAll(tools, families, d, 'backup')}; if rm armed 2>/dev/null; then ${killRollback()}; fi; exit ${APPLY_FAILED_EXIT}; fi`
  );
}

/** Keeps the new rules: takes the marker and stops the rollback (run over a NEW connection). */
export function confirmScript(sessionDir: string): string {
  const d = dir(sessionDir);
  return `cd ${d} && if rm armed 2>/dev/null; then ${killRollback()}; echo kept; else echo too-late; exit ${TOO_LATE_EXIT}; fi`;
}

/** Goes back now: takes the marker, stops the timer and restores the backup. */
export function revertScript(tools: Tools, families: Family[], sessionDir: string): string {
  const d = dir(sessionDir);
  return `cd ${d} && if rm armed 2>/dev/null; then ${killRollback()}; ${restoreAll(tools, families, d, 'backup')} && echo reverted; else echo too-late; exit ${TOO_LATE_EXIT}; fi`;
}

/** What became of a session: still armed, or rolled back (and whether the restore worked). */
export function statusScript(sessionDir: string): string {
  const d = dir(sessionDir);
  return `cd ${d} || exit 1; if [ -e armed ]; then echo armed; fi; if [ -f rolled-back ]; then echo "rolled-back=$(cat rolled-back)"; fi; exit 0`;
}
