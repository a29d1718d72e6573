import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { spanIn, type LineAnchor } from '../text/lineSpan.ts';
import type { Span } from '../text/span.ts';
import type { ArgList, Counters as CountersNode, OptionItem, SaveLine, SyntaxIssue, Word } from './nodes.ts';
import { Bang, ChainDecl, Comment, Commit, Counters, Option, saveLineTokens, TableHeader, Value, ValueLike } from './ruleTokens.ts';
import { LineArgs, LineOption, LineWord } from './lineWord.ts';
import { kept, NONE } from './none.ts';
import { unquoteRestore } from './unquote.ts';
import { expandKnownVariables } from './shellWord.ts';
import { detachedCopy } from '../text/detachedCopy.ts';

/**
 * The rule grammar, shared by both dialects: an iptables-save line, and the argument list
 * of one iptables invocation. It stays loose on purpose: any option takes any number of
 * values; what an option means and how many values it takes is decided later, from the
 * knowledge base, with precise messages.
 *
 *   saveLine    := TableHeader word* | ChainDecl word* | Commit word* | Comment
 *                | Counters? args
 *   args        := ( optionGroup | ValueLike | Bang )*
 *   optionGroup := Bang? Option ( Bang? ValueLike )*      (a `Bang Option` pair starts the next group)
 *
 * Tokens coming from the shell dialect carry their `Word` as payload (its value is the
 * shell's unquoting, possibly dynamic); save-dialect tokens get theirs from the image.
 */
class RuleParser extends EmbeddedActionsParser {
  /** Offset of the line (or heredoc line) in the document: token offsets are line-relative. */
  base = 0;
  /** Inside an unquoted-delimiter heredoc the shell expands `$…` before iptables-restore reads it. */
  shellExpands = false;
  /** A script's variables known where its here-document is read (see ShellVariables). */
  known: ((name: string) => string | undefined) | undefined = undefined;
  /** Save files: the line the spans are measured from (see LineSpan); scripts use plain spans. */
  anchor: LineAnchor | undefined = undefined;
  issues: SyntaxIssue[] = [];

  constructor() {
    super(saveLineTokens, { maxLookahead: 2, recoveryEnabled: false, skipValidations: true });
    this.performSelfAnalysis();
  }

  /**
   * Lets go of the last line: the parser outlives the documents, and its tokens and lists hold
   * words cut from a document's text, which they would keep in memory after it was closed.
   */
  release(): void {
    this.input = NO_TOKENS;
    // each rule starts its own lists (see args, optionGroup), and each parse its issues
    // (parseSaveLine, parseArgTokens): nothing is made here for the next line to replace
    this.argItems = this.argStrays = this.groupValues = this.issues = NONE;
    // the script's variables hold values cut from its text
    this.known = undefined;
  }

  private word(tok: IToken): Word {
    const payload = tok.payload as Word | undefined;
    if (payload) return payload;
    const start = this.base + tok.startOffset;
    const end = start + tok.image.length;
    // in a here-document the shell puts the variables it knows in place before iptables-restore reads the line
    const read = this.shellExpands && this.known && tok.image.includes('$') ? expandKnownVariables(tok.image, this.known) : tok.image;
    const { value, unterminated } = unquoteRestore(read);
    const dynamic = this.shellExpands && /[$`]/.test(read);
    const quoted = tok.image.includes('"');
    const word = LineWord.in(this.anchor, start, end, tok.image, value, quoted, dynamic);
    if (unterminated) {
      this.issues.push({ code: 'syntax-error', message: 'Unterminated quote: the value runs to the end of the line.', span: word.span });
    }
    return word;
  }

  /** `*nat` → `nat`, `:INPUT` → `INPUT`: the word without its marker character. */
  private nameAfterMarker(w: Word): Word {
    const start = w.span.start + 1;
    const end = w.span.end;
    const value = w.value.slice(1);
    return LineWord.in(this.anchor, start, end, w.text, value, w.quoted, w.dynamic);
  }

  private spanOf(tok: IToken): Span {
    const start = this.base + tok.startOffset;
    return this.span(start, start + tok.image.length);
  }

  private span(start: number, end: number): Span {
    return spanIn(this.anchor, start, end);
  }

  // Alternatives are built once: Chevrotain accepts a cached array, which spares an allocation per line.
  private saveLineAlts?: { ALT: () => SaveLine }[];

  public saveLine = this.RULE('saveLine', (): SaveLine => {
    return this.OR((this.saveLineAlts ??= [
      {
        ALT: () => {
          const tok = this.CONSUME(TableHeader);
          const extra = this.SUBRULE(this.restWords);
          return this.ACTION(() => {
            const w = this.word(tok);
            const name = this.nameAfterMarker(w);
            return { kind: 'table', span: this.lineSpan(tok, extra), name, extra } as SaveLine;
          });
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(ChainDecl);
          const rest = this.SUBRULE2(this.restWords);
          return this.ACTION(() => {
            const w = this.word(tok);
            const name = this.nameAfterMarker(w);
            const [policy, counters, ...extra] = rest;
            // 36,000 chain lines in a kube-proxy dump: the shared empty list when nothing is left over
            return { kind: 'chain', span: this.lineSpan(tok, rest), name, policy, counters, extra: kept(extra) } as SaveLine;
          });
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(Commit);
          const extra = this.SUBRULE3(this.restWords);
          return this.ACTION(() => ({ kind: 'commit', span: this.lineSpan(tok, extra), extra }) as SaveLine);
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(Comment);
          return this.ACTION(() => ({ kind: 'comment', span: this.spanOf(tok), text: tok.image }) as SaveLine);
        },
      },
      {
        ALT: () => {
          const c = this.OPTION(() => this.CONSUME(Counters));
          const args = this.SUBRULE(this.args);
          return this.ACTION(() => {
            let counters: CountersNode | undefined;
            let span = args.span;
            if (c) {
              const [packets, bytes] = c.image.slice(1, -1).split(':');
              counters = { packets, bytes, span: this.spanOf(c) };
              span = this.span(counters.span.start, Math.max(args.span.end, counters.span.end));
            }
            // without counters a save line's arguments are the line (see LineArgs)
            return args instanceof LineArgs && !counters ? args : ({ kind: 'rule', span, counters, args } as SaveLine);
          });
        },
      },
    ]));
  });

  private lineSpan(first: IToken, rest: Word[]): Span {
    const s = this.spanOf(first);
    return rest.length ? this.span(s.start, rest[rest.length - 1].span.end) : s;
  }

  private restWords = this.RULE('restWords', (): Word[] => {
    const words: Word[] = [];
    this.MANY(() => {
      const tok = this.OR([
        { ALT: () => this.CONSUME(ValueLike) },
        { ALT: () => this.CONSUME(Option) },
        { ALT: () => this.CONSUME(Bang) },
      ]);
      this.ACTION(() => words.push(this.word(tok)));
    });
    return words;
  });

  // args and optionGroup are not re-entrant, so their accumulators live on the instance and
  // their alternatives are cached (no closures allocated per token on the hot path).
  private argItems: OptionItem[] = [];
  private argStrays: Word[] = [];
  private argsAlts?: { ALT: () => void }[];

  public args = this.RULE('args', (): ArgList => {
    const items: OptionItem[] = (this.argItems = []);
    const strays: Word[] = (this.argStrays = []);
    this.MANY(() => {
      this.OR((this.argsAlts ??= [
        {
          ALT: () => {
            const item = this.SUBRULE(this.optionGroup);
            this.ACTION(() => this.argItems.push(item));
          },
        },
        {
          ALT: () => {
            const tok = this.CONSUME(ValueLike);
            this.ACTION(() => this.argStrays.push(this.word(tok)));
          },
        },
        {
          // a `!` that negates nothing: followed by a value or by the end
          ALT: () => {
            const tok = this.CONSUME(Bang);
            this.ACTION(() => this.argStrays.push(this.word(tok)));
          },
        },
      ]));
    });
    return this.ACTION(() => {
      let start = Infinity;
      let end = -Infinity;
      for (const it of items) {
        start = Math.min(start, it.span.start);
        end = Math.max(end, it.span.end);
      }
      for (const w of strays) {
        start = Math.min(start, w.span.start);
        end = Math.max(end, w.span.end);
        // `"$@"`, `$EXTRA_OPTS`: a shell expansion may stand for whole options
        if (w.dynamic) continue;
        this.issues.push({
          code: 'syntax-error',
          message: w.value === '!' ? "'!' must be followed by the option it negates." : `Unexpected '${w.text}': a value must follow the option it belongs to.`,
          span: w.span,
        });
      }
      if (start === Infinity) start = end = this.base;
      // exact-size copies, or the shared empty list (see kept)
      return LineArgs.in(this.anchor, start, end, kept(items), kept(strays));
    });
  });

  private groupValues: Word[] = [];
  private groupBangBefore?: IToken;
  private groupOldBang?: IToken;
  private groupMany?: { GATE: () => boolean; DEF: () => void };

  private optionGroup = this.RULE('optionGroup', (): OptionItem => {
    const bangBefore = this.OPTION(() => this.CONSUME(Bang));
    const opt = this.CONSUME(Option);
    const values: Word[] = (this.groupValues = []);
    this.groupBangBefore = bangBefore;
    this.groupOldBang = undefined;
    this.MANY((this.groupMany ??= {
      // `! -i` after the values starts the next option group; `! value` is old-style negation
      GATE: () => {
        const t = this.LA(1).tokenType;
        if (t === Value || t === Counters) return true;
        const u = this.LA(2).tokenType;
        return t === Bang && (u === Value || u === Counters);
      },
      DEF: () => {
        const b = this.OPTION2(() => this.CONSUME2(Bang));
        const tok = this.CONSUME(ValueLike);
        this.ACTION(() => {
          if (b) {
            if (this.groupOldBang || this.groupBangBefore) {
              this.issues.push({ code: 'syntax-error', message: 'The option is negated twice.', span: this.spanOf(b) });
            }
            this.groupOldBang ??= b;
          }
          this.groupValues.push(this.word(tok));
        });
      },
    }));
    const oldStyleBang = this.groupOldBang as IToken | undefined;
    return this.ACTION(() => {
      const payload = opt.payload as Word | undefined;
      let name = payload ? payload.value : opt.image;
      // the common case needs only the name's offsets; a Word is built for `--opt=value` alone
      const nameStart = payload ? payload.span.start : this.base + opt.startOffset;
      const writtenEnd = payload ? payload.span.end : nameStart + opt.image.length;
      let nameEnd = writtenEnd;
      const eq = name.startsWith('--') ? name.indexOf('=') : -1;
      if (eq > 0) {
        // getopt's `--opt=value`: the value is attached to the name
        const nameWord = this.word(opt);
        const attached: Word = {
          text: nameWord.text.slice(eq + 1),
          value: name.slice(eq + 1),
          span: this.span(nameStart + eq + 1, writtenEnd),
          quoted: nameWord.quoted,
          dynamic: nameWord.dynamic,
          attached: true,
        };
        values.unshift(attached);
        name = name.slice(0, eq);
        nameEnd = nameStart + eq;
      }
      if (!payload) name = optionName(name);
      // `bang` always present: one shape for every item
      const bangTok = bangBefore ?? oldStyleBang;
      const bang = bangTok ? this.spanOf(bangTok) : undefined;
      const first = bangBefore ? bang!.start : nameStart;
      const last = values.length ? values[values.length - 1].span.end : writtenEnd;
      const item: OptionItem =
        (this.anchor && LineOption.of(this.anchor, first, last, name, nameStart, values, bang)) ??
        { written: name, nameSpan: { start: nameStart, end: nameEnd }, negated: !!bang, values: kept(values), span: { start: first, end: last }, bang };
      return item;
    });
  });
}

/**
 * Option names as written are few (`-A`, `-m`, `--dport`…) and repeat on every line: one
 * string per distinct name instead of one per occurrence, which a 100k-rule dump would keep
 * 700k of. Bounded, so odd input cannot grow it without end. The pool outlives documents: it
 * keeps copies (see detachedCopy), as `--to-destination` cut from the first dump that had it
 * kept all of that dump's text after it was closed.
 */
const optionNames = new Map<string, string>();

function optionName(image: string): string {
  const known = optionNames.get(image);
  if (known !== undefined) return known;
  if (optionNames.size >= 4096) return image;
  const name = detachedCopy(image);
  optionNames.set(name, name);
  return name;
}

let instance: RuleParser | undefined;
const NO_TOKENS: IToken[] = [];

/**
 * One parser instance serves every call: Chevrotain parsers are reusable and costly to
 * build. It is built on first use, not when the module loads: the language server answers
 * `initialize` before any document needs parsing.
 */
export function ruleParser(): RuleParser {
  return (instance ??= new RuleParser());
}

export function parseArgTokens(tokens: IToken[], base: number): ArgList {
  const parser = ruleParser();
  parser.base = base;
  parser.shellExpands = false;
  parser.known = undefined;
  parser.anchor = undefined;
  parser.issues = [];
  parser.input = tokens;
  const result = parser.args();
  result.issues = parser.issues;
  for (const e of parser.errors) {
    result.issues.push({ code: 'syntax-error', message: e.message, span: { start: base + (e.token.startOffset || 0), end: base + (e.token.endOffset || 0) + 1 } });
  }
  parser.release();
  return result;
}
