import type { IToken, TokenType } from 'chevrotain';
import { Bang, ChainDecl, Comment, Commit, Counters, isSpace, Option, TableHeader, Value, valueEnd, wordEnd } from './ruleTokens.ts';

/**
 * The tokens of an iptables-save rule line, as Chevrotain's lexer gives them in its `rule`
 * mode (ruleTokens.ts), read with one loop over the characters. Rule lines are nearly all of
 * a big dump, and Chevrotain tries each token's pattern at each word; this reads each word
 * once. The token objects have the shape of Chevrotain's offset-only tokens, so the parser
 * sees no difference (a property test compares both lexers).
 */
export function tokenizeRuleLine(text: string): IToken[] {
  return readTokens(text, 0, []);
}

/**
 * The tokens of any iptables-save line, as Chevrotain's lexer gives them in its `line` mode:
 * a comment, table header, chain line or COMMIT is told by its first characters (its token
 * matches only at the start of the line), and what follows is read as in a rule line. A
 * 100k-rule kube-proxy dump has 36k chain lines; Chevrotain's lexer took about 55 ms of them.
 */
export function tokenizeSaveLine(text: string): IToken[] {
  const c = text.charCodeAt(0);
  let first: TokenType | undefined;
  let end = 0;
  if (c === 35) {
    first = Comment;
    end = text.length;
  } else if (c === 42) {
    first = TableHeader;
    end = wordEnd(text, 0);
  } else if (c === 58) {
    first = ChainDecl;
    end = wordEnd(text, 0);
  } else if (c === 67 && text.startsWith('COMMIT') && (text.length === 6 || isSpace(text.charCodeAt(6)))) {
    first = Commit;
    end = 6;
  }
  if (!first) return readTokens(text, 0, []);
  return readTokens(text, end, [token(text, 0, end, first)]);
}

function token(text: string, start: number, end: number, type: TokenType): IToken {
  return { image: text.slice(start, end), startOffset: start, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type } as IToken;
}

/** The rule-mode tokens of `text` from `from` on, after `tokens`. */
function readTokens(text: string, from: number, tokens: IToken[]): IToken[] {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const wordEnd = valueEnd(text, i);
    let type = Value;
    let end = wordEnd;
    if (c === 91) {
      const counters = endOfCounters(text, i);
      // Counters has no longer alternative: it wins even when the word goes on (`[1:2]x`)
      if (counters > i) {
        type = Counters;
        end = counters;
      }
    } else if (c === 33) {
      // a lone `!`; a longer word starting with it is a value
      if (wordEnd === i + 1) type = Bang;
    } else if (c === 45) {
      const option = endOfOption(text, i);
      if (option > i && option >= wordEnd) {
        type = Option;
        end = option;
      }
    }
    tokens.push(token(text, i, end, type));
    i = end;
  }
  return tokens;
}

/** JavaScript's `\s`, which the Option token's pattern uses. */
function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `\[\d+:\d+\]` at offset, or offset when it does not match. */
function endOfCounters(text: string, offset: number): number {
  let i = offset + 1;
  const digits = (): boolean => {
    const from = i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    return i > from;
  };
  if (!digits() || text.charCodeAt(i) !== 58) return offset;
  i++;
  if (!digits() || text.charCodeAt(i) !== 93) return offset;
  return i + 1;
}

/** `--?[A-Za-z0-9][^\s"=]*(?:=[^\s"]*)?` at offset, or offset when it does not match. */
function endOfOption(text: string, offset: number): number {
  const n = text.length;
  let i = offset + 1;
  if (i < n && text.charCodeAt(i) === 45) i++;
  // (after `--` the regex could only back off to one dash, and a dash is not alphanumeric)
  if (i >= n || !isAlnum(text.charCodeAt(i))) return offset;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 61 || isJsSpace(c)) break;
    i++;
  }
  if (i < n && text.charCodeAt(i) === 61) {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34 || isJsSpace(c)) break;
      i++;
    }
  }
  return i;
}
