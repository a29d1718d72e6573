import { LineSpan, spanIn, type LineAnchor } from '../text/lineSpan.ts';
import type { Span } from '../text/span.ts';
import type { ArgList, OptionItem, SyntaxIssue, Word } from './nodes.ts';
import { kept, NONE } from './none.ts';
import type { OptionSpec } from '../knowledge/types.ts';
import type { BoundOption, Condition } from '../model/types.ts';

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
 * second object of 72 bytes. The binding sets `spec` and `owner`; the canonical `name` is the
 * spec's. Bound as a parameter test (`-p tcp`, `! -s 10.0.0.0/8`), it is the rule's condition
 * as well.
 *
 * Most groups have one value: that word is kept alone and `values` makes its one-word list
 * when asked. The lists kept for 650k groups cost 56 bytes each; those made on demand are
 * short-lived and cheap to collect.
 *
 * Where the name starts and where the `!` stands are one small integer (see marksOf): with the
 * name read from the spec, 16 bytes less per group, 10 MB on the 100k dump.
 */
export class LineOption extends LineSpan implements OptionItem, BoundOption, Condition {
  written: string;
  /** The one value, or the list when there are none or several. */
  private valueOrList: Word | Word[];
  /** See marksOf. */
  private readonly marks: number;
  spec: OptionSpec | undefined;
  owner: BoundOption['owner'];
  declare abbreviated?: boolean;

  /** Made by `LineOption.of`, which leaves a group whose offsets do not fit to a plain item. */
  private constructor(anchor: LineAnchor, start: number, end: number, written: string, marks: number, values: Word[]) {
    super(anchor, start, end);
    this.written = written;
    // the parser pushed to its list (room for 17): several values are kept as an exact-size copy
    this.valueOrList = values.length === 1 ? values[0] : kept(values);
    this.marks = marks;
    this.spec = undefined;
    this.owner = 'generic';
  }

  /**
   * A group measured from `anchor`, or undefined when its offsets do not fit (see LineSpan and
   * marksOf) or a value of it is a plain word: what a measured span holds is measured too, as
   * an edit above moves the line's plain spans by finding them outside those (see collectSpans).
   */
  static of(anchor: LineAnchor, start: number, end: number, written: string, nameStart: number, values: Word[], bang: Span | undefined): LineOption | undefined {
    const marks = marksOf(start, nameStart, bang);
    if (marks === undefined || !LineSpan.fitsIn(anchor, start, end) || !allMeasured(values)) return undefined;
    return new LineOption(anchor, start, end, written, marks, values);
  }

  /** The canonical spelling once bound (see bindCommand: a group bound in place has the spec's name or, unknown, its own). */
  get name(): string {
    const spec = this.spec;
    return spec !== undefined ? spec.name : this.written;
  }

  get values(): Word[] {
    const v = this.valueOrList;
    return Array.isArray(v) ? v : [v];
  }

  /** As a condition: the first value. */
  get word(): Word {
    const v = this.valueOrList;
    return Array.isArray(v) ? v[0] : v;
  }

  get value(): string {
    return this.word.value;
  }

  /** The list is the group's own (binding in place): for one value, any one-word list of that word. */
  hasValues(values: Word[]): boolean {
    const v = this.valueOrList;
    return Array.isArray(v) ? v === values : values.length === 1 && values[0] === v;
  }

  get negated(): boolean {
    return (this.marks & BANG_MASK) !== 0;
  }

  /** The `!`, before the name or (old style) before the value. */
  get bang(): Span | undefined {
    const at = this.marks & BANG_MASK;
    if (at === 0) return undefined;
    const start = this.start + at - 1;
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
    return this.start + (this.marks >>> NAME_SHIFT);
  }

  get nameSpan(): Span {
    const at = this.nameStart;
    return spanIn(this.anchor, at, at + this.written.length);
  }
}

const NAME_SHIFT = 16;
const BANG_MASK = (1 << NAME_SHIFT) - 1;

/**
 * The name's offset from the group's start times 2^16, plus the `!`'s offset from it + 1 (0:
 * none). Kept below 2^30, so V8 stores it in the object as a small integer, never as a boxed
 * number; a group spread further than that (a `!` or a name tens of thousands of characters in)
 * is left to a plain item.
 */
function marksOf(start: number, nameStart: number, bang: Span | undefined): number | undefined {
  const name = nameStart - start;
  const mark = bang ? bang.start - start + 1 : 0;
  if (name < 0 || name >= 1 << 14 || mark < 0 || mark > BANG_MASK) return undefined;
  return name * (1 << NAME_SHIFT) + mark;
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
