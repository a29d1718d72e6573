import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain';
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
    // a line built from its plan never set the input (see saveLineOf): nothing to let go of there
    if (this.input !== NO_TOKENS) this.input = NO_TOKENS;
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
          return this.ACTION(() => this.markedLine(TABLE_LINE, tok, extra));
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(ChainDecl);
          const rest = this.SUBRULE2(this.restWords);
          return this.ACTION(() => this.markedLine(CHAIN_LINE, tok, rest));
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(Commit);
          const extra = this.SUBRULE3(this.restWords);
          return this.ACTION(() => this.markedLine(COMMIT_LINE, tok, extra));
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(Comment);
          return this.ACTION(() => this.markedLine(COMMENT_LINE, tok, NONE));
        },
      },
      {
        ALT: () => {
          const c = this.OPTION(() => this.CONSUME(Counters));
          const args = this.SUBRULE(this.args);
          return this.ACTION(() => this.ruleLineOf(c, args));
        },
      },
    ]));
  });

  /** A line that starts with its kind's token (`*table`, `:chain`, COMMIT, `#`), and the words after it. */
  private markedLine(kind: number, tok: IToken, rest: Word[]): SaveLine {
    if (this.recording) this.recording.push(kind);
    if (kind === COMMENT_LINE) return { kind: 'comment', span: this.spanOf(tok), text: tok.image };
    if (kind === COMMIT_LINE) return { kind: 'commit', span: this.lineSpan(tok, rest), extra: rest };
    const w = this.word(tok);
    const name = this.nameAfterMarker(w);
    if (kind === TABLE_LINE) return { kind: 'table', span: this.lineSpan(tok, rest), name, extra: rest };
    const [policy, counters, ...extra] = rest;
    // 36,000 chain lines in a kube-proxy dump: the shared empty list when nothing is left over
    return { kind: 'chain', span: this.lineSpan(tok, rest), name, policy, counters, extra: kept(extra) };
  }

  /** A rule line: its `[packets:bytes]` if any, and its arguments. */
  private ruleLineOf(c: IToken | undefined, args: ArgList): SaveLine {
    let counters: CountersNode | undefined;
    let span = args.span;
    if (c) {
      const [packets, bytes] = c.image.slice(1, -1).split(':');
      counters = { packets, bytes, span: this.spanOf(c) };
      span = this.span(counters.span.start, Math.max(args.span.end, counters.span.end));
    }
    // without counters a save line's arguments are the line (see LineArgs)
    return args instanceof LineArgs && !counters ? args : ({ kind: 'rule', span, counters, args } as SaveLine);
  }

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
            this.ACTION(() => this.stray(tok));
          },
        },
        {
          // a `!` that negates nothing: followed by a value or by the end
          ALT: () => {
            const tok = this.CONSUME(Bang);
            this.ACTION(() => this.stray(tok));
          },
        },
      ]));
    });
    return this.ACTION(() => this.argListOf(items, strays));
  });

  /** A word no option group takes: a value, or a `!` that negates nothing. */
  private stray(tok: IToken): void {
    this.argStrays.push(this.word(tok));
    this.recording?.push(STRAY, this.input.indexOf(tok));
  }

  /** The argument list of option groups and stray words, with the strays' syntax problems. */
  private argListOf(items: OptionItem[], strays: Word[]): ArgList {
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
  }

  private groupValues: Word[] = [];
  private groupBangBefore?: IToken;
  private groupOldBang?: IToken;
  private groupMany?: { GATE: () => boolean; DEF: () => void };

  private optionGroup = this.RULE('optionGroup', (): OptionItem => {
    const bangBefore = this.OPTION(() => this.CONSUME(Bang));
    const opt = this.CONSUME(Option);
    this.groupValues = [];
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
        this.ACTION(() => this.groupValue(b, tok));
      },
    }));
    return this.ACTION(() => this.groupItem(bangBefore, opt));
  });

  /** One value of the option group being read, after its `!` if any (old-style negation). */
  private groupValue(b: IToken | undefined, tok: IToken): void {
    if (b) {
      if (this.groupOldBang || this.groupBangBefore) {
        this.issues.push({ code: 'syntax-error', message: 'The option is negated twice.', span: this.spanOf(b) });
      }
      this.groupOldBang ??= b;
    }
    this.groupValues.push(this.word(tok));
    if (this.recording) this.groupPlan.push(b ? this.input.indexOf(b) : -1, this.input.indexOf(tok));
  }

  /** The option group read: its name, its values (groupValues), its `!`. */
  private groupItem(bangBefore: IToken | undefined, opt: IToken): OptionItem {
    const values = this.groupValues;
    const oldStyleBang = this.groupOldBang;
    if (this.recording) {
      this.recording.push(GROUP, bangBefore ? this.input.indexOf(bangBefore) : -1, this.input.indexOf(opt), this.groupPlan.length / 2, ...this.groupPlan);
      this.groupPlan = [];
    }
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
      // where the `=` is written: the value may be longer than the text (a variable expanded
      // in it) or start after a quote; where it is not found, the attached value spans the word
      const written = nameWord.text.indexOf('=');
      const at = written >= 0 ? nameStart + written : writtenEnd;
      const attached: Word = {
        text: written >= 0 ? nameWord.text.slice(written + 1) : '',
        value: name.slice(eq + 1),
        span: this.span(Math.min(at + 1, writtenEnd), writtenEnd),
        quoted: nameWord.quoted,
        dynamic: nameWord.dynamic,
        attached: true,
      };
      values.unshift(attached);
      name = name.slice(0, eq);
      nameEnd = at;
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
  }

  /** The shapes of save-file lines seen (see saveLineOf), and how many there are (with argShapes'). */
  private shapes: Shape = newShape();
  private shapeCount = 0;
  /** While Chevrotain parses the first line of a shape: what it decided, as a plan (see GROUP and STRAY). */
  private recording: number[] | undefined = undefined;
  private groupPlan: number[] = [];
  /** Whether the last line or arguments were built from a plan (Chevrotain did not run: no errors to read). */
  replayed = false;
  /** Plans are used and made (tests turn them off to compare with Chevrotain's own parse). */
  usePlans = true;

  /**
   * A line of a save file. What a line is and which of its tokens form which option group
   * depends on the kinds of its tokens alone (the grammar's choices and its gate look at
   * nothing else), and the lines of a dump come in few shapes: Chevrotain parses the first line
   * of each shape, and its choices are kept as a plan that builds the later lines of that shape
   * with the same actions, without Chevrotain's machinery (which was a third of the parse of a
   * 100k-rule dump). A shape Chevrotain reported an error for is always parsed by it.
   */
  saveLineOf(tokens: IToken[]): SaveLine {
    return this.planned(tokens, true) as SaveLine;
  }

  /** The arguments of a script's iptables command, from the plan of their shape like a rule line's (see saveLineOf). */
  argsOf(tokens: IToken[]): ArgList {
    return this.planned(tokens, false) as ArgList;
  }

  /** Shapes of a script's argument lists: their plans have no `[packets:bytes]` to read. */
  private argShapes: Shape = newShape();

  private planned(tokens: IToken[], line: boolean): SaveLine | ArgList {
    let node: Shape | undefined = line ? this.shapes : this.argShapes;
    if (tokens.length > MAX_SHAPE_TOKENS || !this.usePlans) node = undefined;
    for (let i = 0; node && i < tokens.length; i++) {
      const kind = kindOf(tokens[i].tokenType);
      if (kind < 0) {
        node = undefined;
        break;
      }
      let next: Shape | undefined = node.next[kind];
      if (!next) {
        if (this.shapeCount >= MAX_SHAPES) {
          node = undefined;
          break;
        }
        this.shapeCount++;
        next = node.next[kind] = newShape();
      }
      node = next;
    }
    const plan = node?.plan;
    if (plan) {
      this.replayed = true;
      const head = plan[0];
      if (head >= TABLE_LINE) {
        // the words after the marker, as restWords makes them, then the line
        const rest: Word[] = [];
        for (let i = 1; i < tokens.length; i++) rest.push(this.word(tokens[i]));
        return this.markedLine(head, tokens[0], head === COMMENT_LINE ? NONE : rest);
      }
      const args = this.replay(tokens, plan);
      return line ? this.ruleLineOf(head === COUNTED_RULE_LINE ? tokens[0] : undefined, args) : args;
    }
    this.replayed = false;
    this.input = tokens;
    this.recording = node && plan === undefined ? [] : undefined;
    this.groupPlan = [];
    try {
      const parsed = line ? this.saveLine() : this.args();
      if (node && this.recording) {
        // a marked line recorded its kind (see markedLine); a rule line gets its head here
        const marked = this.recording[0] >= TABLE_LINE;
        const head = marked ? [] : [line && tokens[0]?.tokenType === Counters ? COUNTED_RULE_LINE : RULE_LINE];
        node.plan = this.errors.length || (marked && this.recording.length !== 1) ? null : [...head, ...this.recording];
      }
      return parsed;
    } finally {
      this.recording = undefined;
    }
  }

  /** Builds the arguments from the plan of their shape: the actions Chevrotain would run, in its order. */
  private replay(tokens: IToken[], plan: number[]): ArgList {
    const items: OptionItem[] = (this.argItems = []);
    const strays: Word[] = (this.argStrays = []);
    let i = 1;
    while (i < plan.length) {
      if (plan[i] === STRAY) {
        this.stray(tokens[plan[i + 1]]);
        i += 2;
        continue;
      }
      const bangBefore = plan[i + 1] >= 0 ? tokens[plan[i + 1]] : undefined;
      const opt = tokens[plan[i + 2]];
      const n = plan[i + 3];
      this.groupValues = [];
      this.groupBangBefore = bangBefore;
      this.groupOldBang = undefined;
      i += 4;
      for (let k = 0; k < n; k++, i += 2) this.groupValue(plan[i] >= 0 ? tokens[plan[i]] : undefined, tokens[plan[i + 1]]);
      items.push(this.groupItem(bangBefore, opt));
    }
    return this.argListOf(items, strays);
  }
}

/**
 * What Chevrotain decided for a shape of line, as numbers: first the kind of line (below; a
 * table, chain, COMMIT or comment line needs nothing more: every token after its marker is a
 * word), then for the arguments, in order, `GROUP, bang-before, option, value count,
 * (bang, value)…` for each option group and `STRAY, token` for each stray word (token
 * indexes; -1 for no `!`). A script's arguments have the head RULE_LINE.
 */
const GROUP = 0;
const STRAY = 1;

/** The first number of a plan: what kind of line it builds. */
const RULE_LINE = 0;
const COUNTED_RULE_LINE = 1;
const TABLE_LINE = 2;
const CHAIN_LINE = 3;
const COMMIT_LINE = 4;
const COMMENT_LINE = 5;

/** A node of the tree of shapes: the kinds of a line's tokens, in order. */
interface Shape {
  next: (Shape | undefined)[];
  /** undefined: not parsed yet; null: Chevrotain reported an error, so it always parses it. */
  plan: number[] | null | undefined;
}

function newShape(): Shape {
  return { next: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined], plan: undefined };
}

/** The shapes kept are bounded, so odd input cannot grow them without end; longer lines are parsed each time. */
const MAX_SHAPES = 20000;
const MAX_SHAPE_TOKENS = 64;

function kindOf(t: TokenType): number {
  return t === Value ? 0 : t === Option ? 1 : t === Bang ? 2 : t === Counters ? 3 : t === ChainDecl ? 4 : t === TableHeader ? 5 : t === Commit ? 6 : t === Comment ? 7 : -1;
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
  const result = parser.argsOf(tokens);
  result.issues = parser.issues;
  // arguments built from the plan of their shape have no parser errors (see RuleParser.saveLineOf)
  if (!parser.replayed) for (const e of parser.errors) {
    result.issues.push({ code: 'syntax-error', message: e.message, span: { start: base + (e.token.startOffset || 0), end: base + (e.token.endOffset || 0) + 1 } });
  }
  parser.release();
  return result;
}
