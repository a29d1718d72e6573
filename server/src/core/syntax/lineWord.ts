import { LineSpan, type LineAnchor } from '../text/lineSpan.ts';
import type { Span } from '../text/span.ts';
import type { OptionItem, Word } from './nodes.ts';

/**
 * A word of a save-file line that is its own span: a 100k-rule dump holds 750k words, and a
 * separate span object for each was a sixth of the model. `span` returns the word itself.
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

/** An option group of a save-file line (`! -s 10.0.0.0/8`) that is its own span, like LineWord. */
export class LineOption extends LineSpan implements OptionItem {
  name: string;
  nameSpan: Span;
  negated: boolean;
  values: Word[];
  bang: Span | undefined;

  constructor(anchor: LineAnchor, start: number, end: number, name: string, nameSpan: Span, values: Word[], bang: Span | undefined) {
    super(anchor, start, end);
    this.name = name;
    this.nameSpan = nameSpan;
    this.negated = !!bang;
    this.values = values;
    this.bang = bang;
  }

  get span(): Span {
    return this;
  }
}
