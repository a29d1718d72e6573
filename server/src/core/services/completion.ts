import { chains as chainSpecs, genericOptions, getMatch, getTarget, implicitMatchForProtocol, matches, protocolNames, tables, targets } from '../knowledge/index.ts';
import type { ArgSpec, ExtensionSpec, Family, GenericOptionSpec, OptionSpec } from '../knowledge/types.ts';
import { services } from '../knowledge/values/services.ts';
import { RATE_UNITS } from '../knowledge/values/rates.ts';
import { valueCompletions } from '../knowledge/values/index.ts';
import { hookAt } from '../model/hookFiles.ts';
import type { FirewallDocument } from '../facade.ts';
import { rules } from '../analysis/registry.ts';
import { bindCommand } from '../model/bind.ts';
import { BUILTIN_CHAINS, isBuiltinChain } from '../model/builtinChains.ts';
import type { Chain, Command, Table } from '../model/types.ts';
import { parseArgTokens } from '../syntax/ruleParser.ts';
import { parseSaveLine } from '../syntax/saveLine.ts';
import type { Word } from '../syntax/nodes.ts';
import { wordTokens } from '../syntax/wordTokens.ts';
import type { Span } from '../text/span.ts';
import { valueGroup, valuesInUse } from './valuesInUse.ts';
import { setNamesOffered } from './setNames.ts';
import { keptKindOf, keptNamesOffered } from './keptNames.ts';
import { SET_NAME_OPTIONS } from '../analysis/setsNamed.ts';
import { knownValuesAt } from './variables.ts';

export type CompletionKind = 'table' | 'chain' | 'builtinChain' | 'target' | 'match' | 'option' | 'value' | 'keyword' | 'variable';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** The text to insert when it differs from the label. */
  insertText?: string;
  /** Superseded (`state`, `NOTRACK`) or gone from current kernels (`ULOG`): offered last, struck through where the editor can. */
  deprecated?: true;
}

/** Matches or targets as completion items, the superseded ones last. */
function extensionItems(list: readonly ExtensionSpec[], kind: 'match' | 'target'): CompletionItem[] {
  const item = (e: ExtensionSpec): CompletionItem => (e.deprecatedBy ? { label: e.name, kind, detail: e.summary, deprecated: true } : { label: e.name, kind, detail: e.summary });
  return [...list.filter((e) => !e.deprecatedBy).map(item), ...list.filter((e) => e.deprecatedBy).map(item)];
}

export interface CompletionResult {
  items: CompletionItem[];
  /** The partial word being replaced. */
  replace: Span;
  /** Only the best matches for the word typed so far: ask again as it grows. */
  incomplete: boolean;
}

/**
 * A kube-proxy dump has 36k chains: offered all at once they cost the editor about 200 ms
 * per keystroke to transfer and sort. Past this many, only those matching the word typed so
 * far are offered (names starting with it first), and the list says it is incomplete.
 */
export const MAX_CHAIN_ITEMS = 300;

interface Context {
  family: Family;
  table: string;
  /** Words of the command before the cursor (without the tool's own word for scripts). */
  words: Word[];
  partial: string;
  replace: Span;
  lineStart: boolean;
}

/** Completions at a position: options valid after the current -p/-m/-j, targets allowed here, chains, tables, values. */
export function completionsAt(doc: FirewallDocument, offset: number): CompletionResult | undefined {
  const directive = directiveCompletions(doc, offset);
  if (directive) return directive;
  // a wg-quick configuration's other lines (Address, keys, peers) are not commands
  if (doc.hooks && !hookAt(doc.hookLines, offset)) return undefined;
  const variables = doc.dialect === 'script' ? variableCompletions(doc, offset) : undefined;
  if (variables) return variables;
  const ctx = doc.dialect === 'save' ? saveContext(doc, offset) : scriptContext(doc, offset);
  if (!ctx) return undefined;
  const state = { incomplete: false };
  return { items: complete(doc, ctx, state), replace: ctx.replace, incomplete: state.incomplete };
}

/**
 * In an `# iptables-lint` comment: `disable-next-line` or `disable` after the tool's name, the
 * diagnostic codes after those (each code once, with its summary).
 */
function directiveCompletions(doc: FirewallDocument, offset: number): CompletionResult | undefined {
  const lineStart = doc.lines.lineStarts[doc.lines.lineOf(offset)];
  // read through the edits, as saveContext does
  const head = doc.read(lineStart, offset);
  const m = /^\s*#\s*iptables-lint\s+(?:(disable-next-line|disable)\s+((?:[\w-]+\s*,\s*)*))?([\w-]*)$/.exec(head);
  if (!m) return undefined;
  const partial = m[3];
  const replace = { start: offset - partial.length, end: offset };
  if (!m[1]) {
    const items: CompletionItem[] = [
      { label: 'disable-next-line', kind: 'keyword', detail: 'silence the codes that follow (all, with none) on the next line' },
      { label: 'disable', kind: 'keyword', detail: 'silence the codes that follow (all, with none) from here to the end of the file' },
    ];
    return { items, replace, incomplete: false };
  }
  const given = new Set(m[2].split(/\s*,\s*/));
  const items = rules.filter((r) => !given.has(r.code)).map((r): CompletionItem => ({ label: r.code, kind: 'value', detail: `${r.severity}: ${r.summary}` }));
  return { items, replace, incomplete: false };
}

/**
 * In a script, a word being typed from `$` (or `${`): the variables whose value is known there,
 * each with that value and where it was set (in the script, or in the configuration it reads
 * with `.`).
 */
function variableCompletions(doc: FirewallDocument, offset: number): CompletionResult | undefined {
  const lineStart = doc.lines.lineStarts[doc.lines.lineOf(offset)];
  const m = /\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(doc.read(Math.max(lineStart, offset - 80), offset));
  if (!m) return undefined;
  const prefix = m[2] ?? '';
  const items: CompletionItem[] = [];
  for (const v of knownValuesAt(doc.ruleSet, offset)) {
    if (!v.name.startsWith(prefix)) continue;
    const where = v.from ? `${v.from.file}, line ${v.from.line}` : `line ${doc.lines.lineOf(v.span.start) + 1}`;
    items.push({ label: `$${m[1]}${v.name}${m[1] ? '}' : ''}`, kind: 'variable', detail: `${v.value} (set in ${where})` });
  }
  return { items, replace: { start: offset - m[0].length, end: offset }, incomplete: false };
}

/**
 * Per table, its user chains sorted by lower-case name: a prefix is then a binary search away.
 * Made again after an edit made or emptied a chain no line declares (see Table.chainEdits).
 */
const sortedChains = new WeakMap<Table, { edits: number; list: { lower: string; chain: Chain }[] }>();

function chainsByName(t: Table): { lower: string; chain: Chain }[] {
  const edits = t.chainEdits ?? 0;
  const kept = sortedChains.get(t);
  let list = kept?.edits === edits ? kept.list : undefined;
  if (!list) {
    list = [];
    for (const c of t.chains.values()) if (!c.builtin && c.name) list.push({ lower: c.name.toLowerCase(), chain: c });
    list.sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
    sortedChains.set(t, { edits, list });
  }
  return list;
}

/** User chains of the table; the best MAX_CHAIN_ITEMS for the typed prefix when there are more. */
function chainItems(doc: FirewallDocument, ctx: Context, state: { incomplete: boolean }): CompletionItem[] {
  const t = doc.ruleSet.tables.get(`${ctx.family}:${ctx.table}`);
  if (!t) return [];
  const item = (c: Chain): CompletionItem => ({ label: c.name, kind: 'chain', detail: `user chain, ${c.rules.length} rules` });
  const all = chainsByName(t);
  if (all.length <= MAX_CHAIN_ITEMS) return all.map((e) => item(e.chain));
  state.incomplete = true;
  const typed = ctx.partial.toLowerCase();
  // names starting with the typed word: a run of the sorted list
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid].lower < typed) lo = mid + 1;
    else hi = mid;
  }
  const out: CompletionItem[] = [];
  for (let i = lo; i < all.length && out.length < MAX_CHAIN_ITEMS && all[i].lower.startsWith(typed); i++) out.push(item(all[i].chain));
  // then names holding it elsewhere
  for (let i = 0; i < all.length && out.length < MAX_CHAIN_ITEMS; i++) if (all[i].lower.indexOf(typed) > 0) out.push(item(all[i].chain));
  return out;
}

function wordAtEnd(text: string, lineStart: number, offset: number): { partial: string; start: number } {
  let i = offset;
  while (i > lineStart && !/\s/.test(text[i - 1])) i--;
  return { partial: text.slice(i, offset), start: i };
}

function saveContext(doc: FirewallDocument, offset: number): Context | undefined {
  const lineStart = doc.lines.lineStarts[doc.lines.lineOf(offset)];
  // the line up to the cursor, read through the edits since the text was last in one piece: an
  // editor asks for completions as a word is typed, and `doc.text` would join the pieces of a
  // 15 MB dump at each keystroke (12–55 ms) before the server's next pause does (see
  // FirewallDocument.settleText)
  const head = doc.read(lineStart, offset);
  const word = wordAtEnd(head, 0, head.length);
  const partial = word.partial;
  const start = lineStart + word.start;
  const before = head.slice(0, word.start);
  if (before.startsWith('#')) return undefined;
  // the table of the enclosing block: the nearest `*name` line above (from the parsed lines; a
  // file too big or too odd to be analysed has none, and its text is read)
  const table = (doc.skipped ? tableLineAbove(doc, offset) : doc.tableAt(offset)) ?? 'filter';
  const parsed = parseSaveLine(before, lineStart);
  const words: Word[] = [];
  if (parsed.line.kind === 'rule') for (const it of parsed.line.args.items) words.push({ text: it.written, value: it.written, span: it.nameSpan, quoted: false, dynamic: false }, ...it.values);
  return { family: doc.family, table, words, partial, replace: { start, end: offset }, lineStart: before.trim() === '' };
}

/** The name on the nearest line above `offset` that starts with `*`, read from the text (through its edits, see FirewallDocument.chars). */
function tableLineAbove(doc: FirewallDocument, offset: number): string | undefined {
  const text = doc.chars;
  for (let l = doc.lines.lineOf(offset); l >= 0; l--) {
    const s = doc.lines.lineStarts[l];
    if (text.charCodeAt(s) === 42) return text.slice(s + 1, doc.lines.lineEnd(l, text)).trim();
  }
  return undefined;
}

function scriptContext(doc: FirewallDocument, offset: number): Context | undefined {
  const text = doc.text;
  const lineNo = doc.lines.lineOf(offset);
  // the command may continue over `\` lines: start from the first line of the continuation
  let first = lineNo;
  while (first > 0 && /\\\r?$/.test(text.slice(doc.lines.lineStarts[first - 1], doc.lines.lineEnd(first - 1, text) + 1).replace(/\n$/, ''))) first--;
  const cmdStart = doc.lines.lineStarts[first];
  const { partial, start } = wordAtEnd(text, doc.lines.lineStarts[lineNo], offset);
  const head = text.slice(cmdStart, start).replace(/\\\r?\n/g, '  ');
  // the last simple command on the line: after ; && || | ( and reserved words
  const segment = head.split(/;|&&|\|\||\||\(|\bthen\b|\bdo\b|\belse\b/).pop() ?? '';
  const m = /(?:^|\s)((?:\S*\/)?(ip6?tables)(?:-legacy|-nft)?|\$\{?(IPT6?|IPTABLES|IP6TABLES)\}?|"\$\{?(?:IPT6?|IPTABLES|IP6TABLES)\}?")\s(.*)$/s.exec(segment);
  if (!m) return undefined;
  const family: Family = /ip6|IPT6|IP6/.test(m[1]) ? 'ipv6' : 'ipv4';
  const argsText = m[4];
  const base = start - argsText.length;
  const raw = argsText.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  let pos = base;
  const words: Word[] = raw.map((w) => {
    const at = text.indexOf(w, pos);
    pos = at + w.length;
    const value = w.replace(/^["']|["']$/g, '');
    return { text: w, value, span: { start: at, end: at + w.length }, quoted: w !== value, dynamic: /\$/.test(w) && !w.startsWith("'") };
  });
  const t = words.findIndex((w) => w.value === '-t' || w.value === '--table');
  const table = t >= 0 && words[t + 1] ? words[t + 1].value : 'filter';
  return { family, table, words, partial, replace: { start, end: offset }, lineStart: false };
}

function bindPartial(ctx: Context): Command {
  const args = parseArgTokens(wordTokens(ctx.words), 0);
  return bindCommand(args, { start: 0, end: 0 }, { family: ctx.family });
}

function complete(doc: FirewallDocument, ctx: Context, state: { incomplete: boolean }): CompletionItem[] {
  const prev = ctx.words[ctx.words.length - 1]?.value;
  if (ctx.lineStart && doc.dialect === 'save') {
    return [
      ...tables.map((t) => ({ label: `*${t.name}`, kind: 'table' as const, detail: t.summary })),
      { label: 'COMMIT', kind: 'keyword', detail: 'End of the table block: load it.' },
      { label: '-A', kind: 'option', detail: 'Append a rule to a chain.' },
      { label: ':', kind: 'chain', detail: 'Declare a chain: `:NAME POLICY [packets:bytes]`' },
    ];
  }
  const cmd = bindPartial(ctx);
  const userChains = () => chainItems(doc, ctx, state);
  const builtinChains = () => (BUILTIN_CHAINS[ctx.table] ?? []).map((c) => ({ label: c, kind: 'builtinChain' as const, detail: chainSpecs.find((s) => s.name === c)?.summary }));

  switch (prev) {
    case '-t':
    case '--table':
      return tables.map((t) => ({ label: t.name, kind: 'table', detail: t.summary }));
    case '-A': case '--append': case '-I': case '--insert': case '-D': case '--delete': case '-R': case '--replace':
    case '-F': case '--flush': case '-X': case '--delete-chain': case '-L': case '--list': case '-S': case '--list-rules':
    case '-Z': case '--zero': case '-C': case '--check': case '-E': case '--rename-chain':
      return [...builtinChains(), ...userChains()];
    case '-P': case '--policy':
      return builtinChains();
    case '-m': case '--match':
      return extensionItems(matches.filter((m) => m.families.includes(ctx.family)), 'match');
    case '-j': case '--jump':
      return [...extensionItems(allowedTargets(ctx.table, cmd.chain, ctx.family), 'target'), ...userChains()];
    case '-g': case '--goto':
      return userChains();
    case '-p': case '--protocol':
      return protocolNames.map((p) => ({ label: p.name, kind: 'value', detail: p.number === undefined ? undefined : `protocol ${p.number}` }));
  }
  // the value of an option: its closed set of values, or else those the file writes nearby
  if (prev && prev.startsWith('-') && !ctx.partial.startsWith('-')) {
    const spec = optionsInScope(cmd, ctx, true).find((o) => o.name === prev || o.aliases?.includes(prev));
    const arg = spec?.args[0];
    // an ipset: those the script creates, those the rules name
    if (arg && spec && SET_NAME_OPTIONS.has(spec.name) && !ctx.partial.includes(',')) {
      return setNamesOffered(doc.ruleSet, ctx.replace.start, ctx.family).map((s) => ({ label: s.name, kind: 'value', detail: s.detail }));
    }
    // a hashlimit table, rate estimator, recent list or idle timer: the names the rules use
    const owner = !spec ? undefined : getMatch('recent')?.options.includes(spec) ? 'recent' : getTarget('IDLETIMER')?.options.includes(spec) ? 'IDLETIMER' : undefined;
    const kept = spec && keptKindOf(spec.name, owner);
    if (kept) {
      const names = keptNamesOffered(doc.ruleSet, doc.lines, kept, ctx.family, spec!.name !== '--rateest-name' && kept === 'rate estimator');
      if (names.length) return names.map((s) => ({ label: s.name, kind: 'value', detail: s.detail }));
    }
    if (arg) {
      // comma lists: complete the item after the last comma, with the items not listed yet
      const done = ctx.partial.includes(',') ? ctx.partial.slice(0, ctx.partial.lastIndexOf(',') + 1) : '';
      const fold = (v: string) => (arg.ignoreCase ? v.toLowerCase() : v);
      const listed = new Set(done.split(',').map(fold));
      const fresh = (label: string) => !listed.has(fold(label));
      const values = valueCompletions(arg.type, { family: ctx.family, arg });
      if (values.length) return values.filter((v) => fresh(v.label)).map((v) => ({ label: done + v.label, kind: 'value', detail: v.detail }));
      // a rate's number typed: the units it may take (`5` → `5/minute`)
      if (arg.type === 'rate' && /^[0-9]+$/.test(ctx.partial)) return rateItems(ctx.partial);
      // a value is due: options here would be refused as the value (`-i --append`)
      if (!arg.optional) return openValueItems(doc, ctx, arg, cmd).filter((v) => fresh(v.label)).map((v) => ({ ...v, label: done + v.label }));
    }
  }
  if (ctx.partial.startsWith('-') || prev === undefined || !prev.startsWith('-') || ctx.partial === '') {
    // a rule line of a save file takes its table from the *table header: iptables-restore refuses -t there
    const offered = optionsInScope(cmd, ctx).filter((o) => doc.dialect !== 'save' || o.name !== '--table');
    return offered.map((o) => ({ label: o.name, kind: 'option' as const, detail: o.summary }));
  }
  return [];
}

/** A rate of `count` in each unit the limit match reads (`N/second`… `N/day`), with what it averages to. */
function rateItems(count: string): CompletionItem[] {
  return RATE_UNITS.map(([unit]) => ({ label: `${count}/${unit}`, kind: 'value', detail: `on average ${count} matching packet${count === '1' ? '' : 's'} a ${unit}` }));
}

/** Services whose ports are offered after a port option, after the ports the file uses. */
const COMMON_SERVICES = ['ssh', 'domain', 'http', 'https', 'smtp', 'submission', 'submissions', 'imaps', 'pop3s', 'ntp', 'bootps', 'domain-s', 'openvpn', 'syslog', 'sip', 'mysql', 'postgresql', 'redis', 'http-alt'];

/** The most values of the file offered after an option. */
const MAX_VALUES_IN_USE = 50;

/**
 * An open value (an address, a port, an interface): those the rules around the cursor write
 * for options of the same kind, the most used first (with shell variables such as `$LAN` as
 * written), then for an interface the loopback, for a port the well-known services of the
 * rule's protocol.
 */
function openValueItems(doc: FirewallDocument, ctx: Context, arg: ArgSpec, cmd: Command): CompletionItem[] {
  const group = valueGroup(arg.type);
  if (!group) return [];
  const items: CompletionItem[] = valuesInUse(doc.ruleSet, group, ctx.replace.start, MAX_VALUES_IN_USE).map((v) => ({
    label: v.text,
    kind: 'value',
    detail: `written ${v.count === 1 ? 'once' : `${v.count} times`} nearby`,
  }));
  const offered = new Set(items.map((i) => i.label));
  if (group === 'interface' && !offered.has('lo')) items.push({ label: 'lo', kind: 'value', detail: 'the loopback interface: the host talking to itself' });
  if (group === 'port') {
    const protocol = arg.serviceProtocol ?? cmd.rule?.protocol?.value;
    for (const name of COMMON_SERVICES) {
      const svc = services.get(name);
      const port = svc && String(svc.port);
      if (!svc || !port || offered.has(port) || (protocol && !svc.protocols.includes(protocol))) continue;
      offered.add(port);
      items.push({ label: port, kind: 'value', detail: `${name} (${svc.protocols.join(', ')})` });
    }
  }
  return items;
}

/** Targets valid in a table and (built-in) chain. */
export function allowedTargets(table: string, chain: string | undefined, family: Family): ExtensionSpec[] {
  return targets.filter((t) => {
    if (!t.families.includes(family)) return false;
    if (t.tables && !t.tables.includes(table as never)) return false;
    if (t.chains && chain && isBuiltinChain(table, chain) && !t.chains.includes(chain as never)) return false;
    return true;
  });
}

/** Options that print something rather than add to a command: noise once the command is chosen. */
const TOOL_ONLY = new Set(['--help', '--version']);

/**
 * Whether a generic option may still be written in a command of that kind: once a command is
 * chosen (`-A INPUT`), a second command, an option other commands take (`--line-numbers`), a
 * rule parameter given already (`-p` twice) or one its built-in chain refuses (`-i` in OUTPUT)
 * would be refused.
 */
function genericAllowed(o: GenericOptionSpec, cmd: Command, table: string): boolean {
  if (cmd.kind === 'none') return true;
  if (o.role === 'command' || TOOL_ONLY.has(o.name)) return false;
  if (o.commands && !o.commands.some((c) => c === cmd.kind || (c === 'delete-number' && cmd.kind === 'delete'))) return false;
  if (o.role === 'parameter' && cmd.rule?.options.some((b) => b.spec === o)) return false;
  if (o.chains && cmd.chain && isBuiltinChain(table, cmd.chain) && !o.chains.includes(cmd.chain as never)) return false;
  return true;
}

/** Generic options, then those of the matches and target loaded so far (and the protocol's implicit match). */
function optionsInScope(cmd: Command, ctx: Pick<Context, 'family' | 'table'>, forValue = false): OptionSpec[] {
  const family = ctx.family;
  const out: OptionSpec[] = genericOptions.filter((o) => o.name.startsWith('--') && (!o.family || o.family === family) && (forValue || genericAllowed(o, cmd, ctx.table)));
  const rule = cmd.rule;
  const seen = new Set<ExtensionSpec>();
  for (const m of rule?.matches ?? []) if (m.spec) seen.add(m.spec);
  const proto = rule?.protocol?.value;
  const implicit = proto ? implicitMatchForProtocol(proto, family) : undefined;
  if (implicit) seen.add(implicit);
  if (rule?.target?.spec) seen.add(rule.target.spec);
  const extOptions: OptionSpec[] = [];
  for (const e of seen) for (const o of e.options) if (!o.family || o.family === family) extOptions.push(o);
  return [...extOptions, ...out];
}
