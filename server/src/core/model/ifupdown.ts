import type { Span } from '../text/span.ts';
import type { Hook } from './hookFiles.ts';

/**
 * Debian's ifupdown configuration (`/etc/network/interfaces`, the files of
 * `/etc/network/interfaces.d/`; Proxmox's ifupdown2 reads the same): an `iface` stanza's
 * `pre-up`, `up`, `post-up`, `down`, `pre-down` and `post-down` lines are shell commands, and
 * the usual place for a NAT host's rules (`post-up iptables -t nat -A POSTROUTING … -j
 * MASQUERADE`). As ifupdown 0.8.41 runs them (checked in a network namespace): each line with
 * `/bin/sh -c`, `IFACE` set to the stanza's interface; a line ending in `\` goes on with the
 * next (ifupdown joins them, as the shell would); `up` is `post-up` and `down` is `pre-down`;
 * `ifup` runs pre-up, configures the interface, then up; `ifdown` runs down, deconfigures it,
 * then post-down. An up line that fails ends ifup there and leaves the interface marked
 * unconfigured (ifdown then refuses it and runs none of its down lines); ifdown goes on after a
 * down line that fails. ifupdown2 goes on after any line that fails (see readByIfupdown2). Options belong to the stanza above them until the next `iface`,
 * `mapping`, `auto`, `allow-*`, `source` or `source-directory` line; a line whose first
 * character that is not blank is `#` is a comment.
 *
 * The rest of the product reads the file through the same views as a wg-quick configuration's
 * (see hookFiles.ts hookView): the phase's command values where they stand, everything else blank.
 */

/** The keys of hook lines, as ifupdown names them. */
const KEYS = new Set(['pre-up', 'up', 'post-up', 'down', 'pre-down', 'post-down']);

/** Words that start a new stanza: the options of an `iface` stanza end there. */
const STANZA = /^(iface|mapping|auto|allow-[^\s]+|source|source-directory|no-auto-down|no-scripts|rename|template)$/;

/** An `iface` stanza: the interface it configures, where its name stands, where the stanza runs. */
export interface IfaceStanza {
  name: string;
  nameSpan: Span;
  /** From the `iface` line's start to the next stanza's (or the text's end). */
  start: number;
  end: number;
}

/** What ifupdown says each hook does, for hover. */
export const IFUPDOWN_HOOK_DOCS: Readonly<Record<string, string>> = {
  'pre-up': '`ifup` runs this before it configures the interface (which may not exist yet); if it fails, the interface is not brought up.',
  up: '`ifup` runs this once the interface is configured and up (the same as `post-up`).',
  'post-up': '`ifup` runs this once the interface is configured and up (the same as `up`).',
  down: '`ifdown` runs this before it takes the interface down (the same as `pre-down`).',
  'pre-down': '`ifdown` runs this before it takes the interface down (the same as `down`).',
  'post-down': '`ifdown` runs this after it has taken the interface down: the place to delete what `up` added.',
};

/** What every hook line shares, for hover. */
export const IFUPDOWN_LINE_DOC =
  'ifupdown runs the line with `/bin/sh -c`, with `IFACE` (the interface\'s name), `LOGICAL`, `ADDRFAM`, `METHOD`, `MODE` and `PHASE` set, and each option of the stanza as `IF_<OPTION>`; a line ending in `\\` goes on with the next. With ifupdown, an up line that fails ends ifup there and leaves the interface marked unconfigured (ifdown then runs none of its down lines); ifdown goes on after a down line that fails. Several lines of one key run in their order. ifupdown2 (Proxmox VE\'s) warns about a line that fails and goes on, and runs the up lines of an interface that is up again at each `ifup` of it and each `ifreload -a`, and none of its down lines then.';

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** One logical line: from its start to its end, lines ending in `\` joined with the next. */
interface LogicalLine {
  start: number;
  /** The end of its last physical line (before the `\n`, a `\r` dropped). */
  end: number;
  /** The start of the line after it. */
  next: number;
}

function logicalLine(text: string, start: number): LogicalLine {
  let at = start;
  for (;;) {
    let nl = text.indexOf('\n', at);
    if (nl === -1) nl = text.length;
    let end = nl;
    if (end > at && text.charCodeAt(end - 1) === 13) end--;
    if (end > start && text.charCodeAt(end - 1) === 92 && nl < text.length) {
      at = nl + 1;
      continue;
    }
    return { start, end, next: nl + 1 };
  }
}

/** The hook lines and `iface` stanzas of an ifupdown configuration, in the file's order. */
export function ifupdownParse(text: string): { hooks: Hook[]; stanzas: IfaceStanza[] } {
  const hooks: Hook[] = [];
  const stanzas: IfaceStanza[] = [];
  let current: IfaceStanza | undefined;
  let lineStart = 0;
  while (lineStart < text.length) {
    const line = logicalLine(text, lineStart);
    let ks = line.start;
    while (ks < line.end && isBlank(text.charCodeAt(ks))) ks++;
    let ke = ks;
    while (ke < line.end && !isBlank(text.charCodeAt(ke)) && text.charCodeAt(ke) !== 92) ke++;
    const first = text.slice(ks, ke);
    if (first && !first.startsWith('#')) {
      if (STANZA.test(first)) {
        if (current) current.end = line.start;
        current = undefined;
        if (first === 'iface') {
          let ns = ke;
          while (ns < line.end && isBlank(text.charCodeAt(ns))) ns++;
          let ne = ns;
          while (ne < line.end && !isBlank(text.charCodeAt(ne))) ne++;
          current = { name: text.slice(ns, ne), nameSpan: { start: ns, end: ne }, start: line.start, end: text.length };
          stanzas.push(current);
        }
      } else if (current && KEYS.has(first)) {
        let vs = ke;
        while (vs < line.end && isBlank(text.charCodeAt(vs))) vs++;
        let ve = line.end;
        while (ve > vs && isBlank(text.charCodeAt(ve - 1))) ve--;
        if (ve > vs) hooks.push({ key: first, lineStart: line.start, keyStart: ks, valueStart: vs, valueEnd: ve });
      }
    }
    lineStart = line.next;
  }
  return { hooks, stanzas };
}

/** The path names ifupdown reads its configuration from: `interfaces`, and any file of an `interfaces.d` folder. */
const IFUPDOWN_NAME = /(^|[/\\])(interfaces|interfaces\.d[/\\][^/\\]+)$/;

/** Whether a text is an ifupdown configuration with hooks: by its name (see IFUPDOWN_NAME), an `iface` stanza and a hook line in one. */
export function isIfupdownConfig(text: string, fileName?: string): boolean {
  if (fileName === undefined || !IFUPDOWN_NAME.test(fileName)) return false;
  if (!/^[ \t]*iface[ \t]/m.test(text)) return false;
  return ifupdownParse(text).hooks.length > 0;
}

/**
 * Whether the file is read by ifupdown2 rather than ifupdown, as far as it says: it configures
 * a Proxmox bridge (`iface vmbr0`), and Proxmox VE reads its interfaces file with ifupdown2.
 * ifupdown2 (3.0.0, checked) warns about an up line that fails and goes on, and runs the up
 * lines of an interface that is up again at each `ifup` and `ifreload -a`.
 */
export function readByIfupdown2(stanzas: readonly IfaceStanza[]): boolean {
  return stanzas.some((s) => /^vmbr\d+$/.test(s.name));
}

/** The stanza a hook (by its line's start) belongs to. */
export function stanzaAt(stanzas: readonly IfaceStanza[], offset: number): IfaceStanza | undefined {
  return stanzas.find((s) => s.start <= offset && offset < s.end);
}
