import { CommandCache } from './analysis/commandCache.ts';
import { runRules, runRulesSteps, type RunOptions } from './analysis/engine.ts';
import type { Diagnostic, HookFacts } from './analysis/types.ts';
import { detectDialect, detectFamily, loadedByRestore, loadedWithNoflush, otherProgramsIni } from './dialect.ts';
import type { Family } from './knowledge/types.ts';
import { SaveDocument, type EditedLines, type TextChange } from './model/saveDocument.ts';
import { patchRuleSet } from './model/patchRuleSet.ts';
import { carryChainFacts } from './analysis/chainGraph.ts';
import { carryDnatChecks } from './analysis/dnatPaths.ts';
import { scriptRuleSet, scriptRuleSetSteps, type ScriptOptions } from './model/scriptDocument.ts';
import type { Dialect, RuleSet } from './model/types.ts';
import { ChainIndex } from './services/chainIndex.ts';
import { drain, type Steps } from './services/steps.ts';
import { LineIndex } from './text/lineIndex.ts';
import { analysisSkipped } from './analysis/rules/analysis-skipped.ts';
import { rules as allRules } from './analysis/registry.ts';
import { DEFAULT_MAX_BYTES, HEAD_CHARS, memorySkip, skipReason, type SkipReason } from './limits.ts';
import { DIRECTIVE_WORD } from './analysis/suppressions.ts';
import { EditedText } from './text/textAfterEdit.ts';
import type { CharSource } from './text/charSource.ts';
import { hookFormatOf, hookLinesOf, hookScriptOptions, hookView, type Hook, type HookFormat, type HookLines } from './model/hookFiles.ts';
import { wgQuickAddresses } from './model/wgQuick.ts';
import { FW3_INCLUDE_NAME } from './knowledge/openWrtChains.ts';
import { hookFixes } from './services/hookFixes.ts';
import { withUfwLoad } from './services/ufwFindings.ts';
import { ufwLoad, type UfwLoad } from './model/ufwLoad.ts';
import type { SourcedTexts } from './model/shellVariables.ts';

export type { Diagnostic } from './analysis/types.ts';
export type { TextChange } from './model/saveDocument.ts';

export interface DocumentOptions {
  fileName?: string;
  dialect?: Dialect | 'auto';
  family?: Family;
  /** Larger documents get no model, only `analysis-skipped` (default 20 MB). */
  maxBytes?: number;
  /**
   * Bytes of heap the document's model may take: what the front end has left for it. A text
   * whose model would take more (see modelHeapBytes) gets no model, only `analysis-skipped`.
   * Undefined: no bound (the core does not know the process's memory).
   */
  memoryRoom?: number;
  /**
   * The text is a file of hooks, a wg-quick or ifupdown configuration, whose hooks are the
   * script (see hookFiles.ts); found from the name and content when the dialect is left to be
   * detected.
   */
  hooks?: HookFormat;
  /**
   * Scripts: the files their `.` and `source` commands read, by the path as the script names it
   * (see RuleSet.sources): where given, the variables they set are read as the shell would.
   */
  sourced?: SourcedTexts;
  /**
   * A save file's lines are not parsed when the document is made: a front end that answers
   * other requests while a big file is read parses them in steps (prepareModel); whatever asks
   * for the model first parses them at once.
   */
  deferModel?: boolean;
}

function internalError(e: unknown): Diagnostic {
  return {
    code: 'internal-error',
    severity: 'error',
    message: `iptables-lint could not analyse this file (${e instanceof Error ? e.message : String(e)}). Please report it.`,
    span: { start: 0, end: 0 },
  };
}

function emptyRuleSet(dialect: Dialect, family: Family): RuleSet {
  return { dialect, commands: [], tables: new Map(), forwarding: [], routeLocalnet: [], issues: [], hasRules: false, family };
}

/**
 * Keystrokes without a pause read through at most this many edits (see EditedText); then the
 * text is joined into one piece, one copy per that many keystrokes.
 */
const MAX_PENDING_EDITS = 64;

/**
 * prepareModel's rule set takes this many lines a step for each line its parse takes: on the
 * 100k-rule dump a line is parsed in about 8 µs and put in its table in about 1.2, and steps
 * of 500 and 10,000 lines took a median 4 and 12 ms (at most about 30 either).
 */
const RULE_SET_LINES_PER_PARSED_LINE = 20;

/**
 * One open document: its text, dialect, parse and model. The core's entry point for every
 * front end. Nothing here throws; a failure becomes an `internal-error` diagnostic.
 */
export class FirewallDocument {
  /** The text the model reads: the document itself, or the script view of a file of hooks (same offsets). */
  text: string;
  /** A file of hooks (wg-quick's, ifupdown's): `text` is the view of what bringing the interface up runs, `source` the file. */
  readonly hooks?: HookFormat;
  /** The document as written, where `text` is a view of it (see hooks). */
  private hookSource?: string;
  /** Its hook lines, read once per text. */
  private hookParse: HookLines = { hooks: [] };
  /** What taking the interface down runs, as a view: for the teardown rule set and the up-then-down findings. */
  private cachedDownView?: string;
  private cachedHookFacts?: HookFacts;
  /** The tables as ufw loads them, as the last findings of a ufw rules file read them (see ufwLoad). */
  private lastUfwLoad?: UfwLoad;
  readonly dialect: Dialect;
  family: Family;
  /** Given by the caller (or by the file's name): not re-guessed from the content on edits. */
  private readonly familyFixed: boolean;
  private readonly fileName?: string;
  /** The files the script reads with `.` (see DocumentOptions.sourced). */
  private sourcedTexts?: SourcedTexts;
  private save?: SaveDocument;
  private cachedRuleSet?: RuleSet;
  private cachedLines?: LineIndex;
  private cachedChains?: ChainIndex;
  private failure?: unknown;
  readonly maxBytes: number;
  /** See DocumentOptions.memoryRoom: kept from the open, so that an edit is judged against the same room. */
  readonly memoryRoom?: number;
  /** The text as the one-piece text it was and the edits made since, until settleText. */
  private pending?: EditedText;
  /** Whether the text holds an `iptables-lint` directive; undefined until searched. */
  private directives?: boolean;
  /** Line-local findings per command, reused across edits of a save file. */
  private readonly commandCache = new CommandCache();
  /**
   * A save file opened with its model deferred, until prepareModel has made it: an edit before
   * then leaves the parse to it (made at once, it held a front end for the whole parse of a big
   * file the user typed in while it opened).
   */
  private deferred: boolean;
  /** Set when the document is binary, over the size limit, or its model would not fit in the memory left for it: no model is built. */
  skipped?: SkipReason;

  constructor(text: string, options: DocumentOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.skipped = skipReason(text, this.maxBytes);
    const detect = !options.dialect || options.dialect === 'auto';
    this.hooks = options.hooks ?? (detect && !this.skipped && options.fileName ? hookFormatOf(text, options.fileName) : undefined);
    if (this.hooks) {
      this.hookSource = text;
      this.hookParse = hookLinesOf(this.hooks, text);
      text = this.skipped ? text : hookView(text, 'up', this.hookParse.hooks);
    }
    this.text = text;
    this.dialect = this.hooks ? 'script' : detect ? detectDialect(text, options.fileName) : (options.dialect as Dialect);
    this.memoryRoom = options.memoryRoom;
    this.skipped ??= memorySkip(text.length, this.dialect, this.memoryRoom);
    this.family = options.family ?? (this.dialect === 'save' ? detectFamily(text, options.fileName) : 'ipv4');
    this.fileName = options.fileName;
    this.sourcedTexts = options.sourced;
    this.familyFixed = options.family !== undefined || this.dialect !== 'save';
    this.deferred = options.deferModel === true;
    try {
      if (this.dialect === 'save' && !this.skipped && !options.deferModel) this.save = this.newSave(text);
    } catch (e) {
      this.failure = e;
    }
  }

  /** What a document of the same name, dialect and family is made with (fixAll judges its fixed text so). */
  get documentOptions(): DocumentOptions {
    return { fileName: this.fileName, dialect: this.dialect, family: this.familyFixed ? this.family : undefined, maxBytes: this.maxBytes, memoryRoom: this.memoryRoom, hooks: this.hooks, ...(this.sourcedTexts ? { sourced: this.sourcedTexts } : {}) };
  }

  /** The document as written: `text`, or the file of hooks `text` is a view of. Edits apply to this. */
  get source(): string {
    return this.hookSource ?? this.text;
  }

  /** A file of hooks' hook lines (none for other documents). */
  get hookLines(): readonly Hook[] {
    return this.hookParse.hooks;
  }

  private get downView(): string {
    return (this.cachedDownView ??= hookView(this.hookSource!, 'down', this.hookParse.hooks));
  }

  /**
   * A file of hooks: what taking the interface down runs (wg-quick's PreDown and PostDown,
   * ifupdown's down and post-down) as a rule set of its own, for what it removes of what up
   * added; a wg-quick interface's addresses; ifupdown's stanzas. Undefined for other documents.
   */
  get hookFacts(): HookFacts | undefined {
    if (this.hookSource === undefined || this.skipped || !this.hooks) return undefined;
    try {
      return (this.cachedHookFacts ??= {
        format: this.hooks,
        teardown: scriptRuleSet(this.downView, hookScriptOptions(this.hooks, this.hookParse, 'down')),
        addresses: this.hooks === 'wg-quick' ? wgQuickAddresses(this.hookSource) : [],
        stanzas: this.hookParse.stanzas,
        lines: this.hookParse.hooks,
      });
    } catch {
      return undefined;
    }
  }

  /**
   * A ufw rules file judged with the files around it: the tables as ufw loads them, as its
   * findings last read them, while the file's text is still the one in them (hover follows a
   * DNAT through them as the finding does). Undefined otherwise.
   */
  get ufwLoad(): UfwLoad | undefined {
    const load = this.lastUfwLoad;
    return load && load.to - load.from === this.text.length && load.text.slice(load.from, load.to) === this.text ? load : undefined;
  }

  /** A save file's model; a text of rule lines alone is an `iptables -S` listing unless its name says iptables-restore loads it. */
  private newSave(text: string): SaveDocument {
    return this.configured(new SaveDocument(text, this.family));
  }

  /** How a save file's lines are read, from its name (see newSave). */
  private configured(doc: SaveDocument): SaveDocument {
    doc.listingAllowed = !loadedByRestore(this.fileName);
    doc.blocksAddUp = loadedWithNoflush(this.fileName);
    // the same names: ufw's rules files are the files loaded with --noflush by their name
    doc.loadedByUfw = doc.blocksAddUp;
    doc.replacesTables = loadedByRestore(this.fileName) && !doc.blocksAddUp;
    return doc;
  }

  /** The text after edits; `changes` (offsets in the text they apply to, in order) lets a save file re-parse only the touched lines. */
  update(newText: string, changes?: TextChange[]): void {
    if (this.hooks) {
      // a configuration of a few lines: its views are made again; one that is binary or too big is
      // judged as it is (its view could leave out what makes it so)
      this.hookSource = newText;
      this.hookParse = hookLinesOf(this.hooks, newText);
      this.cachedDownView = undefined;
      this.cachedHookFacts = undefined;
      if (!skipReason(newText, this.maxBytes)) newText = hookView(newText, 'up', this.hookParse.hooks);
      changes = undefined;
    }
    const previous = this.cachedRuleSet;
    const previousLines = this.cachedLines;
    const previousChains = this.cachedChains;
    const change = changes?.length === 1 ? changes[0] : undefined;
    // the text as it was, read without joining its pieces; past MAX_PENDING_EDITS keystrokes
    // without a pause, it is joined once
    let old = this.pending ?? new EditedText(this.text);
    if (change && old.edits.length >= MAX_PENDING_EDITS) {
      this.text.charCodeAt(0);
      old = new EditedText(this.text);
    }
    // the new text is read through the one-piece text and the edits: not before settleText
    this.pending = change && old.with(change);
    // known to hold no directive only while edits of a save file are followed (below)
    const noDirectives = this.directives === false;
    this.directives = undefined;
    this.cachedRuleSet = undefined;
    this.cachedLines = previousLines && change && previousLines.length === this.text.length ? LineIndex.afterEdit(previousLines, change, newText) : undefined;
    this.cachedChains = undefined;
    this.failure = undefined;
    // the checks below look at the start of the text only
    const head = this.pending ? this.pending.read(0, HEAD_CHARS) : newText;
    this.skipped = skipReason(head, this.maxBytes, newText.length) ?? memorySkip(newText.length, this.dialect, this.memoryRoom);
    if (this.skipped) {
      this.save = undefined;
      this.text = newText;
      return;
    }
    // a new file's first IPv6 rule (or its ip6tables-save header) makes it an IPv6 file
    const family = this.familyFixed ? this.family : detectFamily(head, this.fileName);
    if (family !== this.family) {
      this.family = family;
      this.save = undefined;
    }
    try {
      if (this.dialect === 'save') {
        if (!this.save) {
          if (!this.deferred) this.save = this.newSave(newText);
        } else if (change) {
          const edited = this.save.applyEdited(newText, change, old);
          // unless a directive was typed (or completed) on the edited lines
          if (noDirectives && !edited.text.includes(DIRECTIVE_WORD)) this.directives = false;
          if (previous) this.cachedRuleSet = this.patched(previous, edited, previousChains);
        } else this.save = this.newSave(newText);
      }
    } catch (e) {
      this.failure = e;
      this.save = undefined;
    }
    this.text = newText;
  }

  /** The rule set after an edit of rules in place, with what the analysis knew of the old one carried over; undefined when it must be rebuilt. */
  private patched(previous: RuleSet, edited: EditedLines, chains: ChainIndex | undefined): RuleSet | undefined {
    const p = patchRuleSet(previous, edited);
    if (!p) return undefined;
    try {
      if (chains) {
        chains.replaceCommands(p.patches);
        this.cachedChains = chains;
      }
    } catch {
      // built afresh when asked for
    }
    try {
      if (carryChainFacts(previous, p.ruleSet, p.patches)) {
        carryDnatChecks(previous, p.ruleSet, p.patches);
        this.commandCache.patched(previous, p.ruleSet, p.patches);
      }
    } catch {
      // nothing carried: the analysis evaluates the new rule set afresh and reports what fails there
    }
    return p.ruleSet;
  }

  /**
   * Work done ahead of edits, in slices a front end runs when it is idle: the span objects of
   * `count` more lines of a save file are gathered (see SaveDocument.gatherSpans). True when
   * nothing is left to do.
   */
  prepareForEdits(count = 1000): boolean {
    try {
      return this.save ? this.save.gatherSpans(count) : true;
    } catch {
      return true;
    }
  }

  /**
   * Copies the text into one piece when nothing else is going on. An edit leaves it as pieces
   * of the text before (see EditedText); whatever reads it as a whole first copies it,
   * 45–55 ms for a 15 MB dump here. The edits and their analysis read through the pieces; a
   * front end calls this in a pause in typing, so that requests about the whole text do not
   * pay for the copy.
   */
  settleText(): void {
    this.text.charCodeAt(0);
    this.pending = undefined;
  }

  /** A save file's table at `offset` (see SaveDocument.tableAt); undefined in a script, or outside any table. */
  tableAt(offset: number): string | undefined {
    try {
      return this.save?.tableAt(offset);
    } catch {
      return undefined;
    }
  }

  /**
   * The text, to be read a character or a stretch at a time without joining the pieces edits
   * made of it (see settleText): what an editor asks for after each pause in typing (the
   * semantic tokens' frame, the outline's and folding's table blocks) reads it through here.
   */
  get chars(): CharSource {
    return this.pending ?? this.text;
  }

  /** `[from, to)` of the text, read without joining the pieces edits made of it (see settleText). */
  read(from: number, to: number): string {
    return this.pending ? this.pending.read(from, to) : this.text.slice(from, to);
  }

  /** Whether the text holds an `iptables-lint` directive: searched once, then followed through edits of a save file. */
  private hasDirectives(): boolean {
    if (this.directives === undefined) {
      this.directives = this.text.includes(DIRECTIVE_WORD);
      // the search joined the pieces
      this.pending = undefined;
    }
    return this.directives;
  }

  /** The rule set is known (a fresh document analysed, or an edit of rules in place): the next analysis is quick. */
  get ruleSetReady(): boolean {
    return this.cachedRuleSet !== undefined;
  }

  get lines(): LineIndex {
    return (this.cachedLines ??= new LineIndex(this.text));
  }

  get ruleSet(): RuleSet {
    if (this.cachedRuleSet) return this.cachedRuleSet;
    try {
      if (this.failure) throw this.failure;
      if (this.skipped) return (this.cachedRuleSet = emptyRuleSet(this.dialect, this.family));
      // fail2ban's actions and the like: no rules of ours (files of hooks are judged by them)
      if (this.dialect === 'script' && !this.hooks && otherProgramsIni(this.text, this.fileName)) return (this.cachedRuleSet = emptyRuleSet(this.dialect, this.family));
      if (this.dialect === 'save' && !this.save) {
        // asked for before prepareModel made it: made at once, and kept up by edits from now on
        this.save = this.newSave(this.text);
        this.deferred = false;
      }
      this.cachedRuleSet = this.dialect === 'save' ? this.save!.toRuleSet() : scriptRuleSet(this.text, this.scriptOptions);
    } catch (e) {
      this.failure = e;
      this.cachedRuleSet = emptyRuleSet(this.dialect, this.family);
    }
    return this.cachedRuleSet;
  }

  /** How a script's text is read: with the files its `.` commands read, or a file of hooks' view as its program runs it (see hookScriptOptions). */
  get scriptOptions(): ScriptOptions {
    if (this.hooks !== undefined) return hookScriptOptions(this.hooks, this.hookParse, 'up');
    // OpenWrt's firewall.user: fw3 runs it on the tables it built
    return { sourced: this.sourcedTexts, ...(this.fileName && FW3_INCLUDE_NAME.test(this.fileName) ? { runBy: 'fw3' as const } : {}) };
  }

  /** The files given for the script's `.` and `source` commands (see DocumentOptions.sourced). */
  get sourced(): SourcedTexts | undefined {
    return this.sourcedTexts;
  }

  /**
   * Gives the files the script's `.` and `source` commands read (a front end reads those
   * RuleSet.sources names): the model is made again when they differ from the ones it was made
   * with. Save files and files of hooks read none.
   */
  setSourced(sourced: SourcedTexts | undefined): void {
    if (this.dialect !== 'script' || this.hooks || sameSourced(this.sourcedTexts, sourced)) return;
    this.sourcedTexts = sourced;
    this.cachedRuleSet = undefined;
    this.cachedChains = undefined;
    this.failure = undefined;
  }

  /** Every chain name occurrence, for navigation, rename and lenses. */
  get chains(): ChainIndex {
    return (this.cachedChains ??= drain(ChainIndex.build(this.ruleSet)));
  }

  /**
   * Makes the chain index (see chains) a step at a time, when the rule set is known and the
   * index is not: for a front end's idle time after an analysis. On a 100k-rule dump the first
   * hover, cursor move (highlights) or lens on a chain after the open, or after an edit that
   * rebuilt the tables, built it: 80–280 ms.
   */
  *prepareChains(): Steps<void> {
    const rs = this.cachedRuleSet;
    if (!rs || this.cachedChains || this.skipped || this.failure) return;
    let index: ChainIndex;
    try {
      index = yield* ChainIndex.build(rs);
    } catch {
      // left to the request that asks for it, which reports what fails
      return;
    }
    // an edit between the steps replaced the rule set: the index is of the old one
    if (this.cachedRuleSet === rs) this.cachedChains ??= index;
  }

  /**
   * A save file's model made in steps (see DocumentOptions.deferModel): its lines parsed
   * `linesPerStep` at a time, then put in their tables RULE_SET_LINES_PER_PARSED_LINE times as
   * many at a time; a shell script's `linesPerStep` of its commands at a time (see
   * prepareScript). Nothing to do where the model is made, or was made meanwhile by whatever
   * asked for it.
   */
  *prepareModel(linesPerStep = 500): Steps<void> {
    if (this.dialect === 'script') return yield* this.prepareScript(linesPerStep);
    if (this.dialect !== 'save' || this.skipped || this.save || this.cachedRuleSet || this.failure) return;
    const text = this.text;
    let save: SaveDocument;
    let ruleSet: RuleSet;
    try {
      save = this.configured(yield* SaveDocument.parseSteps(text, this.family, linesPerStep));
      yield;
      // an edit meanwhile does not reach these lines: the document takes them only when they are of its text
      ruleSet = yield* save.ruleSetSteps(linesPerStep * RULE_SET_LINES_PER_PARSED_LINE);
    } catch {
      // made at once when asked for, where the failure is reported
      return;
    }
    // edited meanwhile, or made by a request: this one is of another text, or not needed
    if (this.text !== text || this.save || this.cachedRuleSet) return;
    this.save = save;
    this.cachedRuleSet = ruleSet;
    this.deferred = false;
  }

  /**
   * A shell script's model made in steps, `commandsPerStep` of its commands at a time (see
   * scriptRuleSetSteps), kept when the text and the files it reads with `.` are still those
   * it was made of. A file of hooks holds a few lines, made when asked for.
   */
  private *prepareScript(commandsPerStep: number): Steps<void> {
    if (this.hooks || this.skipped || this.cachedRuleSet || this.failure) return;
    const text = this.text;
    const sourced = this.sourcedTexts;
    // another program's configuration: no model to make (see ruleSet)
    if (otherProgramsIni(text, this.fileName)) return;
    let ruleSet: RuleSet;
    try {
      ruleSet = yield* scriptRuleSetSteps(text, this.scriptOptions, commandsPerStep);
    } catch {
      // made at once when asked for, where the failure is reported
      return;
    }
    if (this.text !== text || this.sourcedTexts !== sourced || this.cachedRuleSet || this.skipped) return;
    this.cachedRuleSet = ruleSet;
  }

  diagnostics(options: RunOptions = {}): Diagnostic[] {
    return drain(this.diagnosticsSteps(options));
  }

  /** The findings, worked out in steps (see runRulesSteps): a front end answers other requests between them. */
  *diagnosticsSteps(options: RunOptions = {}): Steps<Diagnostic[]> {
    try {
      if (this.skipped) {
        const empty = emptyRuleSet(this.dialect, this.family);
        return runRules(empty, this.text, this.lines, { ...options, settings: { ...options.settings, maxBytes: this.maxBytes, memoryRoom: this.memoryRoom }, rules: [analysisSkipped] });
      }
      const rs = this.ruleSet;
      if (this.failure) return [internalError(this.failure)];
      // shell files without any iptables command are not ours to judge
      if (rs.dialect === 'script' && !rs.hasRules) return [];
      // the line index and the search for directives each read the whole text when first asked
      // (15 and 5 ms of a 15 MB dump's): a step before the analysis's first
      const lines = this.lines;
      const directives = this.hasDirectives();
      yield;
      const found = yield* runRulesSteps(rs, this.text, lines, {
        commandCache: this.commandCache,
        ...options,
        settings: { ...options.settings, maxBytes: this.maxBytes, memoryRoom: this.memoryRoom },
        directives,
        read: (from, to) => this.read(from, to),
        hooks: this.hookFacts,
      });
      if (this.hookSource !== undefined) return this.withTeardownFindings(found, options);
      const ufw = rs.dialect === 'save' ? options.settings?.workspaceUfw : undefined;
      this.lastUfwLoad = ufw && ufwLoad(this.text, this.family, ufw);
      return this.lastUfwLoad ? withUfwLoad(found, this.lastUfwLoad, options) : found;
    } catch (e) {
      return [internalError(e)];
    }
  }

  /**
   * A file of hooks' findings: those of what up runs, then those of what down runs that are
   * about its commands themselves (an unknown option, a `-D` of a rule that is not there, a
   * jump to a chain that does not exist), judged with the up hooks run before them (see
   * DOWN_CODES); every fix made to fit the file (see hookFixes).
   */
  private withTeardownFindings(found: Diagnostic[], options: RunOptions): Diagnostic[] {
    const format = this.hooks!;
    if (this.hookFacts?.teardown.hasRules) {
      // up, then down, as one script: offsets past `shift` are the down view's
      const shift = this.text.length + 1;
      const cycle = `${this.text}\n${this.downView}`;
      const rules = (options.rules ?? allRules).filter((r) => DOWN_CODES.has(r.code));
      const up = hookScriptOptions(format, this.hookParse, 'up');
      const down = hookScriptOptions(format, this.hookParse, 'down', shift);
      const script = { errexit: up.errexit, subshells: [...up.subshells!, ...down.subshells!], stoppingLines: up.stoppingLines, environment: [...(up.environment ?? []), ...(down.environment ?? [])] };
      const downFound = runRules(scriptRuleSet(cycle, script), cycle, new LineIndex(cycle), { ...options, rules, settings: { ...options.settings, maxBytes: this.maxBytes, memoryRoom: this.memoryRoom } });
      for (const d of downFound) {
        const moved = shiftedBack(d, shift);
        if (moved) found.push(moved);
      }
      found.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    }
    return hookFixes(found, this.hookSource!, format, this.hookParse);
  }
}

function sameSourced(a: SourcedTexts | undefined, b: SourcedTexts | undefined): boolean {
  if (!a?.size || !b?.size) return !a?.size && !b?.size;
  if (a.size !== b.size) return false;
  for (const [path, t] of a) {
    const o = b.get(path);
    if (!o || o.file !== t.file || o.text !== t.text) return false;
  }
  return true;
}

/** What a file of hooks' down hooks are checked for: their commands themselves, and whether they succeed after up's. */
const DOWN_CODES = new Set(['syntax-error', 'unknown-table', 'unknown-option', 'unknown-match', 'unknown-target', 'invalid-value', 'option-requires-match', 'option-combination', 'target-not-allowed-here', 'address-family-mismatch', 'undefined-chain', 'command-fails', 'failure-stops-script', 'deprecated-state-match', 'obsolete-extension', 'hostname-resolved-once']);

/** A finding of the up-then-down script in the down view's offsets; undefined for one about the up part. */
function shiftedBack(d: Diagnostic, shift: number): Diagnostic | undefined {
  if (d.span.start < shift) return undefined;
  const back = (span: { start: number; end: number }) => ({ start: span.start - shift, end: span.end - shift });
  const fixes = d.fixes?.filter((f) => f.edits.every((e) => e.span.start >= shift)).map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: back(e.span) })) }));
  return {
    ...d,
    span: back(d.span),
    related: d.related?.filter((r) => r.span.start >= shift).map((r) => ({ ...r, span: back(r.span) })),
    fixes: fixes?.length ? fixes : undefined,
  };
}

/** Lints one text in one call. */
export function lintText(text: string, options: DocumentOptions & RunOptions = {}): { dialect: Dialect; family: Family; diagnostics: Diagnostic[] } {
  const doc = new FirewallDocument(text, options);
  return { dialect: doc.dialect, family: doc.family, diagnostics: doc.diagnostics(options) };
}
