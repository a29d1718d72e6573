import { LineSpan, spanIn, type LineAnchor } from '../text/lineSpan.ts';
import type { Span } from '../text/span.ts';
import type { ArgList, OptionItem, SyntaxIssue, Word } from './nodes.ts';
import { kept, NONE } from './none.ts';
import type { OptionSpec } from '../knowledge/types.ts';
import type { BoundOption, Command, Condition } from '../model/types.ts';

/**
 * A word of a save-file line that is its own span: a 100k-rule dump holds 750k words, and a
 * separate span object for each cost about 360 bytes per rule. `span` returns the word itself.
 *
 * Nearly every word is plain (no quotes, nothing the shell expands): its value is its text,
 * and it keeps only that (see ReadLineWord for the others), 24 bytes less per word.
 */
export class LineWord extends LineSpan implements Word {
  text: string;
  declare attached?: boolean;
  declare unterminated?: boolean;

  /** Made by `LineWord.in`, which checks that the word fits its line. */
  protected constructor(anchor: LineAnchor, start: number, end: number, text: string) {
    super(anchor, start, end);
    this.text = text;
  }

  /** A word measured from `anchor` when there is one and it fits (see LineSpan), a plain word otherwise. */
  static in(anchor: LineAnchor | undefined, start: number, end: number, text: string, value: string, quoted: boolean, dynamic: boolean): Word {
    if (!anchor || !LineSpan.fitsIn(anchor, start, end)) return { text, value, span: { start, end }, quoted, dynamic };
    if (value === text && !quoted && !dynamic) return new LineWord(anchor, start, end, text);
    if (quoted && !dynamic && value.length === text.length - 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34 && text.startsWith(value, 1)) {
      return new QuotedLineWord(anchor, start, end, text);
    }
    return new ReadLineWord(anchor, start, end, text, value, quoted, dynamic);
  }

  get span(): Span {
    return this;
  }

  get value(): string {
    return this.text;
  }

  /** The value is the text: giving it a value gives the text (interning passes an equal string). */
  set value(value: string) {
    this.text = value;
  }

  get quoted(): boolean {
    return false;
  }

  get dynamic(): boolean {
    return false;
  }
}

/**
 * A word quoted whole (`"default/kubernetes:https cluster IP"`, nearly every comment of a
 * kube-proxy dump): its value, the text between the quotes, is cut from the text when asked.
 * Keeping it took a second string and two more fields per word, 7 MB on the 100k dump; values
 * of comments are read rarely (a check per analysis, a hover).
 */
class QuotedLineWord extends LineWord {
  override get value(): string {
    return this.text.slice(1, -1);
  }

  /** Only ever given an equal string (sharing one copy, see bindCommand's shareName): the value stays cut from the text. */
  override set value(_value: string) {}

  override get quoted(): boolean {
    return true;
  }
}

/** A save-file word whose value is not its text: quoted in part or with escapes, expanded by the shell, or named after a marker (`:INPUT`). */
class ReadLineWord extends LineWord {
  private read: string;
  private readonly isQuoted: boolean;
  private readonly isDynamic: boolean;

  constructor(anchor: LineAnchor, start: number, end: number, text: string, value: string, quoted: boolean, dynamic: boolean) {
    super(anchor, start, end, text);
    this.read = value;
    this.isQuoted = quoted;
    this.isDynamic = dynamic;
  }

  override get value(): string {
    return this.read;
  }

  override set value(value: string) {
    this.read = value;
  }

  override get quoted(): boolean {
    return this.isQuoted;
  }

  override get dynamic(): boolean {
    return this.isDynamic;
  }
}

/**
 * An option group of a save-file line (`! -s 10.0.0.0/8`) that is its own span, like LineWord.
 * The span of its name is kept as the offset where it starts and made when asked for (by a
 * finding on the name, hover or semantic tokens): a 100k-rule dump has 650k option groups, and
 * few of those spans are kept.
 *
 * The group is also its own bound option when the binding takes it as written (one option,
 * its values as they are; see bindCommand): those 650k groups would otherwise each have a
 * second object of 72 bytes. The binding sets `spec` and puts the group in its owner's options
 * (see owner); the canonical `name` is the spec's. Bound as a parameter test (`-p tcp`,
 * `! -s 10.0.0.0/8`), it is the rule's condition as well.
 *
 * Most groups have one value: that word is kept alone and `values` makes its one-word list
 * when asked. The lists kept for 650k groups cost 56 bytes each; those made on demand are
 * short-lived and cheap to collect.
 *
 * Where the group is, where its name starts and where its `!` stands are one small integer
 * (see layoutOf): with the name read from the spec, 24 bytes less per group, 15 MB on the
 * 100k dump.
 *
 * A group whose one value is a plain word, or a word quoted whole, keeps only that word's
 * text: the word ends where the group ends, so its place is known, and `word` and `values`
 * make it when asked (see GroupValue). Those are most values of a dump (`-p tcp`, `-s`,
 * `--to-destination`, `--comment`): a word object of 48 bytes each, kept for 100k rules.
 */
export class LineOption extends LineSpan implements OptionItem, BoundOption, Condition {
  written: string;
  /** The one value's text (see GroupValue), the one value, or the list when there are none or several. */
  private valueOrList: string | Word | Word[];
  spec: OptionSpec | undefined;
  declare abbreviated?: boolean;

  /** Made by `LineOption.of`, which leaves a group whose offsets do not fit to a plain item. */
  private constructor(anchor: LineAnchor, layout: number, written: string, values: Word[]) {
    super(anchor, anchor.start, anchor.start);
    // the line's offset field holds the group's own layout (see layoutOf), read by the getters below
    this.at = layout;
    this.written = written;
    // the parser pushed to its list (room for 17): several values are kept as an exact-size copy
    this.valueOrList = values.length === 1 ? values[0] : kept(values);
    this.spec = undefined;
  }

  override get start(): number {
    return this.anchor.start + (this.at >>> OFFSET_SHIFT);
  }

  override get end(): number {
    return this.anchor.start + (this.at >>> OFFSET_SHIFT) + ((this.at >>> LENGTH_SHIFT) & LENGTH_MAX);
  }

  /**
   * Bound in place: the match or target whose options hold this group, found on the rule of
   * its line, or `generic`. Read by hover, compile and `-D` matching, not by the analysis:
   * kept per group it was 8 bytes for each of the 100k dump's 650k groups.
   */
  get owner(): BoundOption['owner'] {
    const rule = (this.anchor as { command?: Command }).command?.rule;
    if (rule) {
      for (const m of rule.matches) if (m.options.includes(this)) return m;
      if (rule.target?.options.includes(this)) return rule.target;
    }
    return 'generic';
  }

  /** The binding puts the group in its owner's options, which is what `owner` reads. */
  set owner(_owner: BoundOption['owner']) {}

  /**
   * A group measured from `anchor`, or undefined when its offsets do not fit (see layoutOf)
   * or a value of it is a plain word: what a measured span holds is measured too, as an edit
   * above moves the line's plain spans by finding them outside those (see collectSpans).
   */
  static of(anchor: LineAnchor, start: number, end: number, written: string, nameStart: number, values: Word[], bang: Span | undefined): LineOption | undefined {
    const layout = layoutOf(anchor, start, end, nameStart, bang);
    if (layout === undefined || !allMeasured(values)) return undefined;
    return new LineOption(anchor, layout, written, values);
  }

  /** The canonical spelling once bound (see bindCommand: a group bound in place has the spec's name or, unknown, its own). */
  get name(): string {
    const spec = this.spec;
    return spec !== undefined ? spec.name : this.written;
  }

  get values(): Word[] {
    const v = this.valueOrList;
    return typeof v === 'string' ? [this.valueWord(v)] : Array.isArray(v) ? v : [v];
  }

  /** As a condition: the first value. */
  get word(): Word {
    const v = this.valueOrList;
    return typeof v === 'string' ? this.valueWord(v) : Array.isArray(v) ? v[0] : v;
  }

  private valueWord(text: string): Word {
    return new GroupValue(this, this.end - text.length, this.end);
  }

  /**
   * Once the line is bound: its one value kept as its text when the word is plain or quoted
   * whole (see above). The binding works with the words the parser made, so interning, which
   * gives a word a shared string, reaches the text kept.
   */
  keepValueAsText(): void {
    const v = this.valueOrList;
    if (typeof v !== 'object' || Array.isArray(v) || !this.keepsAsText(v)) return;
    this.valueOrList = v.text;
    if (v.quoted) this.at |= QUOTED_VALUE;
  }

  /** Whether `w` is the one value and is kept as text once bound (what refers to it can keep the group instead: see placeOf). */
  keepsAsText(w: Word | Span): boolean {
    const v = this.valueOrList;
    if (typeof v === 'string') return w instanceof GroupValue && w.group === this;
    return v === w && inlineKind(v) && v.span.end === this.end;
  }

  /** The text of the value kept as a string (see GroupValue). */
  get valueText(): string {
    return this.valueOrList as string;
  }

  /** An equal string, shared (see bindCommand's shareName). */
  set valueText(text: string) {
    if (typeof this.valueOrList === 'string' && text === this.valueOrList) this.valueOrList = text;
  }

  /** Whether the value kept as a string is quoted whole. */
  get valueQuoted(): boolean {
    return (this.at & QUOTED_VALUE) !== 0;
  }

  get value(): string {
    return this.keptValue ?? this.word.value;
  }

  /** The one value kept as text, without making its word (see BoundOption.keptValue). */
  get keptValue(): string | undefined {
    const v = this.valueOrList;
    if (typeof v !== 'string') return undefined;
    return this.valueQuoted ? v.slice(1, -1) : v;
  }

  /** The list is the group's own (binding in place): for one value, any one-word list of that word. */
  hasValues(values: Word[]): boolean {
    const v = this.valueOrList;
    if (typeof v === 'string') return values.length === 1 && values[0] instanceof GroupValue && values[0].group === this;
    return Array.isArray(v) ? v === values : values.length === 1 && values[0] === v;
  }

  get negated(): boolean {
    return ((this.at >>> BANG_SHIFT) & BANG_MAX) !== 0;
  }

  /** The `!`, before the name or (old style) before the value. */
  get bang(): Span | undefined {
    const mark = (this.at >>> BANG_SHIFT) & BANG_MAX;
    if (mark === 0) return undefined;
    const start = this.start + mark - 1;
    return spanIn(this.anchor, start, start + 1);
  }

  get span(): Span {
    return this;
  }

  /** As a bound option: the group it was bound from is itself. */
  get item(): OptionItem {
    return this;
  }

  /** Where the name starts, without making its span (semantic tokens read 650k of them). */
  get nameStart(): number {
    return this.start + ((this.at >>> NAME_SHIFT) & NAME_MAX);
  }

  get nameSpan(): Span {
    const at = this.nameStart;
    return spanIn(this.anchor, at, at + this.written.length);
  }
}

/** A group's layout, from the lowest bit: value quoted whole (1), `!` mark (5), name (3), length (10), offset (11). */
const QUOTED_VALUE = 1;
const BANG_SHIFT = 1;
const BANG_MAX = (1 << 5) - 1;
const NAME_SHIFT = 6;
const NAME_MAX = (1 << 3) - 1;
const LENGTH_SHIFT = 9;
const LENGTH_MAX = (1 << 10) - 1;
const OFFSET_SHIFT = 19;
const OFFSET_MAX = (1 << 11) - 1;

/** Whether a group can keep `w` as its text alone: a plain word, or one quoted whole (see LineOption, GroupValue). */
function inlineKind(w: Word): boolean {
  if (w.attached || w.unterminated) return false;
  const c = w.constructor;
  return c === LineWord || c === QuotedLineWord;
}

/**
 * How something that refers to a word keeps it (a `-A` line its chain's word, a match its `-m`
 * word, a target its `-j` word): the one value of a group that keeps it as text (see
 * LineOption.keepValueAsText, GroupValue) is kept as that group, which makes the word again;
 * any other word or span as itself. 48 bytes less per reference, three per rule of a dump.
 * Read it back with `spanAt` or `wordAt`; a group is never itself the place of a span, so the
 * two cannot be confused.
 */
export function placeOf<T extends Span | Word>(w: T, group?: OptionItem | Condition): T | LineOption {
  if (w instanceof GroupValue) return w.group;
  return group instanceof LineOption && group.keepsAsText(w) ? group : w;
}

export function spanAt(place: Span | LineOption): Span {
  return place instanceof LineOption ? place.word.span : place;
}

export function wordAt(place: Word | LineOption): Word {
  return place instanceof LineOption ? place.word : place;
}

/**
 * The value of an option group that keeps it as a string (see LineOption): made when asked,
 * measured from the group's line like the word it stands for, its text read from the group.
 * Interning gives the group the shared string.
 */
class GroupValue extends LineSpan implements Word {
  readonly group: LineOption;

  constructor(group: LineOption, start: number, end: number) {
    super(group.anchor, start, end);
    this.group = group;
  }

  get text(): string {
    return this.group.valueText;
  }

  set text(text: string) {
    this.group.valueText = text;
  }

  get value(): string {
    return this.group.keptValue as string;
  }

  /** Only ever given an equal string (see bindCommand's shareName); a quoted value stays cut from the text. */
  set value(value: string) {
    if (!this.group.valueQuoted) this.group.valueText = value;
  }

  get quoted(): boolean {
    return this.group.valueQuoted;
  }

  get dynamic(): boolean {
    return false;
  }

  get span(): Span {
    return this;
  }
}

/**
 * Where a group is, in one integer below 2^30 (so V8 keeps it in the object as a small integer,
 * never as a boxed number): its offset from the line's start (below 2048) and its length (below
 * 1024), its name's offset from its start (0, or 2 after `! `; below 8), the `!`'s offset from
 * its start + 1 (0: none; below 32, old style after the name), and whether its one value kept as
 * text is quoted (set when bound, see keepValueAsText). A group that does not fit, far into a
 * very long line or longer than a thousand characters, is left to a plain item.
 */
function layoutOf(anchor: LineAnchor, start: number, end: number, nameStart: number, bang: Span | undefined): number | undefined {
  const offset = start - anchor.start;
  const length = end - start;
  const name = nameStart - start;
  const mark = bang ? bang.start - start + 1 : 0;
  if (offset < 0 || offset > OFFSET_MAX || length < 0 || length > LENGTH_MAX || name < 0 || name > NAME_MAX || mark < 0 || mark > BANG_MAX) return undefined;
  return offset * (1 << OFFSET_SHIFT) + length * (1 << LENGTH_SHIFT) + name * (1 << NAME_SHIFT) + mark * (1 << BANG_SHIFT);
}

/**
 * The arguments of a save-file rule line, which are their own span and, the line having no
 * `[packets:bytes]` before them, the line itself (a SaveLine of kind `rule`): one object
 * where there were three (the list, its span and the line), 88 bytes less per rule line.
 * Its syntax problems are the parser's (saveLine gathers them); its own list is always empty.
 */
export class LineArgs extends LineSpan implements ArgList {
  items: OptionItem[];
  strays: Word[];

  private constructor(anchor: LineAnchor, start: number, end: number, items: OptionItem[], strays: Word[]) {
    super(anchor, start, end);
    this.items = items;
    this.strays = strays;
  }

  /** The list measured from `anchor` when there is one, it fits (see LineSpan) and all it holds is measured (see LineOption.of); a plain one otherwise. */
  static in(anchor: LineAnchor | undefined, start: number, end: number, items: OptionItem[], strays: Word[]): ArgList {
    if (!anchor || !LineSpan.fitsIn(anchor, start, end) || !allMeasured(items) || !allMeasured(strays)) return { items, strays, issues: NONE, span: { start, end } };
    return new LineArgs(anchor, start, end, items, strays);
  }

  get issues(): SyntaxIssue[] {
    return NONE;
  }

  get span(): Span {
    return this;
  }

  /** As the line: a rule line. */
  get kind(): 'rule' {
    return 'rule';
  }

  get args(): ArgList {
    return this;
  }

  get counters(): undefined {
    return undefined;
  }
}

function allMeasured(list: readonly object[]): boolean {
  for (let i = 0; i < list.length; i++) if (!(list[i] instanceof LineSpan)) return false;
  return true;
}
