import type { Diagnostic, Fix, FixEdit } from '../analysis/types.ts';
import { deletingCommand, HOOK_FORMATS, phaseOf, type Hook, type HookFormat, type HookFormatInfo, type HookLines } from '../model/hookFiles.ts';
import { stanzaAt } from '../model/ifupdown.ts';

/**
 * The quick fixes of the findings of a file of hooks (wg-quick's, ifupdown's), made to fit the
 * file. The checks work on the script view of its hooks (see hookFiles.ts), where a hook's
 * line is its command alone: a fix that adds a command line writes it as a hook line of the
 * key beside it (`PostUp = iptables -I FORWARD …`, `    post-up iptables -I FORWARD …`), one
 * that removes command lines removes those hook lines whole, and an edit inside a command
 * stays as it is. A fix that cannot be written so (it would join a hook to the line after it,
 * or continue a command on a second line) is left out. A rule a fix adds in an up line is
 * deleted again in a PostDown (post-down) line the fix adds too, in ifupdown in the same
 * `iface` stanza.
 */
export function hookFixes(found: Diagnostic[], source: string, format: HookFormat, lines: HookLines): Diagnostic[] {
  const all = lines.hooks;
  const writing = HOOK_FORMATS[format];
  return found.map((d) => {
    if (!d.fixes?.length) return d;
    // a command added for a finding runs with the commands of the finding's phase (up where it
    // is on no hook line), in ifupdown with those of its stanza
    const at = all.find((h) => h.lineStart <= d.span.start && d.span.start <= h.valueEnd);
    const stanza = lines.stanzas && stanzaAt(lines.stanzas, at?.lineStart ?? d.span.start);
    const mine = stanza ? all.filter((h) => stanzaAt(lines.stanzas!, h.lineStart) === stanza) : all;
    const phase = mine.filter((h) => phaseOf(h.key) === (at ? phaseOf(at.key) : 'up'));
    const fixes: Fix[] = [];
    for (const f of d.fixes) {
      const fitted = fitFix(f, source, all, mine, phase, writing);
      if (fitted) fixes.push(fitted);
    }
    return { ...d, fixes: fixes.length ? fixes : undefined };
  });
}

function fitFix(fix: Fix, source: string, hooks: readonly Hook[], mine: readonly Hook[], phase: readonly Hook[], writing: HookFormatInfo): Fix | undefined {
  const edits: FixEdit[] = [];
  for (const e of fix.edits) {
    const fitted = fitEdit(e, source, hooks, phase, writing);
    if (!fitted) return undefined;
    edits.push(fitted);
  }
  return withTeardown({ ...fix, edits }, source, mine, writing);
}

/** An iptables command adding a rule. */
const RULE_COMMAND = /^(?:sudo\s+)?ip6?tables(?:-legacy|-nft)?\s/;

/**
 * A fix that adds up lines adding rules also deletes them in PostDown (post-down), after the
 * last down line (else after the last hook line) of the hooks that go with it: a rule only
 * the up hooks add is added again at each restart (what rule-left-after-down reports).
 */
function withTeardown(fix: Fix, source: string, hooks: readonly Hook[], writing: HookFormatInfo): Fix {
  const deletes: string[] = [];
  for (const e of fix.edits) {
    for (const line of e.text.split('\n')) {
      const added = writing.written.exec(line.replace(/\r$/, ''));
      const del = added && phaseOf(added[1]) === 'up' && RULE_COMMAND.test(added[2]) ? deletingCommand(added[2]) : undefined;
      if (del) deletes.push(writing.line(writing.teardownKey, del.text, indentOf(source, hooks.at(-1))));
    }
  }
  const down = hooks.filter((h) => phaseOf(h.key) === 'down');
  const last = down.at(-1) ?? hooks.at(-1);
  if (!deletes.length || !last) return fix;
  const nl = source.indexOf('\n', last.valueEnd);
  const at = nl === -1 ? source.length : nl > 0 && source[nl - 1] === '\r' ? nl - 1 : nl;
  // up lines added at the same place (after that line, or at the start of the next) go first
  const next = source.indexOf('\n', at) + 1;
  const same = fix.edits.findIndex((e) => e.span.start === e.span.end && (e.span.start === at || (next > 0 && e.span.start === next)));
  if (same === -1) return { ...fix, edits: [...fix.edits, { span: { start: at, end: at }, text: deletes.map((d) => `\n${d}`).join('') }] };
  const joined = fix.edits[same].span.start === at ? deletes.map((d) => `\n${d}`).join('') : deletes.map((d) => `${d}\n`).join('');
  return { ...fix, edits: fix.edits.map((e, i) => (i === same ? { ...e, text: e.text + joined } : e)) };
}

function lineStartAt(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** The hook whose value holds [start, end) (its ends included). */
function valueHolding(hooks: readonly Hook[], start: number, end: number): Hook | undefined {
  return hooks.find((h) => h.valueStart <= start && end <= h.valueEnd);
}

/** A line the view keeps or leaves blank, that removing whole does no harm: a hook, a comment, a blank line. */
function removableLine(source: string, lineStart: number, hooks: readonly Hook[]): boolean {
  if (hooks.some((h) => h.lineStart === lineStart)) return true;
  const end = source.indexOf('\n', lineStart);
  return /^[ \t]*(#.*)?\r?$/.test(source.slice(lineStart, end === -1 ? source.length : end));
}

/** The blanks before a hook's key on its line (none for no hook). */
function indentOf(source: string, hook: Hook | undefined): string {
  return hook ? source.slice(hook.lineStart, hook.keyStart) : '';
}

function fitEdit(e: FixEdit, source: string, hooks: readonly Hook[], phase: readonly Hook[], writing: HookFormatInfo): FixEdit | undefined {
  let { start, end } = e.span;
  // a change inside one command
  if (!e.text.includes('\n') && valueHolding(hooks, start, end)) return e;
  if (start !== end) {
    // whole lines: from a line's start (or its hook's value) to a later line's start
    const own = hooks.find((h) => h.valueStart === start);
    if (own) start = own.lineStart;
    if (start !== lineStartAt(source, start)) return undefined;
    if (end !== source.length && source[end - 1] !== '\n') return undefined;
    for (let at = start; at < end; at = source.indexOf('\n', at) + 1 || source.length) {
      if (!removableLine(source, at, hooks)) return undefined;
    }
  }
  if (!e.text.includes('\n')) return e.text === '' ? { span: { start, end }, text: '' } : undefined;
  const near = hookNear(phase, start);
  const write = (lines: readonly string[]) => hookLines(lines, near ? near.key : writing.firstUpKey, indentOf(source, near), writing);
  const lineEnd = (at: number): number => {
    const nl = source.indexOf('\n', at);
    return nl === -1 ? source.length : nl > 0 && source[nl - 1] === '\r' ? nl - 1 : nl;
  };
  // new lines at a line's start: `L1\nL2\n`; above the phase's first hook where that is
  // further down (a hook line outside the [Interface] section is not run)
  if (start === end && start === lineStartAt(source, start) && e.text.endsWith('\n') && start < source.length) {
    const lines = write(e.text.slice(0, -1).split('\n'));
    const at = phase.length && start < phase[0].lineStart ? phase[0].lineStart : start;
    return lines && { span: { start: at, end: at }, text: `${lines.join('\n')}\n` };
  }
  // new lines after a line: `\nL1\nL2`, at its end (or its hook's value's: after any comment on it)
  if (start === end && e.text.startsWith('\n')) {
    const own = hooks.find((h) => h.valueEnd === start);
    const at = own ? lineEnd(start) : start;
    if (at !== source.length && source[at] !== '\n' && source[at] !== '\r') return undefined;
    const lines = write(e.text.slice(1).split('\n'));
    return lines && { span: { start: at, end: at }, text: `\n${lines.join('\n')}` };
  }
  return undefined;
}

/**
 * Lines a fix adds, as the file writes them: commands as hook lines of `key` (in ifupdown at
 * `indent`, as the hook beside them); undefined for a command continued on the next line.
 */
function hookLines(lines: readonly string[], key: string, indent: string, writing: HookFormatInfo): string[] | undefined {
  const out: string[] = [];
  for (const line of lines) {
    const written = writing.written.exec(line);
    // the view's indent of a command is where its key stands
    if (/^[ \t]*(#.*)?$/.test(line)) out.push(!writing.indented ? line.trimStart() : line.trim() ? indent + line.trimStart() : '');
    else if (written) out.push(writing.indented ? writing.line(written[1], written[2], indent) : line);
    else if (/\\\r?$/.test(line)) return undefined;
    else out.push(writing.line(key, line.trimStart(), indent));
  }
  return out;
}

/** The phase's hook line nearest above `offset` (else its first one): a command added there runs with its neighbours. */
function hookNear(hooks: readonly Hook[], offset: number): Hook | undefined {
  let near = hooks[0];
  for (const h of hooks) if (h.lineStart < offset) near = h;
  return near;
}
