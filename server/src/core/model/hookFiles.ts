import { ifupdownParse, isIfupdownConfig, readByIfupdown2, stanzaAt, IFUPDOWN_HOOK_DOCS, IFUPDOWN_LINE_DOC, type IfaceStanza } from './ifupdown.ts';
import type { ScriptOptions } from './scriptDocument.ts';
import { isWgQuickConfig, wgQuickHooks, WG_QUICK_HOOK_DOCS, WG_QUICK_LINE_DOC } from './wgQuick.ts';

/**
 * Files of another program that hold shell commands run when an interface comes up and goes
 * down: wg-quick's configurations (see wgQuick.ts) and ifupdown's (see ifupdown.ts). The
 * product reads each through views of it as a script (hookView): what bringing the interface
 * up runs, and what taking it down runs.
 */
export type HookFormat = 'wg-quick' | 'ifupdown';

/** Which hooks a view holds: what bringing the interface up runs, or what taking it down runs. */
export type HookPhase = 'up' | 'down';

/** One hook line: its key and where its value is (trimmed; wg-quick's cut at the first `#`, ifupdown's possibly over several lines). */
export interface Hook {
  key: string;
  /** Start of the line. */
  lineStart: number;
  /** Start of the key. */
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/** A file's hook lines, and for ifupdown its `iface` stanzas (each interface is brought up and down on its own). */
export interface HookLines {
  hooks: Hook[];
  stanzas?: IfaceStanza[];
}

const DOWN_KEYS = new Set(['PreDown', 'PostDown', 'down', 'pre-down', 'post-down']);

/** The phase that runs a hook: wg-quick's Pre/PostUp and ifupdown's pre-up, up and post-up `up`, the others `down`. */
export function phaseOf(key: string): HookPhase {
  return DOWN_KEYS.has(key) ? 'down' : 'up';
}

/** The format of a file of hooks, by its name and text; undefined for any other file. */
export function hookFormatOf(text: string, fileName?: string): HookFormat | undefined {
  if (isWgQuickConfig(text, fileName)) return 'wg-quick';
  if (isIfupdownConfig(text, fileName)) return 'ifupdown';
  return undefined;
}

/** The hook lines of a text of that format, in the file's order. */
export function hookLinesOf(format: HookFormat, text: string): HookLines {
  return format === 'wg-quick' ? { hooks: wgQuickHooks(text) } : ifupdownParse(text);
}

/** How a format's hooks are run and written: for messages, and for the lines quick fixes add. */
export interface HookFormatInfo {
  /** What brings the interface up, and takes it down, in messages. */
  up: string;
  down: string;
  /** The keys of the down phase, in messages. */
  downKeys: string;
  /** The key a rule added in an up line is deleted again under. */
  teardownKey: string;
  /** The key of a command added where no hook line of its phase is near. */
  firstUpKey: string;
  /** A line as written by a fix: its key and its command. */
  written: RegExp;
  /** Hook lines stand at the indentation of those beside them (ifupdown's in their stanza). */
  indented: boolean;
  line(key: string, command: string, indent: string): string;
}

export const HOOK_FORMATS: Readonly<Record<HookFormat, HookFormatInfo>> = {
  'wg-quick': {
    up: 'wg-quick up',
    down: 'wg-quick down',
    downKeys: 'PreDown or PostDown',
    teardownKey: 'PostDown',
    firstUpKey: 'PostUp',
    written: /^(PreUp|PostUp|PreDown|PostDown) = (.*)$/,
    indented: false,
    line: (key, command) => `${key} = ${command}`,
  },
  ifupdown: {
    up: 'ifup',
    down: 'ifdown',
    downKeys: 'down, pre-down or post-down',
    teardownKey: 'post-down',
    firstUpKey: 'post-up',
    written: /^[ \t]*(pre-up|up|post-up|down|pre-down|post-down)[ \t]+(.*)$/,
    indented: true,
    line: (key, command, indent) => `${indent}${key} ${command}`,
  },
};

/** What a hook key does, and what every line of its format shares, for hover. */
export function hookDoc(format: HookFormat, key: string): { key: string; line: string } | undefined {
  const docs: Readonly<Record<string, string>> = format === 'wg-quick' ? WG_QUICK_HOOK_DOCS : IFUPDOWN_HOOK_DOCS;
  const doc = Object.hasOwn(docs, key) ? docs[key] : undefined;
  return doc === undefined ? undefined : { key: doc, line: format === 'wg-quick' ? WG_QUICK_LINE_DOC : IFUPDOWN_LINE_DOC };
}

/**
 * A command that adds a rule (`iptables … -A CHAIN …`, `-I CHAIN [n]`) with that turned into
 * `-D CHAIN` (or `as`, `-C CHAIN`, which looks for the rule): what removes its rule again; with
 * the chain it names. Undefined for any other command.
 */
export function deletingCommand(command: string, as: '-D' | '-C' = '-D'): { text: string; chain: string } | undefined {
  const m = /^(.*?\s)(-A|--append|-I|--insert)(\s+)(\S+)(\s+\d+)?(?=\s)/.exec(command);
  return m ? { text: `${m[1]}${as}${m[3]}${m[4]}${command.slice(m[0].length)}`, chain: m[4] } : undefined;
}

/** The text with every character but line ends blank, from `from` to `to`. */
function blank(parts: string[], text: string, from: number, to: number): void {
  if (to <= from) return;
  const piece = text.slice(from, to);
  parts.push(piece.replace(/[^\n\r]/g, ' '));
}

/**
 * The view of a file as the script one phase runs: the values of its hooks (see HookPhase)
 * where they stand (an ifupdown value continued over lines with `\` whole: the shell reads
 * the continuation as ifupdown joins it), lines that are comments as they are (so
 * `iptables-lint` directives work), everything else blank. Same length, same line ends.
 */
export function hookView(text: string, phase: HookPhase, all: readonly Hook[]): string {
  const hooks = all.filter((h) => phaseOf(h.key) === phase);
  const parts: string[] = [];
  let at = 0;
  let next = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const hook = hooks[next]?.lineStart === lineStart ? hooks[next++] : undefined;
    if (hook) {
      blank(parts, text, at, hook.valueStart);
      parts.push(text.slice(hook.valueStart, hook.valueEnd));
      at = hook.valueEnd;
      // the value's last line, where it goes on over several
      if (hook.valueEnd > lineEnd) {
        lineEnd = text.indexOf('\n', hook.valueEnd);
        if (lineEnd === -1) lineEnd = text.length;
      }
      blank(parts, text, at, lineEnd);
      at = lineEnd;
    } else if (!/^[ \t]*#/.test(text.slice(lineStart, Math.min(lineEnd, lineStart + 200)))) {
      blank(parts, text, at, lineEnd);
      at = lineEnd;
    } else {
      parts.push(text.slice(at, lineEnd));
      at = lineEnd;
    }
    lineStart = lineEnd + 1;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * How a phase's view is read as a script: each hook line in a shell of its own; wg-quick's
 * under `set -e` (a failing command ends the run), ifupdown's with `IFACE` set to the
 * stanza's interface, an up line ending ifup where it fails (ifdown goes on after a down line
 * that fails, and ifupdown2 after any). `shift`: where the view starts in the text read (after another one).
 */
export function hookScriptOptions(format: HookFormat, lines: HookLines, phase: HookPhase, shift = 0): ScriptOptions {
  const hooks = lines.hooks.filter((h) => phaseOf(h.key) === phase);
  const subshells = hooks.map((h) => h.lineStart + shift);
  if (format === 'wg-quick') return { errexit: true, subshells };
  const environment = [];
  for (const h of hooks) {
    const stanza = stanzaAt(lines.stanzas ?? [], h.lineStart);
    if (stanza) environment.push({ at: h.lineStart + shift, name: 'IFACE', value: stanza.name, span: stanza.nameSpan, setBy: `ifupdown, to the interface of this stanza (\`iface ${stanza.name}\`)` });
  }
  // ifup stops at an up line that fails; ifupdown2 warns and goes on
  const stops = phase === 'up' && !readByIfupdown2(lines.stanzas ?? []);
  return { subshells, environment, ...(stops ? { stoppingLines: subshells } : {}) };
}

/** The hook whose value holds `offset` (its end included), if one does. */
export function hookAt(hooks: readonly Hook[], offset: number): Hook | undefined {
  return hooks.find((h) => h.valueStart <= offset && offset <= h.valueEnd);
}
