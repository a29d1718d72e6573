import type { Family } from '../knowledge/types.ts';
import type { SaveLine, SyntaxIssue } from '../syntax/nodes.ts';
import { NONE } from '../syntax/none.ts';
import { parseSaveLine } from '../syntax/saveLine.ts';
import type { Span } from '../text/span.ts';
import { drain, type Steps } from '../services/steps.ts';
import { bindCommand } from './bind.ts';
import { isRuleListing, listingTables } from './ruleListing.ts';
import { listOutputIssue } from './listOutput.ts';
import { NamePool } from './namePool.ts';
import { collectSpans, shiftAll } from './shiftSpans.ts';
import { detachedCopy } from '../text/detachedCopy.ts';
import { EditedText, type Edit } from '../text/textAfterEdit.ts';
import { TableState } from './tableState.ts';
import type { Command, ReplacedBlock, RuleSet } from './types.ts';

/** One line of the file with what was parsed from it. */
export interface SaveEntry {
  start: number;
  /** End of the line's content (before `\r\n` / `\n`). */
  end: number;
  line: SaveLine;
  /** The line's syntax problems (the shared empty list when none). */
  issues: SyntaxIssue[];
  command?: Command;
  /** Span objects of this line that are not measured from it, gathered when it first has to move. */
  spans?: Span[];
}

/**
 * The span objects of a line that do not move with it, gathered the first time they are
 * needed: most spans of a line are measured from it (LineSpan); the few others (values the
 * binding splits off, such as `-ptcp`'s protocol) are moved one by one.
 */
function spansOf(e: SaveEntry): Span[] {
  if (!e.spans) {
    const found = collectSpans([e.line, e.issues, e.command]);
    e.spans = found.length ? found : NONE;
  }
  return e.spans;
}

/** What one edit did to the lines: `removed` were replaced by `added`, in place. */
export interface EditedLines {
  removed: SaveEntry[];
  added: SaveEntry[];
  /** The text of the added lines. */
  text: string;
  /** The table of the `*table` block the added lines are in; undefined outside a block (after a COMMIT, before any table line). */
  blockTable(): string | undefined;
}

/** The finding on a rule line inside a block that holds no command (`-p tcp`, or `-` as a rule is typed): made by toRuleSet, and by an edit that adds such a line in place (see patchRuleSet). */
export function noCommandIssue(line: SaveLine & { kind: 'rule' }, cmd: Command): SyntaxIssue | undefined {
  if (cmd.kind !== 'none' || !line.args.items.length) return undefined;
  return { code: 'syntax-error', message: NO_COMMAND, span: line.span };
}

/** Whether `issue` is the noCommandIssue of `line`. */
export function isNoCommandIssue(issue: SyntaxIssue, line: SaveLine): boolean {
  return issue.span === line.span && issue.message === NO_COMMAND;
}

const NO_COMMAND = 'This rule line has no command: start it with -A CHAIN (or -I, -D, -N…).';

/** One edit: [start, end) of the OLD text replaced. */
export type TextChange = Edit;

/** How a document's lines are read (see SaveDocument). */
type LineReading = Pick<SaveDocument, 'family' | 'names' | 'shellExpands' | 'known' | 'stripTabs' | 'inScript'>;

/**
 * Parses the lines in [from, to] of `text`; `detached`: lines re-parsed after an edit, read
 * from a copy of their own (see detachedCopy: the words of a line are slices of it, and a
 * line parsed after an edit would otherwise keep that version of the document, one more for
 * every line edited). `offset`: where `text` starts in the document (an edited region read on its own).
 */
function parseRange(text: string, from: number, to: number, doc: LineReading, base: SaveEntry[], detached = false, offset = 0): void {
  const { family, names, shellExpands, known, stripTabs } = doc;
  // a file of its own: each rule line is command and rule in one object (see SaveRuleLine)
  const bind = { family, saveTable: { name: '' }, names, ruleInCommand: !doc.inScript };
  let i = from;
  while (i <= to) {
    let nl = text.indexOf('\n', i);
    if (nl === -1 || nl > to) nl = to;
    let end = nl;
    if (end > i && text.charCodeAt(end - 1) === 13) end--;
    // the byte order mark is reported once for the file; the line is read as if it were absent
    let at = i + offset === 0 && text.charCodeAt(0) === 0xfeff ? 1 : i;
    // `<<-` here-documents: the shell removes leading tabs before iptables-restore reads the line
    if (stripTabs) while (at < end && text.charCodeAt(at) === 9) at++;
    const lineText = text.slice(at, end);
    // the entry is the anchor of the line's spans: moving it moves them (see LineSpan)
    const entry: SaveEntry = { start: i + offset, end: end + offset, line: undefined as unknown as SaveLine, issues: NONE, command: undefined, spans: undefined };
    const result = parseSaveLine(detached ? detachedCopy(lineText) : lineText, at + offset, shellExpands, entry, known);
    const line = (entry.line = result.line);
    entry.issues = result.issues;
    if (line.kind === 'rule') entry.command = bindCommand(line.args, line.span, bind);
    else if (line.kind === 'chain') line.name.value = names.intern(line.name.value);
    base.push(entry);
    if (nl >= to) break;
    i = nl + 1;
  }
}

/**
 * An iptables-save / iptables-restore text as lines. On an edit only the touched lines are
 * parsed again; the lines after them keep their parse and have their spans moved.
 */
export class SaveDocument {
  text: string;
  entries: SaveEntry[] = [];
  readonly family: Family;
  /** For a heredoc body: `$…` is expanded by the shell first. */
  readonly shellExpands: boolean;
  /** For a heredoc body: the script's variables known there (see ShellVariables). */
  readonly known: ((name: string) => string | undefined) | undefined;
  /** Offset range inside a larger text (heredoc bodies); whole text otherwise. */
  readonly from: number;
  readonly to: number;
  readonly stripTabs: boolean;
  /** A heredoc body of a script, whose later commands may rename the chains its rules are in. */
  readonly inScript: boolean;
  readonly names = new NamePool();
  /**
   * Whether a text of rule lines alone (no table, chain or COMMIT line) is read as an
   * `iptables -S` listing of the tables it names (see ruleListing.ts) rather than as rules
   * outside any table. The front end decides: not for a here-document's input, which
   * iptables-restore reads, nor for a file whose name says iptables-restore loads it.
   */
  listingAllowed = false;
  /**
   * Whether its blocks add up: it is loaded with `iptables-restore --noflush` (ufw's rules
   * files, a here-document fed to `iptables-restore -n`). Otherwise each `*table` block empties
   * its table, and a second block for a table replaces the first (see ReplacedBlock).
   */
  blocksAddUp = false;
  /**
   * Whether it is one of ufw's rules files (before.rules, after6.rules…): ufw loads it with
   * `iptables-restore -n` at each start and reload, having emptied only its own chains.
   */
  loadedByUfw = false;
  /**
   * Whether its name says a boot service loads it with iptables-restore without `--noflush`
   * (netfilter-persistent's rules.v4): each table block then starts from an empty table, so
   * the rules of its built-in chains are all known. Elsewhere a file may be a delta loaded
   * with `--noflush`, built-in chains keeping the host's rules.
   */
  replacesTables = false;
  /** Whether the last toRuleSet read the text as a listing. */
  private listed = false;

  /** `parse`: false leaves the lines to parseSteps. */
  constructor(text: string, family: Family, range?: { from: number; to: number; shellExpands?: boolean; known?: (name: string) => string | undefined; stripTabs?: boolean }, parse = true) {
    this.text = text;
    this.family = family;
    this.from = range?.from ?? 0;
    this.to = range?.to ?? text.length;
    this.shellExpands = range?.shellExpands ?? false;
    this.known = range?.known;
    this.stripTabs = range?.stripTabs ?? false;
    this.inScript = range !== undefined;
    if (parse) parseRange(text, this.from, this.to, this, this.entries);
  }

  /**
   * A whole file's lines parsed `linesPerStep` at a time, yielding between (a front end answers
   * other requests meanwhile): the same lines as the constructor's, each chunk ending at a line
   * break.
   */
  static *parseSteps(text: string, family: Family, linesPerStep: number): Steps<SaveDocument> {
    const doc = new SaveDocument(text, family, undefined, false);
    let from = 0;
    for (;;) {
      let to = from - 1;
      for (let n = 0; n < linesPerStep && to < text.length; n++) {
        to = text.indexOf('\n', to + 1);
        if (to === -1) to = text.length;
      }
      // the last chunk runs to the end, as the constructor's parse does (a last empty line included)
      if (to >= text.length) {
        parseRange(text, from, text.length, doc, doc.entries);
        return doc;
      }
      parseRange(text, from, to, doc, doc.entries);
      from = to + 1;
      yield;
    }
  }

  /** Applies one edit (offsets in the old text) and re-parses only the lines it touches. */
  applyChange(change: TextChange): EditedLines {
    const newText = this.text.slice(0, change.start) + change.text + this.text.slice(change.end);
    return this.applyEdited(newText, change);
  }

  /**
   * The new text is already known (the LSP layer applied the edit). Returns the lines replaced
   * and their replacements. `old` is the text before the edit, read without joining pieces
   * (see EditedText).
   */
  applyEdited(newText: string, change: TextChange, old = new EditedText(this.text)): EditedLines {
    const delta = change.text.length - (change.end - change.start);
    const entries = this.entries;
    // first line touched: the one containing change.start; last: the one containing change.end
    const first = Math.max(0, this.entryAt(change.start));
    let last = this.entryAt(change.end);
    if (last < first) last = first;
    const from = entries[first]?.start ?? 0;
    const oldTo = last + 1 < entries.length ? entries[last + 1].start - 1 : this.text.length;
    const newTo = Math.max(from, oldTo + delta);
    const fresh: SaveEntry[] = [];
    // the touched lines as they read now, cut from the old text (see EditedText)
    const region = old.with(change).read(from, newTo);
    parseRange(region, 0, region.length, this, fresh, true, from);
    if (delta !== 0) {
      for (let k = last + 1; k < entries.length; k++) {
        const e = entries[k];
        // the line's own spans move with its start; the others are moved here
        shiftAll(spansOf(e), delta);
        e.start += delta;
        e.end += delta;
      }
    }
    const removed = entries.splice(first, last - first + 1, ...fresh);
    this.text = newText;
    return { removed, added: fresh, text: region, blockTable: () => this.openTableBefore(first) };
  }

  /** The table of the block open at the line `index` (the nearest table line above it, unless a COMMIT closed it). */
  private openTableBefore(index: number): string | undefined {
    const e = this.entries;
    for (let i = index - 1; i >= 0; i--) {
      const line = e[i].line;
      if (line.kind === 'table') return line.name.value || undefined;
      if (line.kind === 'commit') return undefined;
    }
    return undefined;
  }

  /** Lines whose spans were gathered ahead of an edit, counted from the end (see gatherSpans). */
  private gathered = 0;

  /**
   * Gathers the span objects of up to `count` more lines, ahead of the edits that will move
   * them: the first edit near the top of a 100k-line dump would otherwise stop for a second to
   * gather every line below it. From the end up: every edit moves the last lines, few move the
   * first ones. Returns true when every line has them.
   */
  gatherSpans(count: number): boolean {
    const entries = this.entries;
    const done = Math.min(entries.length, this.gathered + count);
    for (let k = entries.length - 1 - this.gathered; k >= entries.length - done; k--) spansOf(entries[k]);
    this.gathered = done;
    return done >= entries.length;
  }

  /** Index of the line containing `offset` (binary search). */
  entryAt(offset: number): number {
    const e = this.entries;
    let lo = 0;
    let hi = e.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (e[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The table of the block holding `offset`: the name on the nearest table line (`*nat`) above it, or none. */
  tableAt(offset: number): string | undefined {
    const e = this.entries;
    for (let i = this.entryAt(offset); i >= 0; i--) {
      const line = e[i].line;
      if (line.kind === 'table') return line.name.value;
      // a listing's lines carry the table their run lists (see toRuleSet)
      if (this.listed && line.kind === 'rule' && e[i].command) return e[i].command!.table;
    }
    return undefined;
  }

  /** Tables, chains and rules, with the structural problems (`missing-commit`, rules outside a table…). */
  toRuleSet(): RuleSet {
    return drain(this.ruleSetSteps(Infinity));
  }

  /**
   * toRuleSet in steps of `linesPerStep` lines, yielding between (a front end answers other
   * requests meanwhile: 0.2–0.3 s in one piece on a 100k-rule dump). The lines must not change
   * until the last step.
   */
  *ruleSetSteps(linesPerStep: number): Steps<RuleSet> {
    const state = new TableState();
    const issues: SyntaxIssue[] = [];
    const commands: Command[] = [];
    const text = this.text;
    if (this.from === 0 && text.charCodeAt(0) === 0xfeff) {
      issues.push({ code: 'syntax-error', message: 'The file starts with a UTF-8 byte order mark: iptables-restore fails on line 1. Save it without a BOM.', span: { start: 0, end: 1 } });
    }
    const firstNl = text.indexOf('\n', this.from);
    if (firstNl > this.from && text.charCodeAt(firstNl - 1) === 13 && firstNl <= this.to) {
      issues.push({ code: 'syntax-error', message: 'Windows (CRLF) line endings: iptables-restore reads the \\r as part of each line and fails on line 1. Convert the file to LF.', span: { start: this.from, end: firstNl - 1 } });
    }
    // iptables -L output: one finding says so, instead of an error on each of its lines
    const listOutput = this.inScript ? undefined : listOutputIssue(text, this.from, this.to);
    if (listOutput) {
      issues.push(listOutput);
      this.listed = false;
      return { dialect: 'save', commands, tables: state.tables, forwarding: [], routeLocalnet: [], issues, hasRules: true, family: this.family, refusals: state.refusals };
    }
    let open: { name: string; span: Span; header: Span; replaced?: ReplacedBlock } | undefined;
    let table = state.table(this.family, 'filter');
    state.tables.clear();
    // an iptables -S listing: the table of each line, from the run of lines it is in
    const listing = this.listingAllowed && isRuleListing(this.entries) ? listingTables(this.entries) : undefined;
    this.listed = listing !== undefined;
    let listedTable: string | undefined;
    // the header of each table's last block, for a later block that empties it again
    const opened = new Map<string, Span>();
    // the COMMIT line of each table's last block, where it was closed
    const committed = new Map<string, Span>();
    const replacedBlocks: ReplacedBlock[] = [];
    let rulesDropped = false;
    const entries = this.entries;
    for (let i = 0, stepEnd = linesPerStep; i < entries.length; i++) {
      if (i === stepEnd) {
        stepEnd += linesPerStep;
        yield;
      }
      const e = entries[i];
      const line = e.line;
      if (listing && line.kind === 'rule' && listing.tables[i] !== listedTable) {
        // nothing names the table: the first line of its run stands for it
        listedTable = listing.tables[i];
        table = state.table(this.family, listedTable, { start: e.start, end: e.start });
      }
      // outside a table iptables-restore stops at the line itself; its finer problems would only repeat that
      if (!(line.kind === 'rule' && !open && !listing)) issues.push(...e.issues);
      switch (line.kind) {
        case 'table':
          if (open) issues.push({ code: 'missing-commit', message: `The *${open.name} block is not closed by COMMIT before the next table.`, span: open.header });
          open = { name: line.name.value, span: line.name.span, header: line.span };
          if (!line.name.value) issues.push({ code: 'syntax-error', message: 'A table line needs the table name right after the asterisk (*filter, *nat…).', span: line.span });
          table = state.table(this.family, line.name.value, line.name.span);
          // (a restore input of a script is judged in the script's own order, by its tables)
          if (this.replacesTables && !this.blocksAddUp && !listing) state.restoredEmpty(table);
          if (!listing) state.beginRestoreBlock(line.span.start);
          if (line.name.value) {
            const earlier = opened.get(line.name.value);
            if (earlier && !this.blocksAddUp) {
              const lost = state.emptyTable(table);
              const replaced: ReplacedBlock = { family: this.family, table: line.name.value, header: line.name.span, earlier, ...lost };
              const earlierCommit = committed.get(line.name.value);
              if (earlierCommit) replaced.earlierCommit = earlierCommit;
              replacedBlocks.push(replaced);
              open.replaced = replaced;
              if (lost.rules) rulesDropped = true;
            }
            opened.set(line.name.value, line.name.span);
            committed.delete(line.name.value);
          }
          for (const w of line.extra) issues.push({ code: 'syntax-error', message: `Unexpected '${w.text}' after the table name.`, span: w.span });
          break;
        case 'chain': {
          if (!open) {
            issues.push({ code: 'syntax-error', message: 'A chain line must be inside a *table block.', span: line.span });
            break;
          }
          const c = state.declare(table, line.name.value, line.name.span, line.span, line.policy);
          state.declared(c);
          // a user chain's line empties it (see ChainDeclaration.emptied)
          if (!c.builtin && c.rules.length) {
            c.declarations[c.declarations.length - 1].emptied = c.rules.length;
            c.rules = [];
            rulesDropped = true;
          }
          if (!line.name.value) issues.push({ code: 'syntax-error', message: 'A chain line needs a chain name after the colon.', span: line.span });
          if (!line.policy) issues.push({ code: 'syntax-error', message: `:${line.name.value} needs a policy (ACCEPT or DROP for built-in chains, - for user chains).`, span: line.name.span });
          for (const w of line.extra) issues.push({ code: 'syntax-error', message: `Unexpected '${w.text}' after the chain's counters.`, span: w.span });
          break;
        }
        case 'commit':
          if (!open) issues.push({ code: 'syntax-error', message: 'COMMIT without a *table block to close.', span: line.span });
          else {
            committed.set(open.name, line.span);
            if (open.replaced) open.replaced.commit = line.span;
          }
          open = undefined;
          for (const w of line.extra) issues.push({ code: 'syntax-error', message: `Unexpected '${w.text}' after COMMIT.`, span: w.span });
          break;
        case 'rule': {
          const cmd = e.command;
          if (!cmd) break;
          if (!open && !listing) {
            issues.push({ code: 'syntax-error', message: 'A rule must be inside a *table block (start one with a line such as *filter).', span: line.span });
            break;
          }
          // the header's span stays with the header: lines keep no spans of other lines, so
          // an edit can move each line's spans on its own
          cmd.table = table.name;
          if (cmd.rule) cmd.rule.table = table.name;
          issues.push(...cmd.issues);
          const none = noCommandIssue(line, cmd);
          if (none) issues.push(none);
          commands.push(cmd);
          state.apply(cmd);
          break;
        }
        default:
          break;
      }
    }
    if (open) issues.push({ code: 'missing-commit', message: `The *${open.name} block has no COMMIT: iptables-restore discards the whole table.`, span: open.header });
    state.fitLists();
    const rs: RuleSet = { dialect: 'save', commands, tables: state.tables, forwarding: [], routeLocalnet: [], issues, hasRules: true, family: this.family, refusals: state.refusals };
    if (listing) rs.listing = listing.whole ? 'tables' : 'chains';
    if (replacedBlocks.length) rs.replacedBlocks = replacedBlocks;
    if (rulesDropped) rs.rulesDropped = true;
    if (this.blocksAddUp) rs.noflush = true;
    if (this.loadedByUfw) rs.loadedByUfw = true;
    return rs;
  }
}
