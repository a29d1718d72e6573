import type { Hook } from './hookFiles.ts';

/**
 * WireGuard configurations that wg-quick reads (`/etc/wireguard/wg0.conf`): their PreUp,
 * PostUp, PreDown and PostDown lines are shell commands, often iptables ones (a VPN server's
 * forward and masquerade rules). wg-quick (wireguard-tools 1.0.20210914, read from its
 * source) takes them only in the `[Interface]` section, by the exact key, cuts each line at
 * its first `#`, trims the value, runs each with bash in a subshell of its own (`set -e` in
 * force), after putting the interface's name for every `%i`; `up` runs PreUp, makes the
 * interface, then PostUp; `down` runs PreDown, removes it, then PostDown.
 *
 * The rest of the product reads such a file through a view of it as a shell script: the same
 * length and lines, the hook values where they are, comment lines as they are, everything
 * else blank. Offsets, lines and columns are then the file's own. `%i` is left as written:
 * one interface name, the same wherever it is used.
 */

/** wg-quick's hook keys. */
export type HookKey = 'PreUp' | 'PostUp' | 'PreDown' | 'PostDown';

const HOOK_KEYS = new Set<string>(['PreUp', 'PostUp', 'PreDown', 'PostDown']);

/** What each hook is, for hover: when wg-quick runs it. */
export const WG_QUICK_HOOK_DOCS: Readonly<Record<HookKey, string>> = {
  PreUp: '`wg-quick up` runs this before it creates the interface.',
  PostUp: '`wg-quick up` runs this once the interface is up, with its addresses, routes and DNS set.',
  PreDown: '`wg-quick down` runs this before it removes the interface.',
  PostDown: '`wg-quick down` runs this after it has removed the interface: the place to delete what PostUp added.',
};

/** What every hook line shares, for hover. */
export const WG_QUICK_LINE_DOC = 'The line runs with bash, in a subshell of its own, `%i` replaced by the interface\'s name; wg-quick cuts it at its first `#` and stops (taking the interface down again on `up`) when it fails. Several lines of one key run in their order.';

/** Blanks, tabs and the like as bash's [[:space:]] has them (the line's end aside). */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

/** A `key = value` line of the `[Interface]` section(s), as wg-quick reads it: cut at its first `#`, key and value trimmed. */
interface InterfaceLine {
  key: string;
  lineStart: number;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/** Every `key = value` line of the `[Interface]` section(s), in the file's order. */
function interfaceLines(text: string): InterfaceLine[] {
  const out: InterfaceLine[] = [];
  let inInterface = false;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const hash = text.indexOf('#', lineStart);
    const cut = hash === -1 || hash > lineEnd ? lineEnd : hash;
    const eq = text.indexOf('=', lineStart);
    const keyEnd = eq === -1 || eq > cut ? cut : eq;
    let ks = lineStart;
    while (ks < keyEnd && isSpace(text.charCodeAt(ks))) ks++;
    let ke = keyEnd;
    while (ke > ks && isSpace(text.charCodeAt(ke - 1))) ke--;
    const key = text.slice(ks, ke);
    if (key.startsWith('[')) inInterface = key === '[Interface]';
    else if (inInterface && eq !== -1 && eq < cut) {
      let vs = eq + 1;
      while (vs < cut && isSpace(text.charCodeAt(vs))) vs++;
      let ve = cut;
      while (ve > vs && isSpace(text.charCodeAt(ve - 1))) ve--;
      out.push({ key, lineStart, keyStart: ks, valueStart: vs, valueEnd: ve });
    }
    if (lineEnd === text.length) break;
    lineStart = lineEnd + 1;
  }
  return out;
}

/** Every hook line of the `[Interface]` section(s), in the file's order. */
export function wgQuickHooks(text: string): Hook[] {
  return interfaceLines(text).filter((l) => HOOK_KEYS.has(l.key));
}

/** The `Address` values of the `[Interface]` section(s), each address of a comma list, as written. */
export function wgQuickAddresses(text: string): string[] {
  const out: string[] = [];
  for (const l of interfaceLines(text)) {
    if (l.key !== 'Address') continue;
    for (const a of text.slice(l.valueStart, l.valueEnd).split(',')) if (a.trim()) out.push(a.trim());
  }
  return out;
}

/**
 * Whether a text is a wg-quick configuration with hooks: an `[Interface]` section line and a
 * hook line in it. A file name, where given, must end in `.conf` (wg-quick takes no other).
 */
export function isWgQuickConfig(text: string, fileName?: string): boolean {
  if (fileName !== undefined && !fileName.endsWith('.conf')) return false;
  if (!/^[ \t]*\[Interface\][ \t]*\r?$/m.test(text)) return false;
  return wgQuickHooks(text).length > 0;
}

/**
 * A text made from the hooks (iptables-restore input compiled from them) as wg-quick runs
 * them: every `%i` replaced by the interface's name, the configuration's file name without
 * `.conf` (wg-quick replaces it in the whole line, quotes included).
 */
export function withInterfaceName(text: string, fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  return text.replaceAll('%i', base.endsWith('.conf') ? base.slice(0, -5) : base);
}
