import type { Family } from '../knowledge/types.ts';
import type { Span } from '../text/span.ts';
import type { SyntaxIssue, Word } from '../syntax/nodes.ts';
import { parseArgTokens } from '../syntax/ruleParser.ts';
import { drain, type Steps } from '../services/steps.ts';
import { parseShellSteps, type ShellCommand, type ShellScript } from '../syntax/shellParser.ts';
import { shellWord } from '../syntax/shellWord.ts';
import { wordTokens } from '../syntax/wordTokens.ts';
import { bindCommand } from './bind.ts';
import { refusedCommand, ValueVerdicts } from './refusedCommand.ts';
import { checksRule } from './addsOnce.ts';
import { chainsFoundUnder } from './chainsFound.ts';
import { errexitSetting, errexitStops, failureHandled, shebangErrexit } from './failureHandled.ts';
import { ipsetSteps, type IpsetStep } from './ipsetSteps.ts';
import { noteAssignment, resolveTool, type ResolvedTool, type ToolVariables } from './commandName.ts';
import { sysctlFacts } from './sysctlFacts.ts';
import { scriptEncodingIssues } from './scriptEncoding.ts';
import { SaveDocument } from './saveDocument.ts';
import { ShellVariables, type EnvironmentValue, type SourcedTexts } from './shellVariables.ts';
import { NamePool } from './namePool.ts';
import { TableState } from './tableState.ts';
import { within } from './guards.ts';
import type { Command, ForwardingFact, RestoreInput, RouteLocalnetFact, RuleSet } from './types.ts';

/**
 * Whether `sc` is the last command of one of the caller's stopping lines (see
 * ScriptOptions.stoppingLines): the next command, if any, starts in a later line's shell.
 */
function endsStoppingLine(sc: ShellCommand, next: ShellCommand | undefined, options: ScriptOptions): boolean {
  const lines = options.stoppingLines;
  if (!lines?.length) return false;
  let own: number | undefined;
  let after = Infinity;
  for (const at of options.subshells ?? []) {
    if (at <= sc.span.start && (own === undefined || at > own)) own = at;
    else if (at > sc.span.start && at < after) after = at;
  }
  return own !== undefined && lines.includes(own) && (!next || next.span.start >= after);
}

/** `iptables-restore` options that keep the tables' other rules (`-n`, `--noflush`). */
function noFlush(words: Word[]): boolean {
  return words.some((w) => w.value === '-n' || w.value === '--noflush' || /^-[a-zA-Z]*n[a-zA-Z]*$/.test(w.value));
}

/** What compiling a script needs besides the rule set: its shell commands, and the functions whose bodies run at their calls (called once, or bound at each call). */
export interface ScriptExtras {
  shellCommands: ShellCommand[];
  runAtCalls: Set<string>;
}

/**
 * A shell script as the rule set it builds: every iptables/ip6tables invocation (through
 * sudo, absolute paths or variables), `iptables-restore` here-documents, and the commands
 * that set forwarding or route_localnet, in the order the script runs them. Other shell is ignored.
 * `errexit`: the caller runs the text under `set -e`; `subshells`: offsets where it starts afresh
 * in another shell, variables unset (wg-quick's hook lines, see wgQuick.ts).
 */
export function scriptRuleSet(text: string, options: ScriptOptions = {}): RuleSet & ScriptExtras {
  return drain(scriptRuleSetSteps(text, options));
}

/** How scriptRuleSet reads a script (see there). */
export interface ScriptOptions {
  errexit?: boolean;
  subshells?: readonly number[];
  /**
   * Of `subshells`, those whose status ends the run where it fails, as ifup runs its hook lines
   * (`sh -c LINE`, no `set -e`): the last command of such a line stops it, one before it does not.
   */
  stoppingLines?: readonly number[];
  /** The program that runs the script (see RuleSet.runBy). */
  runBy?: 'fw3';
  /** Values the caller's environment gives from a subshell's start on (ifupdown's `IFACE` on each hook line). */
  environment?: readonly EnvironmentValue[];
  sourced?: SourcedTexts;
}

/**
 * A router script's commands run about this many characters each: the shell parse of a
 * script modelled `n` commands a step takes this many times `n` characters a step.
 */
const CHARS_PER_COMMAND = 64;

/**
 * scriptRuleSet in steps, with the same result: the shell parse a stretch of the text at a
 * time, then `commandsPerStep` of its commands at a time. A script's model was made in one
 * piece: 0.8–1 s for a 10,000-rule router script (1.2 MB) as the language server opened it,
 * where nothing else was answered.
 */
export function* scriptRuleSetSteps(text: string, options: ScriptOptions = {}, commandsPerStep = Infinity): Steps<RuleSet & ScriptExtras> {
  const script = yield* parseShellSteps(text, commandsPerStep * CHARS_PER_COMMAND);
  const vars: ToolVariables = new Map();
  const state = new TableState(script.guards);
  const names = new NamePool();
  const verdicts = new ValueVerdicts();
  const commands: Command[] = [];
  const forwarding: ForwardingFact[] = [];
  const routeLocalnet: RouteLocalnetFact[] = [];
  const issues: SyntaxIssue[] = [];
  const restores: RestoreInput[] = [];
  const unreadRestores: { span: Span; family: Family }[] = [];
  const steps: (Command | RestoreInput)[] = [];
  // `-i $WAN`, `--to-destination $WEB:8080`: variables the script sets once read as their values
  const variables = new ShellVariables(script, text, options.subshells, options.sourced, options.environment);
  if (commandsPerStep < script.commands.length) yield;
  let hasRules = false;
  let previous: ShellCommand | undefined;
  // the kind of the iptables command just before, to read `&&` and `||` after it (see guardOf)
  let previousKind: Command['kind'] | undefined;
  const chained = new Map<number, number>();
  // the iptables command each shell command made, for those that run after one succeeded (see chainsFoundUnder)
  const made = new Map<ShellCommand, Command>();
  /**
   * The guard a command runs under. After `&&` the shell runs it when the command before
   * succeeded: after an iptables command that is chaining (`iptables -F && iptables -X`), it
   * runs whenever the script works. After `||` it runs when the command before failed: after
   * `iptables -C …` that is the idiom that adds a rule unless it is there, and the rule is
   * there either way. Both are read as the guard around them; after anything else (`[ … ]`,
   * `grep -q`) the condition stands.
   */
  const guardOf = (sc: ShellCommand, before: Command['kind'] | undefined): number => {
    const g = chained.get(sc.guard);
    if (g !== undefined) return g;
    if (sc.guard !== 0 && ((sc.after === '&&' && before !== undefined) || (sc.after === '||' && before === 'check'))) {
      const around = script.guards[sc.guard] ?? 0;
      chained.set(sc.guard, around);
      return around;
    }
    return sc.guard;
  };

  const functions = calledFunctions(script, text);
  // the body of a function called once at the top level is at the top level
  // (under the condition of its call, where that is in another function's body: see calledFunctions)
  const topOf = (guard: number) => functions.hostOf(guard);
  // what the body of a called function does, done at each call
  // (`bound`: the words of the loops around a call in a loop's body, see plainLoops)
  const atCall = new Map<number, ((call: ShellCommand, bound?: readonly LoopBinding[]) => void)[]>();
  const atEachCall = (body: number, later: (call: ShellCommand, bound?: readonly LoopBinding[]) => void) => {
    const list = atCall.get(body);
    if (list) list.push(later);
    else atCall.set(body, [later]);
  };
  /**
   * The iptables commands functions' bodies run at their calls, in order (those iptables
   * refuses too); `callRuns`: what each call, as written, ran (see RuleSet.callRuns).
   */
  const ran: Command[] = [];
  const callRuns = new Map<number, { span: Span; runs: Command[][] }>();
  /** A step (see RuleSet.steps) and its change of the tables, made now or at the calls of its function. */
  const apply = (sc: ShellCommand, step: Command | RestoreInput, change: () => void) => {
    const body = functions.bodyOf.get(sc.guard);
    if (body === undefined) {
      steps.push(step);
      change();
    } else if (functions.repeated.has(body)) {
      change();
      atEachCall(body, () => {
        steps.push(step);
        if ('kind' in step) ran.push(step);
      });
    } else {
      atEachCall(body, () => {
        steps.push(step);
        if ('kind' in step) ran.push(step);
        change();
      });
    }
  };

  /** What ipset commands do to sets, in the order they run (a function's body at its calls, like apply). */
  const ipsets: IpsetStep[] = [];
  const recordSet = (sc: ShellCommand, step: Omit<IpsetStep, 'order'>) => {
    const body = functions.bodyOf.get(sc.guard);
    if (body === undefined) ipsets.push({ ...step, order: steps.length });
    else atEachCall(body, () => ipsets.push({ ...step, order: steps.length }));
  };

  /**
   * A command of a function called several times, as one call runs it: `$1`…`$9` are the
   * call's arguments where those are known (see RuleSet.instances). Its place is the call's.
   */
  const instances: Command[] = [];
  const templates = new Set<Command>();
  /**
   * What each templated body does to its own names, in order: its assignments (`local
   * proto=$1 port=$2`), read at each call, and its `shift`s (the count), which move the
   * arguments the commands below them read.
   */
  const bodySteps = new Map<number, BodyStep[]>();
  /** Steps of `sc`, where it is at the top of a body bound at each call (see bodySteps). */
  const noteBodySteps = (sc: ShellCommand, added: readonly BodyStep[]) => {
    const inBody = functions.bodyOf.get(sc.guard);
    if (inBody === undefined || inBody !== sc.guard || !functions.templated.has(inBody)) return;
    const list = bodySteps.get(inBody);
    if (list) list.push(...added);
    else bodySteps.set(inBody, [...added]);
  };
  /**
   * What a call gives its function's body at a point of it: its arguments (read with the words
   * of the loops around the call) less those the body's `shift`s above the point dropped
   * (`shifted` of them), `$1`…`$9` as their values where known, and the other names as the
   * body's own assignments before the point (`locals`, the first `before` of them) or the
   * script's variables at the call.
   */
  const callScope = (call: ShellCommand, bound: readonly LoopBinding[] | undefined, locals: readonly BodyStep[], before = locals.length) => {
    const args = call.words.slice(1).map((w) => (bound ? boundWord(w, bound, variables.at(call.span.start)) : variables.resolve(w)));
    const shiftedAt = (end: number) => {
      let n = 0;
      for (let i = 0; i < end; i++) if (typeof locals[i] === 'number') n += locals[i] as number;
      return n;
    };
    const positionalAt = (end: number) => {
      const from = shiftedAt(end);
      return (name: string) => {
        const w = /^[1-9]$/.test(name) ? args[from + Number(name) - 1] : undefined;
        return w && !w.dynamic ? w.value : undefined;
      };
    };
    // the body runs at the call: the script's variables as they are there, and the body's own
    // assignments before the command (`local port=$1`), read with the call's arguments
    const outer = variables.at(call.span.start);
    // (an assignment reads those before it only, and the arguments as they are there)
    const upTo = (end: number) => (name: string): string | undefined => {
      for (let i = end - 1; i >= 0; i--) {
        const w = locals[i];
        if (typeof w === 'number') continue;
        const eq = w.text.indexOf('=');
        if (w.text.slice(0, eq) !== name) continue;
        const positional = positionalAt(i);
        const r = shellWord(w.text.slice(eq + 1), w.span.start + eq + 1, (n) => positional(n) ?? upTo(i)(n));
        return r.dynamic ? undefined : r.value;
      }
      return outer(name);
    };
    const shifted = shiftedAt(before);
    return { given: args.slice(shifted), shifted, positional: positionalAt(before), known: upTo(before) };
  };
  /**
   * Words of a function's body as one call runs them (`scope`: that call's, see callScope);
   * `inner`: the words of the body's loops around them in this pass (see plainLoops), read
   * before the call's arguments.
   */
  const wordsAtCall = (argWords: readonly Word[], scope: ReturnType<typeof callScope>, inner: readonly LoopBinding[]): Word[] => {
    const { given, positional, known } = scope;
    const innerValue = (name: string) => inner.findLast((b) => b.name === name)?.value;
    return argWords.flatMap((w) => {
      if (!w.dynamic || w.unterminated) return [w];
      // `"$@"`: the call's arguments, each a word where the call writes it
      if (ALL_PARAMETERS.test(w.text)) return given;
      const r = shellWord(w.text, w.span.start, (name) => innerValue(name)?.value ?? positional(name) ?? known(name));
      if (r.dynamic) return [w];
      // a word that is one argument (`$1`, "${2}") is that argument, where the call writes it,
      // and one that is a loop's variable that loop's word: a finding about its value points there
      const whole = ONE_PARAMETER.exec(w.text);
      const loopWord = whole ? undefined : ONE_VARIABLE.exec(w.text);
      const at = whole ? given[Number(whole[1] ?? whole[2]) - 1].span : loopWord ? innerValue(loopWord[1] ?? loopWord[2])?.span : undefined;
      return [{ ...r, span: at ?? w.span }];
    });
  };
  /** `written` as one call runs it; `inner`: the words of the body's loops around it in this pass. */
  const instantiate = (written: Command, call: ShellCommand, bound: readonly LoopBinding[] | undefined, prefix: Word[], argWords: Word[], family: Family, afterCheck: boolean, locals: readonly BodyStep[], inner: readonly LoopBinding[] = []) => {
    const words = wordsAtCall(argWords, callScope(call, bound, locals), inner);
    const cmd = bindCommand(parseArgTokens(wordTokens([...prefix, ...words]), 0), call.span, { family, names });
    if (bound || inner.length) cmd.loopValues = [...(bound ?? []), ...inner];
    const asWritten = callWritten.get(call) ?? call;
    // a call at the top level: under the branch it is in (an init script's `case` arm), none in a loop there
    runInstance(written, cmd, afterCheck, functions.nested.has(asWritten) ? nestedGuard(asWritten) : (onceUnder(asWritten.guard) ?? 0));
  };
  /**
   * A call in the body of a function that runs at its own calls, as one of those runs it: its
   * arguments read with that call's (`both() { allow_tcp "$1"; }; both 53`: `allow_tcp 53`),
   * its place that call's where the body runs several times (each call's rules are reported at
   * it), else its own. `before`: how many of the body's own steps (assignments, shifts) are
   * above the call; `inner`: the words of the body's loops around it in this pass. With the
   * words of all the loops the call runs in (see Command.loopValues).
   */
  const callAt = (sc: ShellCommand, outer: CallAt, before: number, inner: readonly LoopBinding[] = []): [ShellCommand, (readonly LoopBinding[])?] => {
    const scope = callScope(outer.call, outer.bound, bodySteps.get(outer.body) ?? [], before);
    const words = [sc.words[0], ...wordsAtCall(sc.words.slice(1), scope, inner)];
    const call = { ...sc, words, span: functions.repeated.has(outer.body) ? outer.call.span : sc.span };
    callWritten.set(call, callWritten.get(sc) ?? sc);
    const loops = [...(outer.bound ?? []), ...inner];
    return loops.length ? [call, loops] : [call];
  };
  /** The call as written, of one made by callAt. */
  const callWritten = new WeakMap<ShellCommand, ShellCommand>();

  /**
   * The words a loop of a function's body runs over at one call (see PlainLoop.perCall):
   * `"$@"` the call's arguments, `$1` one of them, `$NAME` a variable as the body sees it
   * there; unquoted, split at blanks. Undefined where one is not known.
   */
  const loopWordsAt = (l: OpenLoop, at: CallAt): Word[] | undefined => {
    const { given, shifted, known } = callScope(at.call, at.bound, bodySteps.get(at.body) ?? [], l.locals);
    const out: Word[] = [];
    const split = (w: Word, value: string) => out.push(...fieldsOf(value, w.span));
    for (const w of l.values) {
      if (!w.dynamic) out.push(w);
      else if (ALL_PARAMETERS.test(w.text)) {
        for (let i = 0; i < given.length; i++) {
          const g = given[i];
          const written = at.call.words[shifted + i + 1];
          if (!g.dynamic) {
            // an argument the shell splits is several (a value with blanks is not read as one word)
            if (written.dynamic && !written.quoted) split(g, g.value);
            else out.push(g);
            continue;
          }
          // `allow $PORTS`: a variable alone, unquoted, whose value has blanks
          const one = written.quoted ? null : ONE_VARIABLE.exec(written.text);
          const value = one ? variables.at(at.call.span.start)(one[1] ?? one[2]) : undefined;
          if (value === undefined || /[*?[]/.test(value)) return undefined;
          split(written, value);
        }
      } else {
        const param = ONE_PARAMETER.exec(w.text);
        if (param) {
          const g = given[Number(param[1] ?? param[2]) - 1];
          if (g === undefined || g.dynamic) return undefined;
          if (w.quoted) out.push(g);
          else split(g, g.value);
          continue;
        }
        const one = ONE_VARIABLE.exec(w.text);
        const value = one ? known(one[1] ?? one[2]) : undefined;
        if (value === undefined) return undefined;
        if (w.quoted) out.push({ text: value, value, span: w.span, quoted: true, dynamic: false });
        else split(w, value);
      }
    }
    return out;
  };

  /**
   * The condition a call in another function's body runs its body under: none at the top of a
   * body that runs at its own calls (see functions.nested), else the call's own.
   */
  const nestedGuard = (call: ShellCommand) => (functions.repeated.has(call.guard) ? 0 : topOf(call.guard));

  /** An instance of `written` made: listed, and run where iptables takes it (the check before it is the instance made just before). */
  const runInstance = (written: Command, cmd: Command, afterCheck: boolean, guard = 0) => {
    cmd.instanceOf = written;
    if (guard !== 0) {
      cmd.guard = guard;
      if (cmd.rule) cmd.rule.guard = guard;
    }
    // each pass runs the same shell command: what follows a failure of it is the same
    if (written.failureHandled) cmd.failureHandled = true;
    if (written.stopsOnFailure) cmd.stopsOnFailure = true;
    const checked = afterCheck ? instances[instances.length - 1] : undefined;
    if (checked && checksRule(checked, cmd)) cmd.addsOnce = true;
    instances.push(cmd);
    ran.push(cmd);
    if (refusedCommand(cmd, verdicts)) {
      cmd.refused = true;
      return;
    }
    steps.push(cmd);
    state.apply(cmd, guard);
  };

  /**
   * `for NAME in WORDS; do …; done` at the top level (or in a function called once) over words
   * the model knows, its body plain commands, calls and loops of the same kind (see plainLoops):
   * each iptables command of the body is bound once per word (per word of each loop around it,
   * nested), in the order the loops run them, where the outermost loop ends or its function is
   * called (see RuleSet.instances). An instance's place is the command's; a word that is a
   * loop's variable alone is the value, where the `for` line writes it.
   */
  const templateOf = (guard: number) => {
    const body = functions.bodyOf.get(guard);
    return body !== undefined && functions.templated.has(body) ? body : undefined;
  };
  // where a loop runs once as written: at the top level, in a branch of it or in a function
  // body that runs at its call, not in another loop nor in a body left where written (the
  // guard it runs under there, else undefined)
  const functionBodies = new Set(script.functions.map((f) => f.guard));
  const onceUnder = (guard: number): number | undefined => {
    const under = topOf(guard);
    for (let x = under; x !== 0; x = script.guards[x]) if (functions.loopGuards.has(x) || functionBodies.has(x)) return undefined;
    return under;
  };
  const loops = plainLoops(script, variables, text, onceUnder, templateOf);
  // a body with a loop the model does not run word by word is not bound at each call after all
  for (const k of functions.loopsAt) {
    const body = templateOf(script.commands[k].guard);
    if (body !== undefined && !loops.has(k)) functions.untemplate(body);
  }
  /** The loops open at the command being read, outermost first: what each body runs, in order. */
  const open: OpenLoop[] = [];
  const runLoop = (l: OpenLoop, outer: readonly LoopBinding[], at?: CallAt) => {
    const runItems = (bound: readonly LoopBinding[]) => {
      for (const item of l.items) {
        if (typeof item === 'function') item(bound, at);
        else runLoop(item, bound, at);
      }
    };
    const values = l.perCall ? at && loopWordsAt(l, at) : l.values;
    // words a call leaves unknown: the body runs once, the loop's variable unknown
    if (!values) return runItems(outer);
    for (const value of values) runItems([...outer, { name: l.name, value, loop: l.start }]);
  };
  /** Closes the loops whose bodies end before `sc` (all, without one); the outermost runs, at its function's call where it is in one. */
  const closeLoops = (sc?: ShellCommand) => {
    while (open.length && (!sc || !within(script.guards, open[open.length - 1].body, sc.guard))) {
      const l = open.pop()!;
      if (open.length) continue;
      const body = functions.bodyOf.get(l.at);
      if (body === undefined) runLoop(l, []);
      else atEachCall(body, (call, bound) => runLoop(l, [], { call, bound, body }));
    }
  };
  const instantiateInLoop = (written: Command, sc: ShellCommand, prefix: Word[], argWords: Word[], family: Family, bound: readonly LoopBinding[], afterCheck: boolean, guard: number) => {
    const known = variables.at(sc.span.start);
    const words = argWords.map((w) => boundWord(w, bound, known));
    const cmd = bindCommand(parseArgTokens(wordTokens([...prefix, ...words]), 0), sc.span, { family, names });
    cmd.loopValues = bound;
    runInstance(written, cmd, afterCheck, guard);
  };

  // `set -e` at the top level, from there on (a `set` in a branch or a function is not followed);
  // `errexit`: the caller runs the text so (wg-quick its hooks)
  let errexit = options.errexit || shebangErrexit(text);
  const stops = (k: number): boolean => {
    const sc = script.commands[k];
    const next = script.commands[k + 1];
    if (!errexitStops(sc, next)) return false;
    return errexit || endsStoppingLine(sc, next, options);
  };
  for (let k = 0; k < script.commands.length; k++) {
    if (k && k % commandsPerStep === 0) yield;
    const sc = script.commands[k];
    const words = sc.words;
    // past a loop's body (its commands, those after `||` that follows a check in it, its loops)
    closeLoops(sc);
    const opens = loops.get(k);
    if (opens) {
      // (the body's own assignments and shifts above the loop are what its words may read)
      const l: OpenLoop = { ...opens, at: sc.guard, items: [], locals: bodySteps.get(functions.bodyOf.get(sc.guard) ?? -1)?.length ?? 0 };
      open[open.length - 1]?.items.push(l);
      open.push(l);
    }
    if (sc.guard === 0) errexit = errexitSetting(sc) ?? errexit;
    // a function's call: its body runs here, or at each pass of the loop around the call
    const body = functions.calls.get(sc);
    const callLoop = body !== undefined ? open[open.length - 1] : undefined;
    // (the steps of the body the call is in above it, its assignments and shifts: see bodySteps)
    const localsAbove = bodySteps.get(functions.bodyOf.get(sc.guard) ?? -1)?.length ?? 0;
    const runCall = (call: ShellCommand, bound?: readonly LoopBinding[]) => {
      const from = ran.length;
      for (const change of atCall.get(body!) ?? []) change(call, bound);
      if (ran.length === from) return;
      const runs = callRuns.get(sc.span.start);
      if (runs) runs.runs.push(ran.slice(from));
      else callRuns.set(sc.span.start, { span: sc.span, runs: [ran.slice(from)] });
    };
    // in a loop of a body bound at each call: read with that call's arguments and the loop's words
    if (callLoop) callLoop.items.push((bound, at) => (at ? runCall(...callAt(sc, at, localsAbove, bound)) : runCall(sc, bound)));
    else if (body !== undefined) {
      // a call in the body of a function that runs at its own calls (`main() { allow 22; }; main`) runs there
      const outer = functions.bodyOf.get(sc.guard);
      if (outer !== undefined && outer !== body) atEachCall(outer, (call, bound) => runCall(...callAt(sc, { call, bound, body: outer }, localsAbove)));
      else runCall(sc);
    }
    const kindBefore = previousKind;
    previousKind = undefined;
    if (!words.length) {
      previous = sc;
      continue;
    }
    // `shift` at the top of a body bound at each call: the commands below it read the arguments after those it drops
    if (words[0].value === 'shift') {
      noteBodySteps(sc, [words.length === 1 ? 1 : Number(words[1].value)]);
      previous = sc;
      continue;
    }
    // assignments alone (`IPT=/sbin/iptables`, `export IPT=…`, `local IPT=…`)
    const lead = ['export', 'readonly', 'local', 'declare', 'typeset'].includes(words[0].value) ? 1 : 0;
    if (words.slice(lead).every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value))) {
      for (const w of words.slice(lead)) noteAssignment(vars, w);
      noteBodySteps(sc, words.slice(lead));
      previous = sc;
      continue;
    }
    // a configuration read with `.` that names the tools (`IPTABLES=/usr/sbin/iptables`)
    for (const w of variables.useOf(sc)?.assignments ?? []) noteAssignment(vars, w);
    // the innermost loop open, where the command is in its body
    const loop = open.length && (sc.guard === open[open.length - 1].body || script.guards[sc.guard] === open[open.length - 1].body) ? open[open.length - 1] : undefined;
    // `for ipt in iptables ip6tables; do $ipt -A …; done`: each word of the loop is the tool
    const toolLoop = loop ? toolLoopOf(open, words) : undefined;
    const toolOf = toolLoop ? loopTools(toolLoop, words, vars) : undefined;
    const tool = toolOf ? toolOf.get(toolLoop!.values[0]) : resolveTool(words, vars);
    if (!tool) {
      previous = sc;
      continue;
    }
    const argWords = words.slice(tool.argStart);
    /** The tool of one pass of the loops around the command: the word of a loop over the tools, where it is one. */
    const passTool = (bound: readonly LoopBinding[]): ResolvedTool => {
      const toolWord = toolLoop && bound.findLast((b) => b.name === toolLoop.name)?.value;
      return (toolWord && toolOf?.get(toolWord)) || tool;
    };
    if (tool.kind === 'iptables') {
      hasRules = true;
      const prefix = prefixWords(tool, words);
      const all = [...prefix, ...argWords.map((w) => variables.resolve(w))];
      for (const w of argWords) {
        if (w.unterminated) issues.push({ code: 'syntax-error', message: 'This quote is never closed: the shell reads on to the end of the file and the command fails.', span: { start: w.span.start, end: Math.min(w.span.end, text.indexOf('\n', w.span.start) === -1 ? w.span.end : text.indexOf('\n', w.span.start)) } });
      }
      const args = parseArgTokens(wordTokens(all), 0);
      const cmd = bindCommand(args, sc.span, { family: tool.family, names });
      // a listing or -C that && follows is the script's test for the chain or rule (`iptables -S X >/dev/null && iptables -F X`)
      if (failureHandled(sc, script.commands[k + 1]) || (script.commands[k + 1]?.after === '&&' && (cmd.kind === 'list' || cmd.kind === 'list-rules' || cmd.kind === 'check'))) cmd.failureHandled = true;
      if (stops(k)) cmd.stopsOnFailure = true;
      const checked = previous && kindBefore === 'check' && sc.after === '||' ? made.get(previous) : undefined;
      if (checked && checksRule(checked, cmd)) cmd.addsOnce = true;
      const guard = topOf(guardOf(sc, kindBefore));
      previousKind = cmd.kind;
      if (cmd.rule) cmd.rule.guard = guard;
      if (guard !== 0) cmd.guard = guard;
      const found = chainsFoundUnder(script, sc, cmd, made);
      if (found) cmd.chainsFound = found;
      made.set(sc, cmd);
      issues.push(...cmd.issues);
      commands.push(cmd);
      const body = functions.bodyOf.get(sc.guard);
      // bound again at each call of its function, with the call's arguments
      if (body !== undefined && functions.templated.has(body)) {
        templates.add(cmd);
        const afterCheck = kindBefore === 'check' && sc.after === '||';
        const locals = [...(bodySteps.get(body) ?? [])];
        // in a loop of the body: bound at each pass of each call, the loop's word read first
        if (loop) {
          loop.items.push((inner, at) => {
            if (!at) return;
            const t = passTool(inner);
            instantiate(cmd, at.call, at.bound, t === tool ? prefix : prefixWords(t, words), words.slice(t.argStart), t.family, afterCheck, locals, inner);
          });
        } else atEachCall(body, (call, bound) => instantiate(cmd, call, bound, prefix, argWords, tool.family, afterCheck, locals));
      } else if (loop) {
        // bound once per word of its loops, where the outermost ends
        templates.add(cmd);
        const afterCheck = kindBefore === 'check' && sc.after === '||';
        // under the condition of the branch the outermost loop is in (none at the top level)
        const place = onceUnder(open[0].at) ?? 0;
        loop.items.push((bound) => {
          const t = passTool(bound);
          instantiateInLoop(cmd, sc, t === tool ? prefix : prefixWords(t, words), words.slice(t.argStart), t.family, bound, afterCheck, place);
        });
      }
      // an option the command does not take: iptables refuses the command before looking at
      // the tables. (A restore file with such a line fails as a whole: its lines stay in the model.)
      else if (refusedCommand(cmd, verdicts)) cmd.refused = true;
      else apply(sc, cmd, () => state.apply(cmd, guard));
    } else if (tool.kind === 'restore') {
      hasRules = true;
      const guard = topOf(guardOf(sc, kindBefore));
      // a file or pipe the model does not read: any table of the family may have changed from
      // here on (from where it is written: a function's body runs later, if at all)
      if (!sc.heredocs.length) {
        state.forget(tool.family);
        unreadRestores.push({ span: sc.span, family: tool.family });
      }
      for (const h of sc.heredocs) {
        if (!h.body.terminated) {
          issues.push({ code: 'syntax-error', message: `The here-document has no closing '${h.body.delimiter}' line: the shell reads it to the end of the file.`, span: h.op });
        }
        const doc = new SaveDocument(text, tool.family, { from: h.body.start, to: h.body.end, shellExpands: !h.body.quotedDelimiter, known: variables.at(sc.span.start), stripTabs: h.body.stripTabs });
        doc.blocksAddUp = noFlush(argWords);
        const inner = doc.toRuleSet();
        issues.push(...inner.issues);
        for (const c of inner.commands) {
          if (c.rule) c.rule.guard = guard;
          commands.push(c);
        }
        const input: RestoreInput = { flushes: !noFlush(argWords), ruleSet: inner, span: sc.span };
        restores.push(input);
        apply(sc, input, () => state.restore(input, guard));
      }
    } else if (tool.kind === 'ipset') {
      const guard = topOf(guardOf(sc, kindBefore));
      // `ipset restore <<EOF`: the sets its input creates
      const h = sc.heredocs[0]?.body;
      const input = h ? { text: text.slice(h.start, h.end), start: h.start, expands: !h.quotedDelimiter } : undefined;
      const handled = failureHandled(sc, script.commands[k + 1]);
      const stopping = stops(k);
      for (const step of ipsetSteps(argWords.map((w) => variables.resolve(w)), sc.span, input)) {
        recordSet(sc, { ...step, guard, command: sc.span, ...(handled && (step.kind === 'fill' || step.kind === 'create' || step.kind === 'destroy') ? { failureHandled: true } : {}), ...(stopping ? { stopsOnFailure: true as const } : {}) });
      }
    } else {
      const facts = sysctlFacts(sc, tool.kind as 'sysctl' | 'write' | 'tee', argWords.map((w) => variables.resolve(w)), previous, (w) => variables.resolve(w));
      forwarding.push(...facts.forwarding);
      routeLocalnet.push(...facts.routeLocalnet);
    }
    previous = sc;
  }
  closeLoops();
  // the file itself, before any command: a byte order mark, CRLF line endings
  issues.push(...scriptEncodingIssues(text));
  const hasFunctions = /(^|[\n;&|{(])[ \t]*(function[ \t]+[A-Za-z_][\w-]*|[A-Za-z_][\w-]*[ \t]*\([ \t]*\))/.test(text);
  const wrapsTool = /(^|[\n;&|{(])[ \t]*(function[ \t]+)?ip6?tables(-legacy|-nft)?[ \t]*(\([ \t]*\)|\{)/.test(text);
  // a file read that the caller gave, and that only sets variables, adds nothing to the tables
  const sourcesFiles = variables.sources.some((u) => !u.plain);
  return { dialect: 'script', commands, tables: state.tables, forwarding, routeLocalnet, issues, hasRules: hasRules || ipsets.length > 0, family: 'ipv4' as Family, shellCommands: script.commands, hasFunctions, wrapsTool, ...(options.runBy ? { runBy: options.runBy } : {}), sourcesFiles, ...(variables.sources.length ? { sources: variables.sources } : {}), ...(variables.values.length ? { variables: variables.values } : {}), guards: script.guards, restores, ...(unreadRestores.length ? { unreadRestores } : {}), steps, instances, templates, runAtCalls: functions.runAtCalls, refusals: state.refusals, positions: state.positions, ...(callRuns.size ? { callRuns } : {}), numberedChains: state.numberedChains(), restoresReplacing: state.restoresReplacing, ipsets };
}

/** What a function's body does to its names, in order (see bodySteps): an assignment, or a `shift` of that many arguments. */
type BodyStep = Word | number;

/** A word that is a positional parameter alone, quoted or not: `$1`, `"${2}"`. */
const ONE_PARAMETER = /^"?\$(?:([1-9])|\{([1-9])\})"?$/;
/** The words a tool's variable adds before the arguments (`IPT="iptables -w"`), where the tool is named. */
function prefixWords(tool: ResolvedTool, words: readonly Word[]): Word[] {
  const anchor = words[tool.argStart - 1].span;
  return tool.prefix.map((p) => ({ text: p, value: p, span: { start: anchor.start, end: anchor.end }, quoted: false, dynamic: false }));
}

/** A loop the model runs word by word (see plainLoops): the guard of its body, its variable and its words. */
interface PlainLoop {
  /** Where its `for` command starts. */
  start: number;
  body: number;
  name: string;
  values: Word[];
  /**
   * In a function's body bound at each call: some of `values` read the call (`"$@"`, `$1`) or a
   * variable as the body sees it there, and are worked out at each call (see loopWordsAt).
   */
  perCall?: boolean;
}

/** A call running its function's body (`body`, its guard), in the passes of the loops around the call (`bound`). */
interface CallAt {
  call: ShellCommand;
  bound: readonly LoopBinding[] | undefined;
  body: number;
}

/** A loop open while the script is read: the guard its `for` command is under, and what its body runs, in order (commands bound with the loops' words, and loops nested in it). */
interface OpenLoop extends PlainLoop {
  at: number;
  /** How many of its function's own steps (assignments, shifts) come before it (see bodySteps). */
  locals: number;
  items: (((bound: readonly LoopBinding[], at?: CallAt) => void) | OpenLoop)[];
}

/** A loop's variable and the word it holds in one pass. */
type LoopBinding = NonNullable<Command['loopValues']>[number];

/** The loop, of those open, whose variable names the command's tool (`$ipt -A …`), innermost first. */
function toolLoopOf(open: readonly OpenLoop[], words: readonly Word[]): OpenLoop | undefined {
  const one = words.length ? ONE_VARIABLE.exec(words[0].text) : null;
  return one ? open.findLast((l) => l.name === (one[1] ?? one[2])) : undefined;
}

/**
 * A command of a loop's body run by the loop's variable (`for ipt in iptables ip6tables; do
 * $ipt -A …; done`): the iptables tool each word names, when every word names one. Undefined
 * for any other command.
 */
function loopTools(loop: PlainLoop, words: readonly Word[], vars: ToolVariables): Map<Word, ResolvedTool> | undefined {
  const out = new Map<Word, ResolvedTool>();
  for (const v of loop.values) {
    const t = resolveTool([v, ...words.slice(1)], vars);
    if (t?.kind !== 'iptables') return undefined;
    out.set(v, t);
  }
  return out;
}

/** A word that reads a positional parameter: `$1`, `${2}`, `"$@"`, `$*`. */
const POSITIONAL = /\$\{?[1-9@*]/;

/** A word that is one variable alone, quoted or not: `$p`, `"${port}"`. */
const ONE_VARIABLE = /^"?\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})"?$/;

/**
 * A word of a command a loop runs, in one pass: the loops' variables read as their words there
 * (the innermost loop of a name binds it), the others as `known` says. A word that is a loop's
 * variable alone is that word, where the `for` line writes it.
 */
function boundWord(w: Word, bound: readonly LoopBinding[], known: (name: string) => string | undefined): Word {
  if (!w.dynamic || w.unterminated) return w;
  const boundTo = (n: string) => bound.findLast((b) => b.name === n)?.value;
  const r = shellWord(w.text, w.span.start, (n) => boundTo(n)?.value ?? known(n));
  if (r.dynamic) return w;
  const whole = ONE_VARIABLE.exec(w.text);
  const value = whole ? boundTo(whole[1] ?? whole[2]) : undefined;
  return { ...r, span: value ? value.span : w.span };
}

/** The most words a counted range of a loop stands for (`{1..1000}`); a longer one is not run word by word. */
const MAX_COUNTED = 1024;

/**
 * The numbers a loop's word counts through: `$(seq FIRST [STEP] LAST)` unquoted, or in bash
 * `{FIRST..LAST}`, each a word where the range is written. Undefined for any other word, or a
 * range of more than MAX_COUNTED numbers.
 */
function counted(w: Word, bash: boolean): Word[] | undefined {
  const seq = /^\$\(\s*seq\s+(-?\d+)(?:\s+(-?\d+))?(?:\s+(-?\d+))?\s*\)$/.exec(w.text);
  const brace = bash ? /^\{(-?\d+)\.\.(-?\d+)\}$/.exec(w.text) : null;
  let first: number;
  let step: number;
  let last: number;
  if (seq) {
    // seq LAST, seq FIRST LAST, seq FIRST STEP LAST
    const n = [seq[1], seq[2], seq[3]].filter((x) => x !== undefined).map(Number);
    [first, step, last] = n.length === 1 ? [1, 1, n[0]] : n.length === 2 ? [n[0], 1, n[1]] : [n[0], n[1], n[2]];
    if (step === 0) return undefined;
  } else if (brace) {
    first = Number(brace[1]);
    last = Number(brace[2]);
    step = first <= last ? 1 : -1;
  } else return undefined;
  const count = Math.floor((last - first) / step) + 1;
  if (count < 0 || count > MAX_COUNTED) return undefined;
  const out: Word[] = [];
  for (let i = 0, v = first; i < count; i++, v += step) out.push({ text: String(v), value: String(v), span: w.span, quoted: false, dynamic: false });
  return out;
}

/** Commands that end or skip a loop's pass, or change the variables it reads in ways the model does not follow. */
const LOOP_BREAKERS = new Set(['break', 'continue', 'exit', 'return', 'read', 'shift', 'set', 'eval', 'source', '.']);

/**
 * `for NAME in WORDS; do …; done` at the top level or in a branch of it (`onceUnder`: in the
 * body of a function called once too, which runs at its call) that the model runs word by word: WORDS are literal words
 * (no glob or brace expansion), counted ranges (see counted), unquoted variables whose values it knows (split at blanks) or
 * the elements of an array the script sets once to words it writes, at least one; the body is
 * plain commands, each under the loop's own guard (or after `||` that follows a rule's check,
 * see afterCheck; `|| true`, see failureIgnored), none with a here-document, none that leaves
 * or skips the pass, and loops of the same kind (`for ip in $TRUSTED; do for p in 22 443; do
 * …; done; done`), whose words do not read the loops around them. In a function's body bound
 * at each call (`templateOf`), at its top or nested in such loops, the words may read the call
 * (`"$@"`, `for p; do`, `$1`) or a variable, worked out at each call (PlainLoop.perCall). By
 * the index of each `for` command, nested ones too: the body's guard, the name and the words.
 */
function plainLoops(script: ShellScript, variables: ShellVariables, text: string, onceUnder: (guard: number) => number | undefined, templateOf: (guard: number) => number | undefined): Map<number, PlainLoop> {
  const out = new Map<number, PlainLoop>();
  const { commands, guards } = script;
  let arrays: Map<string, LiteralArray> | undefined;
  // bash expands `{1..5}`; sh (dash) leaves it as written
  const bash = /^#![^\n]*\bbash\b/.test(text);
  /** The loop whose `for` command is at k, with its guard `parent`, and the index past its body; the loops it holds into `found`. */
  const loopAt = (k: number, parent: number, found: Map<number, PlainLoop>): number | undefined => {
    const sc = commands[k];
    const w = sc.words;
    const template = templateOf(sc.guard) !== undefined;
    if (k + 1 >= commands.length || (sc.guard !== parent && onceUnder(sc.guard) !== parent) || w.length < 2 || w[0].text !== 'for' || !/^[A-Za-z_]\w*$/.test(w[1].text)) return undefined;
    // `for p; do`: over the function's arguments
    const implicit = w.length === 2 && template;
    if (!implicit && (w.length < 4 || w[2].text !== 'in')) return undefined;
    const body = commands[k + 1].guard;
    if (body === 0 || guards[body] !== parent) return undefined;
    const values: Word[] = [];
    let perCall = false;
    for (const x of implicit ? [{ text: '"$@"', value: '', span: w[1].span, quoted: true, dynamic: true }] : w.slice(3)) {
      // in a function bound at each call: the call's arguments, or a variable as the body sees it there
      if (template && x.dynamic && (ALL_PARAMETERS.test(x.text) || ONE_PARAMETER.test(x.text) || ONE_VARIABLE.test(x.text))) {
        values.push(x);
        perCall = true;
        continue;
      }
      const array = ARRAY_ELEMENTS.exec(x.text);
      if (array) {
        // `"${PORTS[@]}"`: an array the script sets once, to words it writes
        const a = (arrays ??= literalArrays(script, text)).get(array[1] ?? array[2]);
        if (!a || a.at > sc.span.start) return undefined;
        values.push(...a.values);
      } else if (counted(x, bash)) values.push(...counted(x, bash)!);
      else if (/[*?[{]/.test(x.text.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;
      else if (!x.dynamic) values.push(x);
      else {
        // an unquoted variable alone, split at blanks (a loop's variable is not known: see ShellVariables)
        const one = x.quoted ? null : ONE_VARIABLE.exec(x.text);
        const value = one ? variables.at(x.span.start)(one[1] ?? one[2]) : undefined;
        if (value === undefined) return undefined;
        values.push(...fieldsOf(value, x.span));
      }
    }
    if (!values.length) return undefined;
    let j = k + 1;
    while (j < commands.length && within(guards, body, commands[j].guard)) {
      const c = commands[j];
      if (c.guard === body && c.words[0]?.text === 'for') {
        const end = loopAt(j, body, found);
        if (end === undefined) return undefined;
        j = end;
        continue;
      }
      if ((c.guard !== body && !afterCheck(c, commands[j - 1], body, guards) && !failureIgnored(c, commands[j - 1], body, guards)) || c.heredocs.length || LOOP_BREAKERS.has(c.words[0]?.text ?? '')) return undefined;
      j++;
    }
    found.set(k, { start: sc.span.start, body, name: w[1].text, values, ...(perCall ? { perCall } : {}) });
    return j;
  };
  for (let k = 0; k + 1 < commands.length; k++) {
    const g = commands[k].guard;
    if (commands[k].words[0]?.text !== 'for') continue;
    // a loop at the top of a function's body bound at each call is at the top of that body
    const parent = onceUnder(g) ?? (templateOf(g) === g ? g : undefined);
    if (parent === undefined) continue;
    const found = new Map<number, PlainLoop>();
    const end = loopAt(k, parent, found);
    if (end === undefined) continue;
    for (const [at, l] of found) out.set(at, l);
    k = end - 1;
  }
  return out;
}

/** A word that is all the elements of an array, each a word: `"${PORTS[@]}"`, `${PORTS[*]}` unquoted. */
const ARRAY_ELEMENTS = /^(?:"\$\{([A-Za-z_]\w*)\[@\]\}"|\$\{([A-Za-z_]\w*)\[[@*]\]\})$/;

/**
 * Arrays a script sets once, at its top level, to words it writes (`PORTS=(22 80 443)`): by
 * name, where they are set and their elements. An array set anywhere else, element by element
 * or with `+=` too, is left out.
 */
export function literalArrays(script: Pick<ShellScript, 'commands'>, text: string): Map<string, LiteralArray> {
  const out = new Map<string, LiteralArray>();
  const { commands } = script;
  for (let k = 0; k + 1 < commands.length; k++) {
    const sc = commands[k];
    const w = sc.words;
    const m = w.length === 1 && sc.guard === 0 ? /^([A-Za-z_]\w*)=$/.exec(w[0].text) : null;
    // `(` right after `=`: the elements up to its `)`, over several lines, with comments between them
    if (!m || text[sc.span.end] !== '(') continue;
    const close = arrayEnd(text, sc.span.end + 1);
    if (close === undefined) continue;
    const values: Word[] = [];
    const lists: ShellCommand[] = [];
    let j = k + 1;
    for (; j < commands.length && commands[j].span.start < close; j++) {
      const list = commands[j];
      if (list.guard !== 0 || list.span.end > close || list.heredocs.length || list.redirects.length) break;
      if (!list.words.every((x) => !x.dynamic && !/[*?[{]/.test(x.text.replace(/"[^"]*"|'[^']*'/g, '')))) break;
      values.push(...list.words);
      lists.push(list);
    }
    if (j < commands.length && commands[j].span.start < close) continue;
    // set once: its name before `=`, `+=` or `[i]=` nowhere else in the text
    const sets = text.match(new RegExp(`(?<![\\w$])${m[1]}(\\[[^\\]]*\\])?\\+?=`, 'g'))?.length ?? 0;
    if (sets === 1) out.set(m[1], { at: sc.span.start, values, lists });
  }
  return out;
}

/** An array a script sets once to words it writes: where, its elements, and the shell commands the parser made of their lines. */
export interface LiteralArray {
  at: number;
  values: Word[];
  lists: ShellCommand[];
}

/** The offset of the `)` that ends an array's elements starting at `from` (quotes and comments passed over); undefined where there is none. */
function arrayEnd(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === ')') return i;
    if (c === '(' || c === '`' || c === '$' || c === '\\') return undefined;
    if (c === '#' && /\s/.test(text[i - 1])) {
      const eol = text.indexOf('\n', i);
      if (eol === -1) return undefined;
      i = eol;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return undefined;
      i = end;
    }
  }
  return undefined;
}

/** The words the shell splits an unquoted value into at blanks, each where the expansion is written. */
function fieldsOf(value: string, span: Span): Word[] {
  return value.split(/\s+/).filter((part) => part).map((part) => ({ text: part, value: part, span, quoted: false, dynamic: false }));
}

/** Commands whose words are printed, not run. */
const PRINTS = new Set(['echo', 'printf']);

/** Shell loops written as a command's first word (see ShellCommand.loopTest for `while` and `until`): their bodies may run any number of times. */
const LOOPS = new Set(['for', 'select']);

/** A word that is all the positional parameters: `"$@"`, `$@`, `${@}`, `$*` (not `"$*"`, one word). */
const ALL_PARAMETERS = /^(?:"\$(?:@|\{@\})"|\$(?:[@*]|\{[@*]\}))$/;


/** `iptables -N svc 2>/dev/null || true`: `true` (or `:`) after `||` that follows a command of the body, which changes nothing. */
function failureIgnored(sc: ShellCommand, before: ShellCommand | undefined, body: number, parents: readonly number[]): boolean {
  return sc.after === '||' && parents[sc.guard] === body && before?.guard === body && sc.words.length === 1 && (sc.words[0].text === 'true' || sc.words[0].text === ':') && !sc.redirects.length;
}

/**
 * `iptables -C "$@" || iptables -A "$@"`: the command after `||` that follows a rule's check
 * in the body itself, the usual way to add a rule once. Bound at each call like the body's own
 * commands: the model adds the rule where the check may fail (see guardOf).
 */
function afterCheck(sc: ShellCommand, before: ShellCommand | undefined, body: number, parents: readonly number[]): boolean {
  return sc.after === '||' && parents[sc.guard] === body && before?.guard === body && before.words.some((w) => w.value === '-C' || w.value === '--check');
}

/**
 * Functions defined at the top of the script and called at its top level after their
 * definition, with the name written nowhere else but in comments and what `echo` prints (a
 * dispatch table, a trap or calls in several branches leave the function where it is written;
 * one call in a branch, an init script's `case` arm, runs under that branch), and those called in
 * other functions' bodies, at the top level too or not, that do not call themselves (see
 * below). Called once (`rules() { …; }; iptables -F; rules`), the body runs at the call: its commands change the tables there (a
 * flush written between definition and call does not undo them), under no condition of its
 * own (`guards` is changed so the body's guard reads as the top level). Called several times
 * (`allow() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }; allow 22; allow 80`), the
 * body runs at each call. A plain body (commands one after the other: no condition or
 * here-document inside, no `set` moving its arguments nor `shift` but at its top, of a count
 * it writes; loops only where plainLoops runs them, see `loopsAt`) is `templated`: its iptables
 * commands are bound again at each call with `$1`…`$9` (and `"$@"`) read as the call's
 * arguments, and the body's own assignments before them (`local port=$1`) with them (see
 * RuleSet.instances); so is the plain body of a function called once that reads its
 * arguments. Of another, the tables keep the rules where they are written, and the steps
 * (RuleSet.steps) take them at every call. `calls`: each call, to its body's guard;
 * `bodies`: the guards of bodies called once; `repeated`: those called several times;
 * `bodyOf`: each guard inside either, to the body's.
 */
function calledFunctions(script: ShellScript, text: string): CalledFunctions {
  const calls = new Map<ShellCommand, number>();
  const bodies = new Set<number>();
  const repeated = new Set<number>();
  const templated = new Set<number>();
  const bodyOf = new Map<number, number>();
  const guards = script.guards;
  const parents = guards.slice();
  const top = new Map(script.functions.filter((f) => parents[f.guard] === 0).map((f) => [f.guard, f.name]));
  const runAtCalls = new Set<string>();
  const loopsAt: number[] = [];
  const nested = new Set<ShellCommand>();
  // the body a function called once in another's body is called in
  const host = new Map<number, number>();
  const hostOf = (guard: number): number => (bodies.has(guard) ? hostOf(host.get(guard) ?? 0) : guard);
  const untemplate = (body: number) => {
    templated.delete(body);
    if (!bodies.has(body)) runAtCalls.delete(top.get(body)!);
  };
  const commands = script.commands;
  // every loop (`for`, `while`, `until`, `select`): the index of its head, and the guard of its body
  const loops: { k: number; body: number }[] = [];
  for (let k = 0; k + 1 < commands.length; k++) {
    const next = commands[k + 1].guard;
    // (`while` and `until` are reserved words the parser drops: their test is marked instead)
    if ((LOOPS.has(commands[k].words[0]?.text ?? '') || commands[k].loopTest) && next !== commands[k].guard && parents[next] === commands[k].guard) loops.push({ k, body: next });
  }
  // the bodies of loops: a call there may run several times
  const loopGuards = new Set(loops.map((l) => l.body));
  const result = { calls, bodies, repeated, templated, bodyOf, runAtCalls, loopsAt, untemplate, nested, hostOf, loopGuards };
  if (!top.size) return result;
  // how often each name is written, comments left out (in the commands' words, redirections and
  // here-documents): the definition and the calls; any other use (`trap f ERR`, `FN=f`, a
  // `case` pattern) leaves the function where it is written
  const written = new Map<string, number>();
  const name = new RegExp(`(?<![\\w$-])(?:${[...new Set(top.values())].join('|')})(?![\\w-])`, 'g');
  const count = (s: string) => {
    for (const m of s.matchAll(name)) written.set(m[0], (written.get(m[0]) ?? 0) + 1);
  };
  for (const sc of script.commands) {
    // what echo and printf print is text (`echo "usage: $0 start|stop"`), not a use of the function
    if (!PRINTS.has(sc.words[0]?.value ?? '')) for (const w of sc.words) count(w.text);
    for (const r of sc.redirects) if (r.target) count(r.target.text);
  }
  for (const h of script.heredocs) count(text.slice(h.start, h.end));
  const isFor = (k: number) => commands[k].words[0]?.text === 'for';
  // the bodies of `for` loops at the top level, and of those in them: a call there runs at each pass (see plainLoops)
  const loopBodies = new Set<number>();
  for (const { k, body } of loops) if (isFor(k) && (commands[k].guard === 0 || loopBodies.has(commands[k].guard))) loopBodies.add(body);
  // where each body ends, the calls at the top level or in such a loop, and the others (under a
  // condition, in a function's body); the bodies holding a call
  const ends = new Map<number, number>();
  const called = new Map<string, ShellCommand[]>();
  const elsewhere = new Map<string, ShellCommand[]>();
  // the names each body calls
  const callees = new Map<number, Set<string>>();
  const enclosing = (guard: number) => {
    for (let x = guard; x !== 0; x = parents[x] ?? 0) if (top.has(x)) return x;
    return undefined;
  };
  for (const sc of commands) {
    const inBody = enclosing(sc.guard);
    if (inBody !== undefined) ends.set(inBody, Math.max(ends.get(inBody) ?? -1, sc.span.end));
    const head = sc.words[0]?.text;
    if (head === undefined || !written.has(head)) continue;
    const list = sc.guard === 0 || loopBodies.has(sc.guard) ? called : elsewhere;
    list.set(head, [...(list.get(head) ?? []), sc]);
    if (inBody !== undefined) callees.set(inBody, (callees.get(inBody) ?? new Set()).add(head));
  }
  const outsideLoops = (guard: number) => {
    for (let x = guard; x !== 0; x = parents[x] ?? 0) if (loopGuards.has(x)) return false;
    return true;
  };
  for (const [body, name] of top) {
    // a wrapper named like the tool (`iptables() { … "$@"; }`) is read as unknown (RuleSet.wrapsTool)
    if (/^ip6?tables/.test(name)) continue;
    const end = ends.get(body);
    if (end === undefined) continue;
    const after = (called.get(name) ?? []).filter((sc) => sc.span.start > end);
    // called once, in a branch of the top level (an init script's `start) start ;;`, an `if`'s
    // branch, after `&&`): the body runs there, under that branch's condition
    const branch = after.length ? [] : (elsewhere.get(name) ?? []).filter((sc) => sc.span.start > end && enclosing(sc.guard) === undefined);
    if (branch.length === 1 && written.get(name) === 2 && outsideLoops(branch[0].guard)) {
      calls.set(branch[0], body);
      bodies.add(body);
      host.set(body, branch[0].guard);
      continue;
    }
    if (!after.length || written.get(name) !== 1 + after.length) continue;
    for (const call of after) calls.set(call, body);
    (after.length === 1 && after[0].guard === 0 ? bodies : repeated).add(body);
  }
  /** A call at this guard, in a function's body, runs once each time that body runs, and the body at most once. */
  const runsOnce = (guard: number) => {
    for (let x = guard; x !== 0; x = parents[x] ?? 0) {
      if (loopGuards.has(x) || repeated.has(x)) return false;
      if (top.has(x)) return true;
    }
    return false;
  };
  // A function called in the bodies of other functions (and perhaps at the top level too): its
  // body runs at each call, under the call's condition. In the body of a function the model
  // leaves where it is written (an init script's `start() { allow 22; allow 80; }`, which a
  // `case` arm runs), read where the call is, under that body's condition; in one that runs at
  // its own calls (`main() { allow 22; }; main`, `both() { allow_tcp "$1"; allow_udp "$1"; }`),
  // at those, with that call's arguments (see scriptRuleSet). Not a `case` arm's call of `start`
  // itself, which another arm's `restart` calls too: one of them runs, and the body stays where
  // it is written; nor a function that calls itself, through others or not. Callers before the
  // functions they call: whether a call runs once, or after the definition, depends on how its
  // caller runs.
  const bodyNamed = new Map([...top].map(([body, name]) => [name, body]));
  const recursive = callingItself(top, bodyNamed, callees);
  /**
   * Whether a call in the body `caller` runs only after `end` (a definition's): the body runs
   * at its calls, each of them written after `end` or, in the body of another such function,
   * run after it (`main() { allow 22; }; allow() { …; }; main`).
   */
  const runsAfter = (caller: number | undefined, end: number): boolean => {
    if (caller === undefined || !(bodies.has(caller) || repeated.has(caller))) return false;
    let any = false;
    for (const [call, body] of calls) {
      if (body !== caller) continue;
      if (call.span.start < end && !runsAfter(enclosing(call.guard), end)) return false;
      any = true;
    }
    return any;
  };
  for (const body of callersFirst(top, bodyNamed, callees, recursive)) {
    const name = top.get(body)!;
    if (/^ip6?tables/.test(name) || bodies.has(body) || repeated.has(body)) continue;
    const end = ends.get(body);
    if (end === undefined) continue;
    const inBodies = (elsewhere.get(name) ?? []).filter((sc) => sc.span.start > end || runsAfter(enclosing(sc.guard), end));
    const atTop = (called.get(name) ?? []).filter((sc) => sc.span.start > end);
    if (!inBodies.length || written.get(name) !== 1 + inBodies.length + atTop.length || inBodies.some((sc) => enclosing(sc.guard) === undefined)) continue;
    for (const call of inBodies) {
      calls.set(call, body);
      nested.add(call);
    }
    for (const call of atTop) calls.set(call, body);
    // called once, in a body that does not run several times (Whonix's `main`, an init script's
    // `start`), not in a loop there: it runs there as a function called once at the top level
    // does, its rules where written, under the call's condition
    if (!atTop.length && inBodies.length === 1 && runsOnce(inBodies[0].guard)) {
      bodies.add(body);
      host.set(body, inBodies[0].guard);
    } else repeated.add(body);
  }
  if (!calls.size) return result;
  for (let g = 1; g < parents.length; g++) {
    for (let x = g; x !== 0; x = parents[x] ?? 0) {
      if (bodies.has(x) || repeated.has(x)) {
        bodyOf.set(g, x);
        break;
      }
    }
  }
  // a body called several times is a template when nothing in it is nested or moves its arguments
  for (const body of repeated) templated.add(body);
  // one called once that reads its arguments too (`open() { iptables … --dport $1 …; }; open 22`)
  // (`for p; do` runs over them)
  if (bodies.size) for (const sc of commands) if (bodies.has(sc.guard) && (sc.words.some((w) => POSITIONAL.test(w.text)) || (sc.words.length === 2 && sc.words[0].text === 'for'))) templated.add(sc.guard);
  // the bodies of the loops in those bodies, which plainLoops may run word by word at each call
  const forBodies = new Set<number>();
  for (const { k, body: loopBody } of loops) {
    const body = bodyOf.get(commands[k].guard);
    if (body === undefined || !templated.has(body) || !isFor(k)) continue;
    forBodies.add(loopBody);
    loopsAt.push(k);
  }
  /** Under the body's loops alone (a command after `||` in one too, which plainLoops judges). */
  const inLoops = (guard: number, body: number) => {
    let x = forBodies.has(guard) ? guard : parents[guard];
    if (!forBodies.has(x)) return false;
    for (; x !== body; x = parents[x]) if (!forBodies.has(x)) return false;
    return true;
  };
  for (let k = 0; k < commands.length; k++) {
    const sc = commands[k];
    const body = bodyOf.get(sc.guard);
    if (body === undefined || !templated.has(body)) continue;
    const head = sc.words[0]?.value;
    // (a `shift` of a count it writes, at the top of the body, is read: see bodySteps)
    const plainShift = head === 'shift' && sc.guard === body && !sc.after?.match(/^(&&|\|\|)$/) && (sc.words.length === 1 || (sc.words.length === 2 && /^[1-9]$/.test(sc.words[1].value)));
    if ((sc.guard !== body && !afterCheck(sc, commands[k - 1], body, parents) && !inLoops(sc.guard, body)) || sc.heredocs.length || (head === 'shift' && !plainShift) || head === 'set' || head === 'getopts') templated.delete(body);
  }
  for (const [body, name] of top) if (bodies.has(body) || templated.has(body)) runAtCalls.add(name);
  // what is nested in a body called once is nested where its call is (the top level, or the
  // body holding the call); the body's own commands are there (see scriptRuleSet)
  const hosts = guards.map((g) => hostOf(g));
  for (let g = 1; g < guards.length; g++) if (bodies.has(guards[g])) guards[g] = hosts[g];
  return result;
}

/**
 * The bodies of the functions that do not call themselves (not `recursive`), each before the
 * functions it calls (`callees`: the names each body calls; `bodyNamed`: each function's body
 * by its name); otherwise in text order.
 */
function callersFirst(top: ReadonlyMap<number, string>, bodyNamed: ReadonlyMap<string, number>, callees: ReadonlyMap<number, ReadonlySet<string>>, recursive: ReadonlySet<number>): number[] {
  const done = new Set<number>();
  const calleesFirst: number[] = [];
  const visit = (body: number) => {
    if (done.has(body)) return;
    done.add(body);
    for (const name of callees.get(body) ?? []) {
      const next = bodyNamed.get(name);
      if (next !== undefined && !recursive.has(next)) visit(next);
    }
    calleesFirst.push(body);
  };
  for (const body of [...top.keys()].reverse()) if (!recursive.has(body)) visit(body);
  return calleesFirst.reverse();
}

/** The bodies of the functions that call themselves, directly or through others (see callersFirst). */
function callingItself(top: ReadonlyMap<number, string>, bodyNamed: ReadonlyMap<string, number>, callees: ReadonlyMap<number, ReadonlySet<string>>): Set<number> {
  const out = new Set<number>();
  for (const start of top.keys()) {
    const seen = new Set<number>();
    const stack = [start];
    while (stack.length) {
      for (const name of callees.get(stack.pop()!) ?? []) {
        const next = bodyNamed.get(name);
        if (next === undefined || seen.has(next)) continue;
        if (next === start) out.add(start);
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return out;
}

/**
 * What calledFunctions finds; `loopsAt`: the `for` commands in bodies bound at each call, by
 * index, and `untemplate` takes a body out of those (a loop there the model does not run).
 */
interface CalledFunctions {
  calls: Map<ShellCommand, number>;
  bodies: Set<number>;
  repeated: Set<number>;
  templated: Set<number>;
  bodyOf: Map<number, number>;
  runAtCalls: Set<string>;
  loopsAt: readonly number[];
  untemplate(body: number): void;
  /** Calls in the body of another function (see calledFunctions): the rules the called body adds there are under the condition the call is under. */
  nested: ReadonlySet<ShellCommand>;
  /** The guards of the loops' bodies (`for`, `select`, `while`, `until`): what is there may run several times. */
  loopGuards: ReadonlySet<number>;
  /** Where a guard's commands run: a body called once, where its call is (the top level, 0, or the guard of the body holding the call); any other, itself. */
  hostOf(guard: number): number;
}
