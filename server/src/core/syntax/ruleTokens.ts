import { createToken, Lexer, type CustomPatternMatcherReturn, type TokenType } from 'chevrotain';

/**
 * Tokens of one iptables-save line. The shell dialect produces `Option`, `Bang` and
 * `Value` tokens itself (from shell words) and feeds them to the same rule grammar.
 *
 * iptables-restore decides what a line is by its first byte (`#`, `*`, `:`, `COMMIT`),
 * so those tokens only match at offset 0 of the line.
 */

/** The blanks between words of a line (the WhiteSpace token's characters). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

function match(text: string, offset: number, end: number): CustomPatternMatcherReturn {
  return [text.slice(offset, end)] as unknown as CustomPatternMatcherReturn;
}

/** From `offset` to the next blank: the first word of the line after a marker char. */
export function wordEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\v\f]+/, group: Lexer.SKIPPED });

export const Comment = createToken({
  name: 'Comment',
  pattern: { exec: (text: string, offset: number) => (offset === 0 && text.charCodeAt(0) === 35 ? match(text, 0, text.length) : null) },
  start_chars_hint: ['#'],
  line_breaks: false,
});

export const TableHeader = createToken({
  name: 'TableHeader',
  pattern: { exec: (text: string, offset: number) => (offset === 0 && text.charCodeAt(0) === 42 ? match(text, 0, wordEnd(text, 0)) : null) },
  start_chars_hint: ['*'],
  line_breaks: false,
});

export const ChainDecl = createToken({
  name: 'ChainDecl',
  pattern: { exec: (text: string, offset: number) => (offset === 0 && text.charCodeAt(0) === 58 ? match(text, 0, wordEnd(text, 0)) : null) },
  start_chars_hint: [':'],
  line_breaks: false,
});

export const Commit = createToken({
  name: 'Commit',
  pattern: {
    exec: (text: string, offset: number) =>
      offset === 0 && text.startsWith('COMMIT') && (text.length === 6 || isSpace(text.charCodeAt(6))) ? match(text, 0, 6) : null,
  },
  start_chars_hint: ['C'],
  line_breaks: false,
});

/** Anything that can be an option's value: a plain word or something shaped like counters. */
export const ValueLike = createToken({ name: 'ValueLike', pattern: Lexer.NA });

/** `[packets:bytes]` before a rule. */
export const Counters = createToken({ name: 'Counters', pattern: /\[\d+:\d+\]/, categories: [ValueLike] });

/**
 * A plain argument: a run of non-blank characters in which `"…"` sections may hold
 * blanks. Inside quotes a backslash escapes the next character; outside it is literal,
 * as in iptables-restore. An unclosed quote runs to the end of the line (the parser
 * reports it).
 */
export const Value = createToken({
  name: 'Value',
  categories: [ValueLike],
  pattern: {
    exec: (text: string, offset: number) => {
      const end = valueEnd(text, offset);
      return end > offset ? match(text, offset, end) : null;
    },
  },
  line_breaks: false,
});

/** Where a Value starting at `offset` ends (offset itself at a blank). */
export function valueEnd(text: string, offset: number): number {
  let i = offset;
  let inQuote = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i += 2;
      else {
        if (c === 34) inQuote = false;
        i++;
      }
      continue;
    }
    if (c === 34) {
      inQuote = true;
      i++;
      continue;
    }
    if (isSpace(c)) break;
    i++;
  }
  return Math.min(i, text.length);
}

/** `-x` or `--long…`: a dash and a letter or digit (so `-` alone and `-1:5` stay values). */
export const Option = createToken({ name: 'Option', pattern: /--?[A-Za-z0-9][^\s"=]*(?:=[^\s"]*)?/, longer_alt: Value });

/** `!` standing alone. */
export const Bang = createToken({ name: 'Bang', pattern: /!/, longer_alt: Value });

export const saveLineTokens: TokenType[] = [ValueLike, WhiteSpace, Comment, TableHeader, ChainDecl, Commit, Counters, Bang, Option, Value];

/**
 * Two modes: a line whose first character can start a header, chain, COMMIT or comment is
 * read with every token; a rule line with the five it can hold. Documents read their lines
 * with one loop each (tokenizeSaveLine and tokenizeRuleLine, ruleLineLexer.ts); this lexer is
 * what they are held to, mode by mode, by property tests.
 */
let lexer: Lexer | undefined;

/** Built on first use (see ruleParser()). */
export function saveLineLexer(): Lexer {
  return (lexer ??= new Lexer(
    {
      modes: {
        line: saveLineTokens,
        rule: [ValueLike, WhiteSpace, Counters, Bang, Option, Value],
      },
      defaultMode: 'rule',
    },
    { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true },
  ));
}
