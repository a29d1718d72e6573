import { createToken, Lexer, type CustomPatternMatcherReturn, type IToken, type TokenType } from 'chevrotain';

/**
 * Tokens of a POSIX/bash script, as far as finding iptables commands needs: words (with
 * quotes, escapes, `$(…)`, `${…}`, backticks and line continuations kept inside one word),
 * list and pipeline operators, redirections and here-documents. Everything else about the
 * shell is left to the shell.
 *
 * Here-document bodies are consumed by the newline that ends the line of their `<<`
 * operator, exactly as the shell reads them; the lexer records where each body lies so
 * that an `iptables-restore <<EOF` body can be parsed as the save dialect in place.
 */

export interface HeredocBody {
  delimiter: string;
  /** `<<'EOF'` or `<<"EOF"`: the body is taken literally (no `$` expansion). */
  quotedDelimiter: boolean;
  /** `<<-`: leading tabs are stripped from body lines and the terminator. */
  stripTabs: boolean;
  /** Offsets of the body text (after the newline of the operator's line, before the terminator line). */
  start: number;
  end: number;
  /** False when the text ended before the terminator line. */
  terminated: boolean;
}

interface LexState {
  pending: { delimiter: string; quoted: boolean; strip: boolean }[];
  bodies: HeredocBody[];
}

let state: LexState = { pending: [], bodies: [] };

function matched(text: string, offset: number, end: number): CustomPatternMatcherReturn {
  return [text.slice(offset, end)] as unknown as CustomPatternMatcherReturn;
}

const BLANK = new Set([32, 9]);
/** Characters that end an unquoted word: blanks, newline and the operator characters. */
function endsWord(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 59 /* ; */ || c === 38 /* & */ || c === 124 /* | */ || c === 40 /* ( */ || c === 41 /* ) */ || c === 60 /* < */ || c === 62 /* > */;
}

/** Skips a `'…'` string starting at `i` (on the quote); returns the offset after it. */
function skipSingle(text: string, i: number): number {
  const close = text.indexOf("'", i + 1);
  return close === -1 ? text.length : close + 1;
}

/** Skips a `"…"` string starting at `i`, honouring escapes and nested expansions. */
function skipDouble(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else if (c === 36 && (text.charCodeAt(i + 1) === 40 || text.charCodeAt(i + 1) === 123)) i = skipDollar(text, i);
    else if (c === 96) i = skipBacktick(text, i);
    else i++;
  }
  return text.length;
}

function skipBacktick(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 96) return i + 1;
    else i++;
  }
  return text.length;
}

/** Skips `$(…)`, `$((…))` or `${…}` starting at `i` (on the `$`), with nesting and quotes. */
function skipDollar(text: string, i: number): number {
  const open = text.charCodeAt(i + 1);
  const close = open === 40 ? 41 : 125;
  let depth = 0;
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 39 && open === 40) i = skipSingle(text, i);
    else if (c === 34) i = skipDouble(text, i);
    else if (c === 96) i = skipBacktick(text, i);
    else {
      if (c === open) depth++;
      else if (c === close && --depth === 0) return i + 1;
      i++;
    }
  }
  return text.length;
}

/**
 * Every character a word may start with, so that the lexer picks the tokens to try by the
 * first character (each other token's is known): without it, each word of a script was tried
 * against every other token first. Above 255 Chevrotain groups characters in buckets of 255:
 * one character of each bucket stands for it.
 */
function wordStarts(): number[] {
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (!endsWord(c)) out.push(c);
  // 256, then each multiple of 255 (where a bucket begins): a loop over all 65,280 characters
  // took 13 ms of every start, run once and so never compiled
  out.push(256);
  for (let c = 510; c < 0x10000; c += 255) out.push(c);
  return out;
}

export const Blank = createToken({ name: 'Blank', pattern: /[ \t\r]+/, group: Lexer.SKIPPED });
export const Continuation = createToken({ name: 'Continuation', pattern: /\\\r?\n/, group: Lexer.SKIPPED, line_breaks: true });

/** `#` starts a comment only where a word could start. */
export const ShellComment = createToken({
  name: 'ShellComment',
  pattern: {
    exec: (text: string, offset: number) => {
      if (text.charCodeAt(offset) !== 35) return null;
      if (offset > 0) {
        const p = text.charCodeAt(offset - 1);
        if (!(BLANK.has(p) || p === 10 || p === 59 || p === 38 || p === 124 || p === 40 || p === 41)) return null;
      }
      let end = text.indexOf('\n', offset);
      if (end === -1) end = text.length;
      return matched(text, offset, end);
    },
  },
  start_chars_hint: ['#'],
  line_breaks: false,
  group: Lexer.SKIPPED,
});

/** A newline, together with the bodies of here-documents opened on the line it ends. */
export const Newline = createToken({
  name: 'Newline',
  pattern: {
    exec: (text: string, offset: number) => {
      let i = offset;
      if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (text.charCodeAt(i) !== 10) return null;
      i++;
      while (state.pending.length) {
        const h = state.pending.shift()!;
        const start = i;
        let terminated = false;
        let end = text.length;
        while (i < text.length) {
          let lineEnd = text.indexOf('\n', i);
          if (lineEnd === -1) lineEnd = text.length;
          let line = text.slice(i, lineEnd);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (h.strip) line = line.replace(/^\t+/, '');
          if (line === h.delimiter) {
            end = i;
            terminated = true;
            i = Math.min(lineEnd + 1, text.length);
            break;
          }
          i = lineEnd + 1;
        }
        if (!terminated) i = text.length;
        state.bodies.push({ delimiter: h.delimiter, quotedDelimiter: h.quoted, stripTabs: h.strip, start, end: terminated ? end : text.length, terminated });
      }
      return matched(text, offset, i);
    },
  },
  start_chars_hint: ['\n', '\r'],
  line_breaks: true,
});

/** `<<DELIM`, `<<-DELIM`, `<< 'DELIM'`: the operator and its delimiter word. */
export const HeredocOp = createToken({
  name: 'HeredocOp',
  pattern: {
    exec: (text: string, offset: number) => {
      if (!text.startsWith('<<', offset) || text.charCodeAt(offset + 2) === 60) return null;
      let i = offset + 2;
      const strip = text.charCodeAt(i) === 45;
      if (strip) i++;
      while (BLANK.has(text.charCodeAt(i))) i++;
      const wordStart = i;
      let delimiter = '';
      let quoted = false;
      while (i < text.length && !endsWord(text.charCodeAt(i))) {
        const c = text.charCodeAt(i);
        if (c === 39 || c === 34) {
          const close = text.indexOf(text[i], i + 1);
          const stop = close === -1 ? text.length : close;
          delimiter += text.slice(i + 1, stop);
          quoted = true;
          i = stop + 1;
        } else if (c === 92) {
          delimiter += text[i + 1] ?? '';
          quoted = true;
          i += 2;
        } else {
          delimiter += text[i];
          i++;
        }
      }
      if (i === wordStart) return null;
      state.pending.push({ delimiter, quoted, strip });
      return matched(text, offset, Math.min(i, text.length));
    },
  },
  start_chars_hint: ['<'],
  line_breaks: false,
});

export const AndIf = createToken({ name: 'AndIf', pattern: /&&/ });
export const OrIf = createToken({ name: 'OrIf', pattern: /\|\|/ });
export const DSemi = createToken({ name: 'DSemi', pattern: /;;&?|;&/ });
export const Semi = createToken({ name: 'Semi', pattern: /;/ });
/** `>`, `>>`, `<`, `2>&1`, `&>`, `<<<`…: the target word follows. */
export const Redirect = createToken({ name: 'Redirect', pattern: /\d*(?:>>|>&|<&|<>|>\||<<<|>|<)|&>>?/ });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|&?/ });
export const Amp = createToken({ name: 'Amp', pattern: /&/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });

export const ShellWord = createToken({
  name: 'ShellWord',
  pattern: {
    exec: (text: string, offset: number) => {
      let i = offset;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === 39) i = skipSingle(text, i);
        else if (c === 34) i = skipDouble(text, i);
        else if (c === 96) i = skipBacktick(text, i);
        else if (c === 92) i += 2;
        else if (c === 36 && (text.charCodeAt(i + 1) === 40 || text.charCodeAt(i + 1) === 123)) i = skipDollar(text, i);
        else if (endsWord(c)) break;
        else i++;
      }
      return i > offset ? matched(text, offset, Math.min(i, text.length)) : null;
    },
  },
  start_chars_hint: wordStarts(),
  line_breaks: true,
});

export const shellTokens: TokenType[] = [Blank, Continuation, ShellComment, Newline, HeredocOp, AndIf, OrIf, DSemi, Semi, Redirect, Pipe, Amp, LParen, RParen, ShellWord];

// built on first use, like the rule parser
let shellLexer: Lexer | undefined;

export interface ShellLexResult {
  tokens: IToken[];
  heredocs: HeredocBody[];
  /** Characters the lexer could not place (never expected: every character is some token). */
  errors: { offset: number; length: number }[];
}

export function lexShell(text: string): ShellLexResult {
  state = { pending: [], bodies: [] };
  const result = (shellLexer ??= new Lexer(shellTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true })).tokenize(text);
  // A heredoc opened on the last line without a newline after it: the body is empty and unterminated.
  for (const h of state.pending) state.bodies.push({ delimiter: h.delimiter, quotedDelimiter: h.quoted, stripTabs: h.strip, start: text.length, end: text.length, terminated: false });
  const heredocs = state.bodies;
  state = { pending: [], bodies: [] };
  return { tokens: result.tokens, heredocs, errors: result.errors.map((e) => ({ offset: e.offset, length: e.length })) };
}

/**
 * The tokens of `text` from `from` to a place about `size` characters on where the shell starts
 * afresh, with their offsets in `text`: right after a newline token that ends every word,
 * quote and here-document begun before it. A token that ends before the part lexed does ends
 * where it would in the whole text (only a word with an open quote or a here-document without
 * its closing line reads on to the part's end), so the part is cut after its last such
 * newline; a part without one is lexed again twice as long. `end`: where the tokens end.
 */
export function lexShellPart(text: string, from: number, size: number): ShellLexResult & { end: number } {
  for (let want = Math.max(1, size); ; want *= 2) {
    const newline = from + want < text.length ? text.indexOf('\n', from + want - 1) : -1;
    const end = newline === -1 ? text.length : newline + 1;
    const part = from === 0 && end === text.length ? text : text.slice(from, end);
    const lexed = lexShell(part);
    const cut = end === text.length ? lexed.tokens.length : lastFreshStart(lexed, part.length);
    if (cut === -1) continue;
    const upTo = cut === lexed.tokens.length ? part.length : lexed.tokens[cut - 1].startOffset + lexed.tokens[cut - 1].image.length;
    const kept: ShellLexResult = upTo === part.length ? lexed : { tokens: lexed.tokens.slice(0, cut), heredocs: lexed.heredocs.filter((h) => h.start < upTo), errors: lexed.errors.filter((e) => e.offset < upTo) };
    if (from) moveBy(kept, from);
    return { ...kept, end: from + upTo };
  }
}

/**
 * How many of the part's tokens go up to its last newline after which the shell starts afresh
 * (see lexShellPart); -1 when it has none. A newline at the part's very end is one when every
 * here-document it took the body of found its closing line; one before the end always is.
 */
function lastFreshStart(lexed: ShellLexResult, length: number): number {
  const tokens = lexed.tokens;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.tokenType !== Newline) continue;
    if (t.startOffset + t.image.length < length || lexed.heredocs.every((h) => h.terminated || h.start < t.startOffset)) return i + 1;
  }
  return -1;
}

/** A part's offsets made offsets in the whole text, the part starting at `delta`. */
function moveBy(lexed: ShellLexResult, delta: number): void {
  for (const t of lexed.tokens) {
    t.startOffset += delta;
    if (typeof t.endOffset === 'number') t.endOffset += delta;
  }
  for (const h of lexed.heredocs) {
    h.start += delta;
    h.end += delta;
  }
  for (const e of lexed.errors) e.offset += delta;
}
