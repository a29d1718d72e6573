import { LineSpan, type LineAnchor } from '../text/lineSpan.ts';
import type { Span } from '../text/span.ts';
import type { OptionItem, Word } from './nodes.ts';

/**
 * A word of a save-file line that is its own span: a 100k-rule dump holds 750k words, and a
 * separate span object for each cost about 360 bytes per rule. `span` returns the word itself.
 */
export class LineWord extends LineSpan implements Word {
  text: string;
  value: string;
  quoted: boolean;
  dynamic: boolean;
  declare attached?: boolean;
  declare unterminated?: boolean;

  constructor(anchor: LineAnchor, start: number, end: number, text: string, value: string, quoted: boolean, dynamic: boolean) {
    super(anchor, start, end);
    this.text = text;
    this.value = value;
    this.quoted = quoted;
    this.dynamic = dynamic;
  }

  get span(): Span {
    return this;
  }
}

/** A word measured from `anchor` when there is one (see spanIn), a plain word otherwise. */
export function wordIn(anchor: LineAnchor | undefined, start: number, end: number, text: string, value: string, quoted: boolean, dynamic: boolean): Word {
  return anchor ? new LineWord(anchor, start, end, text, value, quoted, dynamic) : { text, value, span: { start, end }, quoted, dynamic };
}

/**
 * An option group of a save-file line (`! -s 10.0.0.0/8`) that is its own span, like LineWord.
 * The span of its name is kept as two offsets and made when asked for (by the binding, for a
 * moment, and by a finding on the name, hover or semantic tokens): a 100k-rule dump has 650k
 * option groups, and few of those spans are kept.
 */
export class LineOption extends LineSpan implements OptionItem {
  name: string;
  negated: boolean;
  values: Word[];
  bang: Span | undefined;
  private nameFrom: number;
  private nameTo: number;

  constructor(anchor: LineAnchor, start: number, end: number, name: string, nameStart: number, nameEnd: number, values: Word[], bang: Span | undefined) {
    super(anchor, start, end);
    this.name = name;
    this.negated = !!bang;
    this.values = values;
    this.bang = bang;
    this.nameFrom = nameStart - anchor.start;
    this.nameTo = nameEnd - anchor.start;
  }

  get span(): Span {
    return this;
  }

  get nameSpan(): Span {
    const at = this.anchor.start;
    return new LineSpan(this.anchor, at + this.nameFrom, at + this.nameTo);
  }
}
