import { createTokenInstance, type IToken } from 'chevrotain';
import type { Word } from './nodes.ts';
import { Bang, Option, Value } from './ruleTokens.ts';

/**
 * Turns the shell's words into tokens of the rule grammar. What iptables receives decides
 * the kind (`"-j"` is an option, `'!'` negates); a word holding an expansion is always a
 * value, since it may stand for anything.
 */
export function wordTokens(words: Word[]): IToken[] {
  return words.map((w) => {
    const type = w.dynamic ? Value : w.value === '!' ? Bang : /^--?[A-Za-z0-9]/.test(w.value) ? Option : Value;
    const tok = createTokenInstance(type, w.value, w.span.start, w.span.end - 1, NaN, NaN, NaN, NaN);
    tok.payload = w;
    return tok;
  });
}
