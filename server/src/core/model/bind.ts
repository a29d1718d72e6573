import { getMatch, getTarget } from '../knowledge/index.ts';
import type { CommandUse, ExtensionSpec, Family, GenericOptionSpec, OptionSpec } from '../knowledge/types.ts';
import type { ArgList, OptionItem, SyntaxIssue, Word } from '../syntax/nodes.ts';
import { LineOption, placeOf, wordAt } from '../syntax/lineWord.ts';
import { kept, NONE } from '../syntax/none.ts';
import type { Span } from '../text/span.ts';
import { BoundMatch, BoundTarget } from './extensionUses.ts';
import { extensionsWithOption, findOption, genericLong, genericShort, implicitMatchFor, longWithOneDash, resolvePrefix } from './optionPool.ts';
import type { NamePool } from './namePool.ts';
import type { BindProblem, BoundOption, Command, CommandKind, Condition, MatchUse, Rule, TargetUse } from './types.ts';

export interface BindContext {
  family: Family;
  /** Save dialect: the table of the enclosing `*table` block (and `-t` is not allowed). */
  saveTable?: { name: string; span?: Span };
  /** The document's chain names: chain and jump names are interned into it. */
  names?: NamePool;
  /** A save file of its own: a rule line is command and rule in one object (see SaveRuleLine). */
  ruleInCommand?: boolean;
}

const COMMANDS: Record<string, CommandKind> = {
  '--append': 'append', '--insert': 'insert', '--delete': 'delete', '--replace': 'replace', '--check': 'check',
  '--list': 'list', '--list-rules': 'list-rules', '--flush': 'flush', '--zero': 'zero', '--new-chain': 'new-chain',
  '--delete-chain': 'delete-chain', '--rename-chain': 'rename-chain', '--policy': 'policy',
};

/** iptables' own rule parameters, each of which a command takes once: a bit each (`-j` and `-g` share theirs). */
const ONCE: Record<string, number> = {
  '--protocol': 1, '--source': 2, '--destination': 4, '--in-interface': 8, '--out-interface': 16, '--fragment': 32, '--jump': 64, '--goto': 64, '--set-counters': 128,
};

/** One option occurrence after splitting getopt clusters (`-nvL`) and attached values (`-ptcp`). */
interface Occurrence {
  item: OptionItem;
  written: string;
  /** A letter of a cluster; the item's own name span otherwise (made when asked: see nameSpanOf). */
  nameSpan?: Span;
  /** Value glued to a short option (`-ptcp`), taken before the following words. */
  attached?: Word;
  values: Word[];
  /** The last occurrence of the item's cluster owns its following words. */
  ownsValues: boolean;
}

/** Where an occurrence's name is: a new span object on each call for a save-file group (see LineOption). */
function nameSpanOf(occ: Occurrence): Span {
  return occ.nameSpan ?? occ.item.nameSpan;
}

/** An item that is one occurrence as written: a long option, or a single short letter. */
function plainItem(name: string): boolean {
  return name.length <= 2 || (name.charCodeAt(0) === 45 && name.charCodeAt(1) === 45);
}

/** A getopt cluster's occurrences (see plainItem for the items that are their own one). */
function splitItem(item: OptionItem): Occurrence[] {
  const name = item.written;
  if (plainItem(name)) return [{ item, written: name, values: item.values, ownsValues: true }];
  // getopt short cluster: letters until one that takes an argument, which gets the rest
  const out: Occurrence[] = [];
  const base = item.nameSpan.start;
  for (let i = 1; i < name.length; i++) {
    const letter = name[i];
    const spec = genericShort(letter);
    const nameSpan = { start: base + i - (i === 1 ? 1 : 0), end: base + i + 1 };
    if (spec && spec.args.length > 0 && i + 1 < name.length) {
      const rest = name.slice(i + 1);
      const attached: Word = { text: rest, value: rest, span: { start: base + i + 1, end: item.nameSpan.end }, quoted: false, dynamic: false };
      out.push({ item, written: '-' + letter, nameSpan, attached, values: item.values, ownsValues: true });
      return out;
    }
    out.push({ item, written: '-' + letter, nameSpan, values: [], ownsValues: false });
  }
  out[out.length - 1].values = item.values;
  out[out.length - 1].ownsValues = true;
  return out;
}

/** `2,3` of `-c 2,3` as the two words `-c 2 3` has: the parts of the word, each with its own span. */
function splitJoined(w: Word, by: string): Word[] | undefined {
  const at = w.value.indexOf(by);
  // written as it reads (no quotes or escapes), so the value's offsets are the text's
  if (at === -1 || w.dynamic || w.text !== w.value) return undefined;
  const { start, end } = w.span;
  const part = (value: string, from: number, to: number): Word => ({ text: value, value, span: { start: from, end: to }, quoted: false, dynamic: false });
  return [part(w.value.slice(0, at), start, start + at), part(w.value.slice(at + 1), start + at + 1, end)];
}

/** What the command does, for the options it takes: `-D` with a rule number takes no rule. */
function commandUse(command: Command): CommandUse {
  return command.kind === 'delete' && command.position !== undefined ? 'delete-number' : (command.kind as CommandUse);
}

function isListAndZero(first: CommandKind, second: CommandKind): boolean {
  return (first === 'zero' && (second === 'list' || second === 'list-rules')) || (second === 'zero' && (first === 'list' || first === 'list-rules'));
}

/** A chain name's word takes the pool's string, for its text too when it is written as is (no quotes). */
function internWord(w: Word, names: NamePool): void {
  shareName(w, names.intern(w.value));
}

/**
 * A word that spells `name` exactly takes that string, for its text too when it is written as
 * is: one string shared by every occurrence. Known matches, targets and protocols share the
 * knowledge base's (`-m comment`, `-p tcp`, `-j DNAT` on 100k lines are three strings, not
 * 300k); chain names share the document's pool (see internWord).
 */
function shareName(w: Word, name: string): void {
  if (w.value !== name) return;
  if (w.text === w.value) w.text = name;
  w.value = name;
}

/**
 * The bound option of one occurrence. A save-file group taken as written (one option, its
 * values as they are) is its own bound option (see LineOption); split clusters, attached
 * values and trimmed value lists get an object of their own.
 */
function boundOption(occ: Occurrence, name: string, spec: OptionSpec | undefined, owner: BoundOption['owner'], values: Word[]): BoundOption {
  const item = occ.item;
  // bound in place, its name is the spec's (or, unknown, its own): the one name this gives
  if (item instanceof LineOption && item.hasValues(values) && !occ.attached && occ.written === item.written) {
    item.spec = spec;
    item.owner = owner;
    return item;
  }
  return { item, name, spec, owner, negated: item.negated, values };
}

/**
 * A save-file rule line as command and rule in one object: a 100k-rule dump had 100k of each,
 * the rule repeating five of the command's fields (family, table, chain, span, problems).
 * Every field a dump's line may have is set in the constructor, in one order (one hidden
 * class); those that iptables-save never writes (`-I` positions, `-P`, `-E`, `-f`,
 * `--set-counters`) and a script's guard are read from the prototype until a line sets
 * them. So are those a dump's lines seldom set: `-i`, `-o`, words the shell expands (a
 * heredoc body), syntax or binding problems, and the table's span (a save file names the
 * table above its rules): 5.4 MB less heap on the 100k-rule dump; a line that sets one has it
 * stored beside its object. About 100 bytes less per rule line than two objects. `rule` is
 * the object itself when the command adds a rule. Scripts, heredoc bodies included, keep two
 * objects: a rename changes the chain of the rules, not of the commands.
 */
class SaveRuleLine {
  kind: CommandKind = 'none';
  family: Family;
  table: string;
  chain: string = undefined as unknown as string;
  /** The chain's word, kept as its group when the group makes the word (see placeOf). */
  private chainPlace: Word | LineOption | undefined = undefined;
  rule: Rule | undefined = undefined;
  span: Span;
  args: ArgList;
  lineFindings: Command['lineFindings'] = undefined;
  matches: MatchUse[];
  options: BoundOption[];
  protocol: Condition | undefined = undefined;
  source: Condition | undefined = undefined;
  destination: Condition | undefined = undefined;
  target: TargetUse | undefined = undefined;
  declare tableSpan: Span | undefined;
  declare uncertain: boolean;
  declare issues: SyntaxIssue[];
  declare problems: BindProblem[];
  declare dynamic: boolean;
  declare inInterface: Condition | undefined;
  declare outInterface: Condition | undefined;
  declare tableDynamic: boolean | undefined;
  declare position: number | undefined;
  declare policy: Word | undefined;
  declare newName: Word | undefined;
  declare fragment: Rule['fragment'];
  declare counters: Rule['counters'];
  declare guard: number;

  constructor(family: Family, table: string, span: Span, args: ArgList, matches: MatchUse[], options: BoundOption[]) {
    this.family = family;
    this.table = table;
    this.span = span;
    this.args = args;
    this.matches = matches;
    this.options = options;
  }

  get chainWord(): Word | undefined {
    const place = this.chainPlace;
    return place === undefined ? undefined : wordAt(place);
  }

  set chainWord(word: Word | undefined) {
    this.chainPlace = word;
  }

  /** The chain's word and the `-A` group it is the value of (kept as that group when it can: see placeOf). */
  keepChain(word: Word, group: OptionItem): void {
    this.chainPlace = placeOf(word, group);
  }

  /** The chain's word, or the line without one, as bindCommand gives other rules. */
  get chainSpan(): Span {
    return this.chainWord?.span ?? this.span;
  }
}

Object.assign(SaveRuleLine.prototype, {
  tableSpan: undefined, uncertain: false, issues: NONE, problems: NONE, dynamic: false, inInterface: undefined, outInterface: undefined,
  tableDynamic: undefined, position: undefined, policy: undefined, newName: undefined, fragment: undefined, counters: undefined, guard: 0,
});

/** Where an implicit match is named: the `-p` value's span, or its group (see placeOf). */
function protocolPlace(protocol: Condition): Span | LineOption {
  return placeOf(protocol.word.span, protocol);
}

/** The parse's own list when every group was bound in place, in order: each item is then its bound option. */
function itemsAsBound(options: BoundOption[], items: OptionItem[]): BoundOption[] | undefined {
  if (options.length !== items.length || !options.length) return undefined;
  for (let i = 0; i < options.length; i++) if ((options[i] as unknown) !== items[i]) return undefined;
  return items as unknown as BoundOption[];
}

function spanOfWords(words: Word[]): Span {
  return { start: words[0].span.start, end: words[words.length - 1].span.end };
}

/**
 * Gives meaning to one iptables argument list with the same rules iptables applies:
 * commands and generic parameters, `-m` loading a match whose options may follow,
 * `-p` loading the protocol's match implicitly, `-j`/`-g` and the target's options.
 * Problems are recorded, never thrown; analysis rules report them with their codes.
 */
export function bindCommand(args: ArgList, span: Span, ctx: BindContext): Command {
  const issues: SyntaxIssue[] = [...args.issues];
  const problems: BindProblem[] = [];
  const options: BoundOption[] = [];
  const matchUses: MatchUse[] = [];
  const loaded: { ext: ExtensionSpec; owner: MatchUse | TargetUse }[] = [];
  let dynamic = false;
  for (let i = 0; i < args.strays.length; i++) if (args.strays[i].dynamic) dynamic = true;

  // every field from the start, in one order: one hidden class for all commands, and one
  // for all rules, so the analysis reading 100k of them stays on V8's fast path (six shapes
  // made it megamorphic). A save-file line is command and rule in one object (see SaveRuleLine).
  const command: Command = ctx.saveTable && ctx.ruleInCommand
    ? new SaveRuleLine(ctx.family, ctx.saveTable.name, span, args, matchUses, options)
    : {
        kind: 'none', family: ctx.family, table: ctx.saveTable?.name ?? 'filter', tableSpan: ctx.saveTable?.span, tableDynamic: undefined,
        chain: undefined, chainWord: undefined, position: undefined, policy: undefined, newName: undefined, rule: undefined,
        span, args, uncertain: false, issues, problems, lineFindings: undefined,
      };
  const rule: Partial<Rule> & { matches: MatchUse[]; options: BoundOption[]; problems: BindProblem[] } = command instanceof SaveRuleLine
    ? (command as unknown as Rule)
    : {
        family: ctx.family, matches: matchUses, options, problems, span, dynamic: false, guard: 0,
        protocol: undefined, source: undefined, destination: undefined, inInterface: undefined, outInterface: undefined, fragment: undefined,
        target: undefined, counters: undefined, table: undefined, chain: undefined, chainSpan: undefined,
      };
  let target: TargetUse | undefined;
  let unknownOwner: MatchUse | TargetUse | undefined;
  // the rule parameters given so far, one bit each (see ONCE)
  let givenOnce = 0;
  /** Generic options the command may not take, checked once the command is known (it may come last). */
  let restricted: { occ: Occurrence; spec: GenericOptionSpec }[] | undefined;

  const take = (occ: Occurrence, spec: OptionSpec): Word[] => {
    let vals = occ.attached ? [occ.attached, ...occ.values] : occ.values;
    // `-dport 80` is `-d port 80` to getopt: said once, as what was meant, not as its consequences
    const meant = occ.attached && longWithOneDash(occ.item.written);
    if (meant) {
      const span = occ.item.nameSpan;
      issues.push({ code: 'syntax-error', message: `${occ.item.written} is read as ${occ.written} ${occ.attached!.text}: one dash takes a single letter, and the rest of the word is its value. Write ${meant}.`, span, replace: { span, text: meant } });
    }
    const joinedBy = (spec as GenericOptionSpec).joinedBy;
    if (joinedBy && vals.length === 1) vals = splitJoined(vals[0], joinedBy) ?? vals;
    const want = spec.args.length;
    // counted without closures or lists: this runs for each of a dump's 650k options
    const specArgs = spec.args;
    let required = 0;
    for (let i = 0; i < specArgs.length; i++) if (!specArgs[i].optional) required++;
    let hasDynamic = false;
    for (let i = 0; i < vals.length; i++) if (vals[i].dynamic) hasDynamic = true;
    if (hasDynamic) dynamic = true;
    if (vals.length < required && !hasDynamic && occ.ownsValues) {
      const missing = spec.args.slice(vals.length).filter((a) => !a.optional).map((a) => a.name);
      // some given (`--tcp-flags SYN`): say which are there and which one is missing
      const message = vals.length
        ? `${occ.written} takes ${required} values (${specArgs.filter((a) => !a.optional).map((a) => a.name).join(' ')}); after '${vals[vals.length - 1].text}' ${missing.length === 1 ? `its ${missing[0]} is` : `${missing.join(' and ')} are`} missing.`
        : `${occ.written} needs ${missing.length === 1 ? 'a value' : `${missing.length} values`}: ${missing.join(' ')}.`;
      issues.push({ code: 'syntax-error', message, span: nameSpanOf(occ) });
    }
    if (vals.length > want) {
      const extra = vals.slice(want);
      if (!hasDynamic && !meant) {
        issues.push({
          code: 'syntax-error',
          message: extra[0].value.startsWith('#')
            ? `iptables has no end-of-line comments: '${extra[0].text}' would be read as an argument (use -m comment --comment).`
            : want === 0 ? `${occ.written} takes no value; '${extra[0].text}' is left over.` : `${occ.written} takes ${want} value${want > 1 ? 's' : ''}; '${extra[0].text}' is left over.`,
          span: spanOfWords(extra),
        });
      }
      return vals.slice(0, want);
    }
    return vals;
  };

  // a group bound in place is its own condition (see LineOption)
  const cond = (occ: Occurrence, bound: BoundOption, values: Word[]): Condition | undefined => {
    const w = values[0];
    if (!w) return undefined;
    if (bound instanceof LineOption) return bound;
    return { value: w.value, negated: occ.item.negated, span: occ.item.span, word: w };
  };

  const loadMatch = (name: string, place: Span | LineOption, implicit: boolean, spec: ExtensionSpec | undefined): MatchUse => {
    const use: MatchUse = BoundMatch.of(name, spec, place, implicit);
    matchUses.push(use);
    if (spec) loaded.push({ ext: spec, owner: use });
    return use;
  };

  // a dump's 650k option groups are nearly all plain items: each is bound through one
  // occurrence object refilled per item (none is kept: `restricted` keeps a copy), without the
  // list and object splitItem makes for a cluster, and the loops go by index (for-of made an
  // iterator result per step here). Binding the 100k dump allocated 345 MB, now 150 MB.
  const plain: Occurrence = { item: undefined as unknown as OptionItem, written: '', values: NONE, ownsValues: true };
  const items = args.items;
  for (let n = 0; n < items.length; n++) {
    const item = items[n];
    const clustered = plainItem(item.written) ? undefined : splitItem(item);
    const count = clustered ? clustered.length : 1;
    for (let k = 0; k < count; k++) {
      let occ: Occurrence;
      if (clustered) occ = clustered[k];
      else {
        occ = plain;
        occ.item = item;
        occ.written = item.written;
        occ.values = item.values;
      }
      // ── generic options (exact long spelling, short letter, or unique prefix) ──
      let spec: OptionSpec | undefined;
      let owner: 'generic' | MatchUse | TargetUse | undefined;
      let abbreviated = false;
      if (occ.written.startsWith('--')) {
        spec = genericLong(occ.written);
        if (spec) owner = 'generic';
        else {
          for (let i = loaded.length - 1; i >= 0 && !spec; i--) {
            const o = findOption(loaded[i].ext, occ.written);
            if (o) {
              spec = o;
              owner = loaded[i].owner;
            }
          }
        }
        // `-p "$PROTO"`: which match it loads is unknown, so are the options that follow
        if (!spec && rule.protocol?.word.dynamic && !unknownOwner) {
          dynamic = true;
          options.push(boundOption(occ, occ.written, undefined, 'generic', occ.values));
          continue;
        }
        if (!spec && rule.protocol && !rule.protocol.word.dynamic) {
          const implicit = implicitMatchFor(rule.protocol.value, ctx.family);
          if (implicit && !matchUses.some((m) => m.spec === implicit)) {
            const o = findOption(implicit, occ.written);
            if (o) {
              owner = loadMatch(implicit.name, protocolPlace(rule.protocol), true, implicit);
              spec = o;
            }
          }
        }
        if (!spec && !unknownOwner && occ.written.length > 2) {
          const withImplicit = [...loaded];
          const implicit = rule.protocol && !rule.protocol.word.dynamic ? implicitMatchFor(rule.protocol.value, ctx.family) : undefined;
          if (implicit && !matchUses.some((m) => m.spec === implicit)) withImplicit.push({ ext: implicit, owner: undefined as unknown as MatchUse });
          const r = resolvePrefix(occ.written, withImplicit);
          if (r.hit) {
            spec = r.hit.spec;
            owner = r.hit.owner === undefined ? loadMatch(implicit!.name, protocolPlace(rule.protocol!), true, implicit) : r.hit.owner;
            abbreviated = true;
          } else if (r.ambiguous) {
            problems.push({ kind: 'unknown-option', option: item, ambiguous: r.ambiguous });
            take(occ, { name: occ.written, args: occ.values.map(() => ({ name: 'value', type: 'any' as const })), negation: 'prefix', summary: '' });
            continue;
          }
        }
      } else {
        spec = genericShort(occ.written.slice(1));
        if (spec) owner = 'generic';
      }

      if (!spec || !owner) {
        // options after a match or target iptables does not know: already reported there
        if (unknownOwner) {
          options.push(boundOption(occ, occ.written, undefined, unknownOwner, occ.values));
          unknownOwner.options.push(options[options.length - 1]);
          continue;
        }
        const candidates = extensionsWithOption(occ.written);
        const m = candidates.filter((c) => c.kind === 'match');
        const t = candidates.filter((c) => c.kind === 'target');
        if (m.length) problems.push({ kind: 'needs-match', option: item, candidates: m });
        else if (t.length) problems.push({ kind: 'needs-target', option: item, candidates: t });
        else problems.push({ kind: 'unknown-option', option: item });
        if (occ.values.some((w) => w.dynamic)) dynamic = true;
        continue;
      }

      if (item.negated && spec.negation === 'none') {
        const ext = owner === 'generic' ? undefined : owner.spec;
        if (ext?.ignoresNegation && item.bang) {
          // the bang and the blanks after it: the fix leaves the option as iptables loads it
          const bang = item.bang;
          issues.push({ code: 'syntax-error', severity: 'warning', message: `iptables drops this '!': the ${ext.name} ${ext.kind} reads no negation, and loads ${occ.written} as if it were not there.`, span: bang, replace: { span: { start: bang.start, end: item.nameSpan.start }, text: '' } });
        } else {
          issues.push({ code: 'syntax-error', message: `${occ.written} cannot be negated with '!'.`, span: item.bang ?? item.nameSpan });
        }
      }
      const values = take(occ, spec);
      const bound = boundOption(occ, spec.name, spec, owner, values);
      if (abbreviated) bound.abbreviated = true;
      options.push(bound);
      if (owner !== 'generic') {
        owner.options.push(bound);
        continue;
      }

      const generic = spec as GenericOptionSpec;
      if (generic.commands && (command.kind === 'none' || !generic.commands.includes(commandUse(command)))) (restricted ??= []).push({ occ: occ === plain ? { ...occ } : occ, spec: generic });
      const kind = COMMANDS[spec.name];
      if (kind) {
        // `-Z` with `-L` or `-S` lists, then zeroes the counters: one invocation, the listing's options
        if (isListAndZero(command.kind, kind)) {
          if (kind !== 'zero') command.kind = kind;
          continue;
        }
        if (command.kind !== 'none') {
          issues.push({ code: 'syntax-error', message: `Only one command per invocation: ${occ.written} follows another command.`, span: nameSpanOf(occ) });
          continue;
        }
        command.kind = kind;
        const [chain, second] = values;
        if (chain) {
          if (ctx.names && !chain.dynamic) internWord(chain, ctx.names);
          command.chain = chain.value;
          if (command instanceof SaveRuleLine) command.keepChain(chain, item);
          else command.chainWord = chain;
          if (chain.dynamic) command.uncertain = true;
        }
        if (second) {
          if (kind === 'policy') command.policy = second;
          else if (kind === 'rename-chain') command.newName = second;
          else if (/^\d+$/.test(second.value)) command.position = Number(second.value);
          else if (second.dynamic) command.uncertain = true;
          else issues.push({ code: 'syntax-error', message: `'${second.text}' is not a rule number.`, span: second.span });
        }
        continue;
      }
      // iptables takes each of its rule parameters once ("multiple -i flags not allowed"; -j and -g are one)
      const once = ONCE[spec.name];
      if (once !== undefined) {
        if (givenOnce & once) problems.push({ kind: 'repeated-parameter', option: occ.item, span: nameSpanOf(occ), written: occ.written });
        givenOnce |= once;
      }
      switch (spec.name) {
        case '--table':
          if (ctx.saveTable) {
            issues.push({ code: 'syntax-error', message: 'iptables-restore does not accept -t on a rule line: the table comes from the *table header.', span: item.span });
          } else if (values[0]) {
            command.table = values[0].value;
            command.tableSpan = values[0].span;
            if (values[0].dynamic) command.uncertain = command.tableDynamic = true;
          }
          break;
        case '--protocol': {
          const implicit = values[0] && !values[0].dynamic ? implicitMatchFor(values[0].value, ctx.family) : undefined;
          if (implicit) shareName(values[0], implicit.name);
          rule.protocol = cond(occ, bound, values);
          if (ctx.saveTable && values[0] && (occ.attached || values[0].attached)) {
            issues.push({ code: 'syntax-error', message: 'iptables-restore finds the protocol by looking for a separate -p word: write -p tcp, not -ptcp or --protocol=tcp.', span: item.span });
          }
          break;
        }
        case '--source':
          rule.source = cond(occ, bound, values);
          break;
        case '--destination':
          rule.destination = cond(occ, bound, values);
          break;
        case '--in-interface':
          rule.inInterface = cond(occ, bound, values);
          break;
        case '--out-interface':
          rule.outInterface = cond(occ, bound, values);
          break;
        case '--fragment':
          rule.fragment = { negated: item.negated, span: item.span };
          break;
        case '--match': {
          const w = values[0];
          if (!w) break;
          const ext = w.dynamic ? undefined : getMatch(w.value);
          if (ext) shareName(w, ext.name);
          const use = loadMatch(w.value, placeOf(w.span, item), false, ext);
          if (!ext) {
            if (!w.dynamic) problems.push({ kind: 'unknown-match', name: w.value, span: w.span });
            unknownOwner = use;
          } else unknownOwner = undefined;
          break;
        }
        case '--jump':
        case '--goto': {
          const w = values[0];
          if (!w) break;
          const ext = spec.name === '--jump' && !w.dynamic ? getTarget(w.value) : undefined;
          if (ext) shareName(w, ext.name);
          else if (ctx.names && !w.dynamic) internWord(w, ctx.names);
          target = BoundTarget.of(w.value, ext, placeOf(w.span, item), spec.name === '--goto');
          if (ext) loaded.push({ ext, owner: target });
          // a jump to a chain takes no options; unknown ones after it are reported as such
          unknownOwner = w.dynamic ? target : undefined;
          break;
        }
        case '--set-counters':
          if (values.length === 2) rule.counters = { packets: values[0].value, bytes: values[1].value };
          break;
      }
    }
  }

  if (target) {
    target.options = kept(target.options);
    rule.target = target;
  }
  // exact-size copies, or the shared empty list; a save-file line whose groups were all bound
  // in place has its option list already: the parse's (one array less per rule)
  rule.options = itemsAsBound(options, args.items) ?? kept(options);
  rule.matches = kept(matchUses);
  for (let i = 0; i < rule.matches.length; i++) rule.matches[i].options = kept(rule.matches[i].options);
  if (command.kind === 'none' && !dynamic && !ctx.saveTable && (target || matchUses.length || rule.protocol || rule.source || rule.destination || rule.inInterface || rule.outInterface)) {
    issues.push({ code: 'syntax-error', message: 'No command: iptables needs -A, -I, -D… to know what to do with this rule.', span: args.span });
  }
  if (restricted && command.kind !== 'none') {
    const use = commandUse(command);
    for (const { occ, spec } of restricted) {
      if (!spec.commands!.includes(use)) problems.push({ kind: 'not-with-command', option: occ.item, span: nameSpanOf(occ), written: occ.written, command: use });
    }
  }
  // set only when true: a save-file line reads false from its prototype (see SaveRuleLine)
  if (dynamic || rule.protocol?.word.dynamic) rule.dynamic = true;
  if (command.kind === 'append' || command.kind === 'insert' || command.kind === 'replace' || command.kind === 'delete' || command.kind === 'check') {
    if (command.kind !== 'delete' || options.length > 1 || matchUses.length || target) {
      rule.table = command.table;
      rule.chain = command.chain ?? '';
      // a save-file line gives it from its chain word (see SaveRuleLine)
      if (!(command instanceof SaveRuleLine)) rule.chainSpan = command.chainWord?.span ?? span;
      command.rule = rule as Rule;
    }
  }
  // bound: a save-file group's one plain value is kept as its text from now on (see LineOption)
  for (let n = 0; n < items.length; n++) {
    const item = items[n];
    if (item instanceof LineOption) item.keepValueAsText();
  }
  // the lists filled above, or the shared empty one (a save-file line has that from its prototype)
  if (issues.length) command.issues = issues;
  else if (command.issues !== NONE) command.issues = NONE;
  if (problems.length) command.problems = rule.problems = problems;
  else if (rule.problems !== NONE) command.problems = rule.problems = NONE;
  return command;
}
