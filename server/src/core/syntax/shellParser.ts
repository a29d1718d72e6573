import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import type { Span } from '../text/span.ts';
import type { Word } from './nodes.ts';
import { drain, type Steps } from '../services/steps.ts';
import { AndIf, Amp, DSemi, HeredocOp, LParen, Newline, OrIf, Pipe, Redirect, RParen, Semi, ShellWord, shellTokens, type HeredocBody, lexShellPart } from './shellTokens.ts';
import { shellWord } from './shellWord.ts';

export interface ShellRedirect {
  op: string;
  target?: Word;
  span: Span;
}

export interface ShellHeredoc {
  op: Span;
  body: HeredocBody;
}

/** One simple command: its words (after leading reserved words are dropped), redirections and here-documents. */
export interface ShellCommand {
  words: Word[];
  redirects: ShellRedirect[];
  heredocs: ShellHeredoc[];
  span: Span;
  /** The operator that joined it to the previous command (`&&`, `||`, `|`, `;`, newline…). */
  after?: string;
  /**
   * The shell condition it runs under (see ShellScript.guards): 0 at the top of the script;
   * otherwise a branch of an `if` or `case`, a loop's body, the command after `&&` or `||`,
   * or a `{ …; }` group that follows one of those.
   */
  guard: number;
  /**
   * It starts the condition of an `if`, `elif`, `while` or `until`, or is negated with `!`:
   * the script goes on when it fails (takes the other branch, ends the loop), even under `set -e`.
   */
  tested?: true;
  /** It is the test of a `while` or `until` loop: the commands of the guard it opens may run any number of times. */
  loopTest?: true;
}

export interface ShellScript {
  commands: ShellCommand[];
  /**
   * The guard each guard sits in, by number (`guards[0]` is 0, the top): a command under guard
   * g runs only when the commands under each guard on the way from g to the top do.
   */
  guards: number[];
  heredocs: HeredocBody[];
  /** Each function's name with the guard of its body (see ShellScript.guards), in text order. */
  functions: { name: string; guard: number }[];
  /**
   * Guards whose commands run only after a command succeeded, with that command's index in
   * `commands`: the command after `&&` (and a `{ …; }` group there), the first branch of an
   * `if` or the body of a `while` whose test is not negated.
   */
  afterSuccess: Map<number, number>;
}

/** Leading words after which a command's failure is a test's answer (see ShellCommand.tested). */
const TESTS = new Set(['if', 'elif', 'while', 'until', '!']);

/** A shell function's name. */
const NAME = /^[A-Za-z_][\w-]*$/;

/** Words that open or close compound commands; a simple command starts after them. */
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac', '{', '}', '!', 'time', 'in']);

/**
 * The loose shell grammar: a script is a sequence of simple commands separated by list
 * operators. Compound commands (`if`, `for`, `while`, `case`, functions, subshells) are
 * not modelled as such; their bodies are simple commands like any other, which is all
 * that finding iptables invocations needs.
 *
 *   script  := ( separator | command )*
 *   command := ( ShellWord | Redirect ShellWord? | HeredocOp )+
 */
class ShellParser extends EmbeddedActionsParser {
  bodies: HeredocBody[] = [];
  private heredocIndex = 0;

  constructor() {
    super(shellTokens, { maxLookahead: 1, recoveryEnabled: false, skipValidations: true });
    this.performSelfAnalysis();
  }

  /** Takes up a parse where `s` left it (see ShellParseState); `script` then adds to it. */
  resume(s: ShellParseState): void {
    this.bodies = s.bodies;
    this.heredocIndex = s.heredocIndex;
    this.commands = s.commands;
    this.after = s.after;
    this.open = s.open;
    this.guards = s.guards;
    this.groups = s.groups;
    this.definition = s.definition;
    this.defining = s.defining;
    this.functions = s.functions;
    this.lead = s.lead;
    this.afterSuccess = s.afterSuccess;
    this.casePattern = s.casePattern;
  }

  /**
   * Gives back where the parse stands, and lets go of it: the parser outlives the script, and
   * its tokens and words are slices of the script's text, which they would keep in memory
   * after the document is closed; another script may be parsed before this one's next step.
   */
  suspend(): ShellParseState {
    const s: ShellParseState = { bodies: this.bodies, heredocIndex: this.heredocIndex, commands: this.commands, after: this.after, open: this.open, guards: this.guards, groups: this.groups, definition: this.definition, defining: this.defining, functions: this.functions, lead: this.lead, afterSuccess: this.afterSuccess, casePattern: this.casePattern };
    this.resume(newParseState());
    this.input = [];
    this.cmdWords = [];
    this.cmdRedirects = [];
    this.cmdHeredocs = [];
    return s;
  }

  // alternatives are built once (Chevrotain accepts a cached array); state lives on the instance
  private commands: ShellCommand[] = [];
  private after: string | undefined;
  private scriptAlts?: { ALT: () => void }[];
  private separatorAlts?: { ALT: () => IToken }[];

  /** Guards open around the next command, innermost last (see ShellScript.guards). */
  private open: number[] = [];
  /** The enclosing guard of every guard made so far. */
  guards: number[] = [0];
  /** Open `{` groups, each true when it opened a guard (after `&&` or `||`, or a function's body). */
  private groups: boolean[] = [];
  /**
   * How far a function definition has come: 1 after a command that is a name (`start`), 2
   * after its `(`, 3 after `()`, 4 after `function start` (a `()` may follow): at 3 and 4 a
   * `{` opens its body. A function's body runs where it is called, not where it is written:
   * it gets a guard of its own, like a branch.
   */
  private definition = 0;
  /** The name of the function whose definition is under way (see definition). */
  private defining = '';
  /** Function bodies met so far (see ShellScript.functions). */
  functions: { name: string; guard: number }[] = [];
  /** The reserved words the last command started with (see command). */
  private lead: string[] = [];
  /**
   * A `case` arm's pattern comes next: after `case WORD in` and after `;;`, until the `)`.
   * The pattern's words (`start`, `start|restart`) are parsed as commands joined by `|`;
   * they are not commands, and are left out.
   */
  private casePattern = false;
  /** See ShellScript.afterSuccess. */
  afterSuccess = new Map<number, number>();

  private current(): number {
    return this.open.length ? this.open[this.open.length - 1] : 0;
  }

  private newGuard(parent: number): number {
    this.guards.push(parent);
    return this.guards.length - 1;
  }

  /** A function's body opens: a `{` group whose commands run when the function is called. */
  private openFunctionBody(name: string): void {
    this.groups.push(true);
    const guard = this.newGuard(this.current());
    this.open.push(guard);
    this.functions.push({ name, guard });
  }

  /** The innermost guard gives way to a sibling: the next branch of an if (else, elif) or case arm. */
  private nextBranch(): void {
    if (!this.open.length) return;
    const top = this.open.pop()!;
    this.open.push(this.newGuard(this.guards[top]));
  }

  /**
   * The guard `cmd` runs under, updating the open guards with the words it starts with.
   * Compound commands are not modelled beyond this: an `if` line's condition runs where the
   * `if` is, its branches one level in (each branch a guard of its own), until `fi`.
   */
  private guardOf(cmd: ShellCommand, lead: string[]): number {
    const joined = cmd.after === '&&' || cmd.after === '||';
    let opens = 0;
    let group = false;
    const body = this.definition === 3 || this.definition === 4;
    this.definition = 0;
    for (const w of lead) {
      if (w === 'fi' || w === 'done' || w === 'esac') this.open.pop();
      else if (w === 'else' || w === 'elif') this.nextBranch();
      else if (w === 'if' || w === 'while' || w === 'until') opens++;
      else if (w === '{') {
        if (body && !group) this.openFunctionBody(this.defining);
        else {
          this.groups.push(joined);
          group ||= joined;
        }
      } else if (w === '}' && this.groups.pop()) this.open.pop();
    }
    let guard = this.current();
    // the command after && or || (a group that follows them: everything in it)
    if (joined) {
      guard = this.newGuard(guard);
      if (group) this.open.push(guard);
      if (cmd.after === '&&' && this.commands.length) this.afterSuccess.set(guard, this.commands.length - 1);
    }
    const head = cmd.words[0];
    const loop = !!head && !head.quoted && (head.text === 'for' || head.text === 'case' || head.text === 'select');
    if (loop) opens++;
    for (let i = 0; i < opens; i++) this.open.push(this.newGuard(this.current()));
    // `if CMD; then` and `while CMD; do`: the branch opened last runs when this command succeeds
    // (not after `!`, nor for `until`, whose body runs while it fails)
    const tests = lead.findLastIndex((w) => w === 'if' || w === 'while' || w === 'until');
    if (!loop && tests !== -1 && lead[tests] !== 'until' && !lead.slice(tests).includes('!')) this.afterSuccess.set(this.current(), this.commands.length);
    // `name` (then `()`), `function name` (then `()` or not), `function name {`
    const words = cmd.words;
    if (!lead.length && words.length && !words[0].quoted) {
      if (words.length === 1 && NAME.test(words[0].text)) {
        this.definition = 1;
        this.defining = words[0].text;
      } else if (words[0].text === 'function' && words.length >= 2 && NAME.test(words[1].text)) {
        this.defining = words[1].text;
        if (words.length === 2) this.definition = 4;
        else if (words.length === 3 && words[2].text === '{' && !words[2].quoted) this.openFunctionBody(words[1].text);
      }
    }
    return guard;
  }

  /**
   * The commands of the tokens given as input, added to those of the parse under way (see
   * resume): a script parsed in steps gives its tokens a stretch at a time, each ending with a
   * newline outside any word or here-document.
   */
  public script = this.RULE('script', (): void => {
    this.MANY(() => {
      this.OR((this.scriptAlts ??= [
        {
          ALT: () => {
            const sep = this.OR2((this.separatorAlts ??= [
              { ALT: () => this.CONSUME(Newline) },
              { ALT: () => this.CONSUME(Semi) },
              { ALT: () => this.CONSUME(DSemi) },
              { ALT: () => this.CONSUME(AndIf) },
              { ALT: () => this.CONSUME(OrIf) },
              { ALT: () => this.CONSUME(Pipe) },
              { ALT: () => this.CONSUME(Amp) },
              { ALT: () => this.CONSUME(LParen) },
              { ALT: () => this.CONSUME(RParen) },
            ]));
            this.ACTION(() => {
              this.after = sep.tokenType === Newline ? '\n' : sep.image;
              // `;;` ends a case arm: the next arm is another branch
              if (sep.tokenType === DSemi) {
                this.nextBranch();
                this.casePattern = true;
              } else if (sep.tokenType === RParen) this.casePattern = false;
              // a function definition's `()`; its `{` may come on the next line
              if (sep.tokenType === LParen) this.definition = this.definition === 1 || this.definition === 4 ? 2 : 0;
              else if (sep.tokenType === RParen) this.definition = this.definition === 2 ? 3 : 0;
              else if (!(sep.tokenType === Newline && this.definition >= 3)) this.definition = 0;
            });
          },
        },
        {
          ALT: () => {
            const cmd = this.SUBRULE(this.command);
            this.ACTION(() => {
              if (this.lead.includes('esac')) this.casePattern = false;
              else if (this.casePattern) {
                this.after = undefined;
                return;
              }
              cmd.after = this.after;
              cmd.guard = this.guardOf(cmd, this.lead);
              if (this.lead.some((w) => TESTS.has(w))) cmd.tested = true;
              if (this.lead.includes('while') || this.lead.includes('until')) cmd.loopTest = true;
              this.commands.push(cmd);
              this.after = undefined;
              const head = cmd.words[0];
              if (head && !head.quoted && head.text === 'case') this.casePattern = true;
            });
          },
        },
      ]));
    });
  });

  private cmdWords: Word[] = [];
  private cmdRedirects: ShellRedirect[] = [];
  private cmdHeredocs: ShellHeredoc[] = [];
  private cmdStart = 0;
  private cmdEnd = 0;
  private commandAlts?: { ALT: () => void }[];

  private extend(s: Span): void {
    if (s.start < this.cmdStart) this.cmdStart = s.start;
    if (s.end > this.cmdEnd) this.cmdEnd = s.end;
  }

  private command = this.RULE('command', (): ShellCommand => {
    this.ACTION(() => {
      this.cmdWords = [];
      this.cmdRedirects = [];
      this.cmdHeredocs = [];
      this.cmdStart = Infinity;
      this.cmdEnd = -Infinity;
    });
    this.AT_LEAST_ONE(() => {
      this.OR((this.commandAlts ??= [
        {
          ALT: () => {
            const tok = this.CONSUME(ShellWord);
            this.ACTION(() => {
              const w = shellWord(tok.image, tok.startOffset);
              this.cmdWords.push(w);
              this.extend(w.span);
            });
          },
        },
        {
          ALT: () => {
            const op = this.CONSUME(Redirect);
            const target = this.OPTION(() => this.CONSUME2(ShellWord));
            this.ACTION(() => {
              const opSpan = spanOf(op);
              const r: ShellRedirect = { op: op.image, span: opSpan };
              if (target) {
                r.target = shellWord(target.image, target.startOffset);
                r.span = { start: opSpan.start, end: r.target.span.end };
              }
              this.cmdRedirects.push(r);
              this.extend(r.span);
            });
          },
        },
        {
          ALT: () => {
            const op = this.CONSUME(HeredocOp);
            this.ACTION(() => {
              const body = this.bodies[this.heredocIndex++];
              const s = spanOf(op);
              if (body) this.cmdHeredocs.push({ op: s, body });
              this.extend(s);
            });
          },
        },
      ]));
    });
    return this.ACTION(() => {
      const words = this.cmdWords;
      // `if iptables …`, `then $IPT …`, `! iptables -C …`: the command proper follows the reserved words
      let first = 0;
      while (first < words.length && !words[first].quoted && RESERVED.has(words[first].text)) first++;
      this.lead = first ? words.slice(0, first).map((w) => w.text) : [];
      // (the command starts after them: a finding on `then iptables …` or `do allow $p` marks the command, not `then`)
      let start = this.cmdStart;
      if (first) {
        const after = words[first - 1].span.end;
        start = words[first]?.span.start ?? this.cmdEnd;
        for (const r of this.cmdRedirects) if (r.span.start >= after && r.span.start < start) start = r.span.start;
        for (const h of this.cmdHeredocs) if (h.op.start >= after && h.op.start < start) start = h.op.start;
      }
      return { words: first ? words.slice(first) : words, redirects: this.cmdRedirects, heredocs: this.cmdHeredocs, span: { start, end: this.cmdEnd }, guard: 0 };
    });
  });
}

function spanOf(tok: IToken): Span {
  return { start: tok.startOffset, end: tok.startOffset + tok.image.length };
}

// built on first use, like the rule parser
let shellParser: ShellParser | undefined;

/**
 * Where a parse stands between two stretches of tokens (see ShellParser.resume): the parser
 * is shared by every script, so a parse in steps keeps its own state between them.
 */
interface ShellParseState {
  bodies: HeredocBody[];
  heredocIndex: number;
  commands: ShellCommand[];
  after: string | undefined;
  open: number[];
  guards: number[];
  groups: boolean[];
  definition: number;
  defining: string;
  functions: { name: string; guard: number }[];
  lead: string[];
  afterSuccess: Map<number, number>;
  casePattern: boolean;
}

function newParseState(): ShellParseState {
  return { bodies: [], heredocIndex: 0, commands: [], after: undefined, open: [], guards: [0], groups: [], definition: 0, defining: '', functions: [], lead: [], afterSuccess: new Map(), casePattern: false };
}

/** Splits a script into simple commands. Never throws: every token is either a separator or part of a command. */
export function parseShell(text: string): ShellScript {
  return drain(parseShellSteps(text));
}

/**
 * parseShell in steps: the text lexed and parsed about `charsPerStep` characters at a time
 * (see lexShellPart), with the same result. The lexer and the parser of a 1.2 MB script took
 * 140–300 ms together, in one piece, before its model was begun.
 */
export function* parseShellSteps(text: string, charsPerStep = Infinity): Steps<ShellScript> {
  const parser = (shellParser ??= new ShellParser());
  let state = newParseState();
  let from = 0;
  for (;;) {
    const part = lexShellPart(text, from, charsPerStep);
    // one at a time: a part may hold more here-documents than a call takes arguments
    for (const h of part.heredocs) state.bodies.push(h);
    parser.input = part.tokens;
    parser.resume(state);
    try {
      parser.script();
    } finally {
      state = parser.suspend();
    }
    from = part.end;
    if (from >= text.length) break;
    yield;
  }
  return { commands: state.commands, heredocs: state.bodies, guards: state.guards, functions: state.functions, afterSuccess: state.afterSuccess };
}
