import { fw3Chain, fw3UserChain, fw3UserChainCaller } from '../knowledge/openWrtChains.ts';
import { managedChain } from '../knowledge/managedChains.ts';
import { getChain, getMatch, getTable, getTarget, implicitMatchForProtocol } from '../knowledge/index.ts';
import { dnatChecks } from '../analysis/dnatPaths.ts';
import type { FirewallDocument } from '../facade.ts';
import { quote } from '../compile/toRestore.ts';
import { toolName } from '../knowledge/toolName.ts';
import type { Family } from '../knowledge/types.ts';
import { addressWithPort } from '../knowledge/values/addresses.ts';
import type { BoundOption, Command, Rule, RuleSet } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';
import { knownValueAt } from './variables.ts';
import type { Span } from '../text/span.ts';
import type { LineIndex } from '../text/lineIndex.ts';
import type { SourceUse } from '../model/shellVariables.ts';
import { commandAt } from './commandAt.ts';
import { explainChain, explainExtension, explainOption, explainRule, explainTable, ruleOfCode } from './explain.ts';
import { DIRECTIVE_WORD, directiveCodes } from '../analysis/suppressions.ts';
import { valueHover, type ValuePlace } from './valueHover.ts';
import { hookDoc } from '../model/hookFiles.ts';
import { addressHover } from './addressHover.ts';
import { setHover } from './setNames.ts';
import { KEPT_NAME_OPTIONS, keptNameAt, keptNameHover } from './keptNames.ts';
import { SET_NAME_OPTIONS } from '../analysis/setsNamed.ts';
import { positionHover } from './positionHover.ts';

export interface Hover {
  span: Span;
  markdown: string;
  /** On a DNAT rule's target, `-j` or `--to-destination`: what happens to the connections it forwards. */
  forward?: DnatForward;
}

/** Where the first packet of a connection a DNAT rule translates ends in filter FORWARD. */
export type DnatForward =
  /**
   * Decided by a rule: at `line` of this file, or of `file` (another of ufw's rules files), or
   * with neither in a chain ufw makes itself, as its defaults file (`set`) asks.
   */
  | { outcome: 'reaches' | 'dropped' | 'rejected'; to: string; chain: string; line?: number; file?: string; set?: string }
  /** By FORWARD's policy; `set`: where a ufw rules file's comes from. */
  | { outcome: 'policy'; to: string; verdict: string; set?: string }
  /** By FORWARD's policy, which a file loaded with `--noflush` does not set: the host's. */
  | { outcome: 'host-policy'; to: string }
  | { outcome: 'uncertain'; to: string; branches: number; verdicts: string[] };

const inside = (s: Span, o: number) => o >= s.start && o <= s.end;

/**
 * A diagnostic code in an `# iptables-lint disable…` comment under the cursor: its rule's
 * documentation, so what a line silences can be read where it is silenced.
 */
function directiveCodeAt(doc: FirewallDocument, offset: number): Hover | undefined {
  const lines = doc.lines;
  const line = lines.lineOf(offset);
  const start = lines.lineStarts[line];
  const end = line + 1 < lines.lineStarts.length ? lines.lineStarts[line + 1] : lines.length;
  // read through the edits (see FirewallDocument.read): a hover right after a keystroke copies nothing
  const text = doc.read(start, end);
  if (!text.includes(DIRECTIVE_WORD)) return undefined;
  for (const c of directiveCodes(text)) {
    const rule = offset >= start + c.start && offset <= start + c.end ? ruleOfCode(c.code) : undefined;
    if (rule) return { span: { start: start + c.start, end: start + c.end }, markdown: explainRule(rule) };
  }
  return undefined;
}

/** A hook key of a file of hooks (`PostUp`, `post-up`): when its program runs the line. */
function hookKeyAt(doc: FirewallDocument, offset: number): Hover | undefined {
  const hook = doc.hookLines.find((h) => h.keyStart <= offset && offset < h.keyStart + h.key.length);
  const docs = hook && doc.hooks && hookDoc(doc.hooks, hook.key);
  return docs && { span: { start: hook.keyStart, end: hook.keyStart + hook.key.length }, markdown: `**${hook.key}** — ${docs.key}\n\n${docs.line}` };
}

/** Documentation for the word under the cursor: table, chain, option, match, target, value. */
export function hoverAt(doc: FirewallDocument, offset: number): Hover | undefined {
  const code = directiveCodeAt(doc, offset) ?? hookKeyAt(doc, offset);
  if (code) return code;
  const rs = doc.ruleSet;
  for (const t of rs.tables.values()) {
    for (const s of t.spans) {
      const spec = getTable(t.name);
      if (inside(s, offset) && spec) return { span: s, markdown: explainTable(spec) };
    }
  }
  const ref = doc.chains.at(offset);
  if (ref) {
    const builtin = getChain(ref.name);
    if (doc.chains.isBuiltin(ref) && builtin) return { span: ref.span, markdown: explainChain(builtin) };
    return { span: ref.span, markdown: userChainHover(doc, ref.family, ref.table, ref.name) };
  }
  const cmd = commandAt(rs, offset);
  if (!cmd) return commitHover(doc, offset) ?? sourceHover(rs, offset) ?? (rs.callRuns ? callHover(rs, offset, doc.lines) : undefined);
  if (cmd.tableSpan && inside(cmd.tableSpan, offset)) {
    const spec = getTable(cmd.table);
    if (spec) return { span: cmd.tableSpan, markdown: explainTable(spec) };
  }
  const position = positionHover(doc, cmd, offset);
  if (position) return position;
  const rule = cmd.rule;
  // on a DNAT rule, its `-j`, `DNAT` and `--to-destination` (name or value) also tell where its connections go
  const dnat = rule?.target?.name === 'DNAT' ? rule : undefined;
  // below the docs of the option or value; above the long docs of the DNAT target itself
  const withForward = (h: Hover, name: string | undefined, first = false): Hover => {
    if (!dnat || (name !== '--jump' && name !== '--to-destination')) return h;
    const forward = dnatForward(doc, dnat);
    if (!forward) return h;
    const markdown = first ? `${renderForward(forward)}\n\n---\n\n${h.markdown}` : `${h.markdown}\n\n---\n\n${renderForward(forward)}`;
    return { ...h, markdown, forward };
  };
  for (const item of cmd.args.items) {
    const bound = rule?.options.find((o) => o.item === item);
    if (inside(item.nameSpan, offset)) {
      if (bound?.spec) {
        const owner = bound.owner === 'generic' ? undefined : bound.owner.spec;
        return withForward({ span: item.nameSpan, markdown: explainOption(bound.spec, owner) }, bound.name);
      }
      return undefined;
    }
    // by position: a save-file group makes its value's word when asked, a new one each time
    const values = item.values;
    for (let i = 0; i < values.length; i++) {
      const w = values[i];
      if (!inside(w.span, offset)) continue;
      // a function's command bound at each call, or a loop's at each word: what it runs as there
      if (w.dynamic) {
        const runs = rs.templates?.has(cmd) ? runsHover(rs.instances ?? [], cmd, w, doc.lines) : undefined;
        if (runs) return runs;
        continue;
      }
      // a script variable set once reads as its value (see ShellVariables): say which
      const read = rs.dialect === 'script' ? variablesRead(rs, w) : undefined;
      const kept = i === 0 && bound && KEPT_NAME_OPTIONS.has(bound.name) ? keptNameAt(rs, offset) : undefined;
      const h = kept
        ? { span: w.span, markdown: keptNameHover(rs, doc.lines, kept) }
        : i === 0 && bound && SET_NAME_OPTIONS.has(bound.name) ? { span: w.span, markdown: setHover(rs, doc.lines, w.value) } : valueDocs(values, i, bound, cmd.family, withForward);
      if (h) return read ? { ...h, markdown: `${read}\n\n${h.markdown}` } : h;
      if (read) return { span: w.span, markdown: read };
    }
  }
  return undefined;
}

/**
 * A script's `.` or `source` command: which file it reads and what that file sets, or why its
 * variables stay unknown (the file not found, a path the shell makes, read under a condition).
 */
function sourceHover(rs: RuleSet, offset: number): Hover | undefined {
  const use = rs.sources?.find((u) => inside(u.span, offset));
  if (!use) return undefined;
  let markdown: string;
  if (use.path === undefined) markdown = 'The shell makes this path as it runs (`$1`, `$(…)`, a variable not known here): the file is not read, and what it sets is unknown from here on.';
  else if (!use.file) markdown = `\`${use.path}\` is not found beside this script, under a folder above it that mirrors the host's tree, or at that path: what it sets is unknown from here on.`;
  else if (use.unread) markdown = `Reads \`${use.file}\`${forPath(use)}, but ${use.unread === 'condition' ? 'the shell may not run this command here (in a function, or under a condition other than a test that the file is there)' : 'that file reads other files or runs eval'}: what it sets is unknown from here on.`;
  else {
    const values = (use.values ?? []).map((v) => `- \`${v.name}\` = \`${v.value}\` (line ${v.from?.line})`);
    markdown = [
      `Reads \`${use.file}\`${forPath(use)}${values.length ? '; from here on:' : ', which gives no value known here.'}`,
      ...(values.length ? ['', ...values] : []),
      ...(use.plain ? [] : ['', 'It also runs commands or defines functions: what they add to the tables is not read.']),
    ].join('\n');
  }
  return { span: use.span, markdown };
}

/** How the script names the file read, where that is not the file's own path. */
function forPath(use: SourceUse): string {
  if (use.scriptFolder) return ` (for \`${use.path}\` in the script's own folder)`;
  return use.file === use.path ? '' : ` (for \`${use.path}\`)`;
}

/**
 * What a script's word with known variables reads as, and where they were set: once above in
 * the script, in a file the script reads with `.`, or by the program running it (see ShellVariables).
 */
function variablesRead(rs: RuleSet, w: Word): string | undefined {
  const names = [...w.text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  if (!names.length) return undefined;
  const at = w.span.start;
  const from = new Map<string, string>();
  const by = new Map<string, string>();
  for (const name of names) {
    const v = knownValueAt(rs, name, at);
    if (v?.from) from.set(name, `${v.from.file}, line ${v.from.line}`);
    else if (v?.setBy) by.set(name, v.setBy);
  }
  const here = names.filter((n) => !from.has(n) && !by.has(n));
  const said = [
    ...(here.length ? [`the script sets ${here.length > 1 ? 'these variables' : 'this variable'} once, above`] : []),
    ...[...from].map(([name, place]) => `\`$${name}\` is set in ${place}`),
    ...[...by].map(([name, who]) => `\`$${name}\` is set by ${who}`),
  ];
  return `\`${w.text}\` is \`${w.value}\` here: ${said.join('; ')}.`;
}

/**
 * A save file's COMMIT: where iptables-restore loads the table's block. Measured with iptables
 * 1.8.9 (nf_tables and legacy): a file whose *filter block is committed and whose *nat block
 * then fails exits 2 with the filter rules loaded.
 */
function commitHover(doc: FirewallDocument, offset: number): Hover | undefined {
  if (doc.dialect !== 'save') return undefined;
  const lines = doc.lines;
  const line = lines.lineOf(offset);
  const start = lines.lineStarts[line];
  const end = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] - 1 : lines.length;
  // iptables-restore reads COMMIT only at the start of its line
  if (doc.read(start, end).trimEnd() !== 'COMMIT' || offset > start + 6) return undefined;
  const table = doc.tableAt(start);
  return {
    span: { start, end: start + 6 },
    markdown: `**COMMIT** — ends the ${table ? `*${table} ` : ''}block: iptables-restore loads the block here, in one step (all of its rules, or none of them when one is refused). Each block is loaded at its own COMMIT: a block further down that fails leaves the blocks above it loaded, and iptables-restore exits with an error. A block without COMMIT is not loaded at all.`,
  };
}

/**
 * What happens to the connections this DNAT rule forwards, from the packet evaluator (see
 * dnatPaths): in a ufw rules file judged with the files around it, through the tables as ufw
 * loads them, as its finding does (see FirewallDocument.ufwLoad).
 */
export function dnatForward(doc: FirewallDocument, rule: Rule): DnatForward | undefined {
  const load = doc.ufwLoad;
  const rs = load?.ruleSet ?? doc.ruleSet;
  const check = load ? dnatChecks(rs).find((c) => c.dnat.span.start === rule.span.start + load.from) : dnatChecks(rs).find((c) => c.dnat === rule);
  if (!check || !check.forward.length) return undefined;
  const p = check.packet;
  const to = addressWithPort(p.dst ?? '?', p.dport);
  const verdicts = [...new Set(check.forward.map((o) => o.verdict))];
  if (verdicts.length > 1) return { outcome: 'uncertain', to, branches: check.forward.length, verdicts };
  const [verdict] = verdicts;
  const set = load && `ufw's DEFAULT_FORWARD_POLICY="${load.forwardPolicy}" in ${load.defaultsFile}`;
  // with one verdict on every branch, the first branch's deciding step speaks for all. A rule
  // decided only if it is the last step and its target is the verdict; otherwise the packet
  // ran off the end, possibly through a RETURN in a chain reached by -g, and the policy did
  const step = check.forward[0].path.at(-1);
  if (!step?.rule || step.policy || step.rule.target?.name !== verdict) {
    // a file iptables-restore adds with --noflush and that never sets FORWARD's policy: the host's decides
    if (!load && rs.noflush && !rs.tables.get(`${check.dnat.family}:filter`)?.chains.get('FORWARD')?.policySpan) return { outcome: 'host-policy', to };
    return { outcome: 'policy', to, verdict, ...(set ? { set } : {}) };
  }
  const outcome = verdict === 'ACCEPT' ? 'reaches' : verdict === 'REJECT' ? 'rejected' : 'dropped';
  const at = step.rule.span.start;
  if (!load) return { outcome, to, chain: step.chain, line: doc.lines.lineOf(at) + 1 };
  const place = load.placeOf(at);
  if (place.own) return { outcome, to, chain: step.chain, line: doc.lines.lineOf(at - load.from) + 1 };
  return place.file ? { outcome, to, chain: step.chain, line: place.line, file: place.file } : { outcome, to, chain: step.chain, set: set! };
}

function renderForward(f: DnatForward): string {
  let text: string;
  switch (f.outcome) {
    case 'reaches':
    case 'dropped':
    case 'rejected': {
      const where = f.line === undefined ? `${f.chain} (${f.set})` : `${f.chain} rule at line ${f.line}${f.file ? ` of ${f.file}` : ''}`;
      text = f.outcome === 'reaches' ? `reaches ${f.to} via ${where}` : `${f.outcome} by ${where}`;
      break;
    }
    case 'policy':
      text = f.verdict === 'ACCEPT' ? `reaches ${f.to} (FORWARD policy ACCEPT${f.set ? `, ${f.set}` : ''})` : `dropped by FORWARD policy ${f.verdict}${f.set ? ` (${f.set})` : ''}`;
      break;
    case 'host-policy':
      text = `to ${f.to} is decided by the host's FORWARD policy: this file, added to the tables with --noflush, does not set it`;
      break;
    case 'uncertain':
      text = `may reach ${f.to}: it depends on rules the trace cannot decide (${f.branches} branches)`;
      break;
  }
  return `**This forward:** a new connection ${text}.`;
}

/**
 * On the call of a function whose body runs at its calls (RuleSet.callRuns): the iptables
 * commands it runs there, as bound with the call's arguments, each run of a call in a loop or
 * in a body that runs several times apart; a command written on another line says which.
 */
function callHover(rs: RuleSet, offset: number, lines: LineIndex): Hover | undefined {
  let call: { span: Span; runs: readonly (readonly Command[])[] } | undefined;
  for (const c of rs.callRuns?.values() ?? []) if (inside(c.span, offset) && (!call || c.span.start > call.span.start)) call = c;
  if (!call) return undefined;
  const line = lines.lineOf(call.span.start);
  const shown: string[] = [];
  const total = call.runs.reduce((n, r) => n + r.length, 0);
  let left = MAX_RUNS;
  for (let i = 0; i < call.runs.length && left > 0; i++) {
    if (call.runs.length > 1) shown.push(`# run ${i + 1}`);
    for (const c of call.runs[i].slice(0, left)) {
      const at = lines.lineOf(c.span.start);
      shown.push(at === line ? commandText(c) : `${commandText(c)}   # line ${at + 1}`);
    }
    left -= Math.min(left, call.runs[i].length);
  }
  const more = total > MAX_RUNS ? [`… and ${total - MAX_RUNS} more`] : [];
  const heading = call.runs.length > 1 ? `This call runs ${call.runs.length} times (in a loop, or in a function that runs several times):` : 'This call runs:';
  return { span: call.span, markdown: [heading, '```sh', ...shown, '```', ...more].join('\n') };
}

/** A command as iptables is given it, its values as the shell passes them (quoted where needed). */
function commandText(c: Command): string {
  return [toolName(c.family), ...c.args.items.flatMap((i) => [...(i.negated ? ['!'] : []), i.written, ...i.values.map((w) => (w.dynamic ? w.text : quote(w.value)))])].join(' ');
}

/** How many runs of a command the hover on its words lists. */
const MAX_RUNS = 20;

/**
 * A word of a function's command (`"$1"`) or a loop's (`$p`) that the model binds at each call
 * or pass (see RuleSet.instances): the command as each of them runs it, and where.
 */
function runsHover(instances: readonly Command[], written: Command, w: Word, lines: LineIndex): Hover | undefined {
  const runs = instances.filter((c) => c.instanceOf === written);
  if (!runs.length) return undefined;
  const shown = runs.slice(0, MAX_RUNS).map((c) => `${commandText(c)}   # line ${lines.lineOf(c.span.start) + 1}`);
  const more = runs.length > shown.length ? [`… and ${runs.length - shown.length} more`] : [];
  return { span: w.span, markdown: [`\`${w.text}\` takes its value where the command runs (${runs.length} run${runs.length === 1 ? '' : 's'}):`, '```sh', ...shown, '```', ...more].join('\n') };
}

function userChainHover(doc: FirewallDocument, family: string, table: string, name: string): string {
  const lines = doc.lines;
  const t = doc.ruleSet.tables.get(`${family}:${table}`);
  const chain = t?.chains.get(name);
  const jumps = doc.chains.jumpsTo(family as 'ipv4', table, name);
  const decl = chain?.declarations[0];
  const parts = [`**${name}** — user chain in the ${table} table`];
  // a chain Docker, kube-proxy, ufw or fail2ban makes: a script counts on it, a dump holds it as written
  const managed = managedChain(name, table);
  // OpenWrt's firewall.user: fw3 made its chains before it runs the file
  const fw3 = !decl && doc.dialect === 'script' && doc.ruleSet.runBy === 'fw3' && fw3Chain(table, name);
  if (managed) {
    parts.push('', managed.forUsers ? `Made by ${managed.owner} for rules of your own: it leaves them alone.` : `Made by ${managed.owner}, which rewrites it ${managed.rewritten}. For rules of your own, ${managed.instead}.`);
  } else if (fw3) {
    parts.push('', `${fw3UserChain(name) ? 'Made by OpenWrt\'s firewall (fw3) for rules of your own, before it runs this file: a reload leaves its rules alone.' : 'Made by OpenWrt\'s firewall (fw3) from /etc/config/firewall, before it runs this file, and made anew at each restart (after which it runs this file again).'} fw3 is OpenWrt\'s firewall up to 21.02; fw4 (22.03 on) writes nftables rules and makes no such chain.`);
  }
  if (decl) parts.push('', `Declared on line ${lines.lineOf(decl.span.start) + 1}.`);
  else if (!managed && !fw3) parts.push('', 'Never declared: iptables refuses rules and jumps to it.');
  if (chain) parts.push(`${chain.rules.length} rule${chain.rules.length === 1 ? '' : 's'}; a packet that reaches its end returns to the calling chain.`);
  const elsewhere = ufwJumpsTo(doc, family, table, name);
  if (jumps.length || elsewhere.length) {
    parts.push('', 'Reached from:');
    for (const j of jumps.slice(0, 20)) {
      parts.push(`- line ${lines.lineOf(j.span.start) + 1}${j.from ? ` in ${j.from}` : ''} (${j.kind === 'goto' ? '-g' : '-j'})`);
    }
    if (jumps.length > 20) parts.push(`- … and ${jumps.length - 20} more`);
    for (const e of elsewhere.slice(0, 20)) parts.push(`- ${e}`);
  } else if (fw3) {
    const caller = fw3UserChainCaller(name);
    parts.push('', caller ? `Reached from fw3's own rule in ${caller}.` : 'Reached from fw3\'s own rules.');
  } else parts.push('', 'Nothing jumps to it.');
  return parts.join('\n');
}

/**
 * In a ufw rules file judged with the files around it: the jumps to a chain that ufw's load
 * makes outside the file (ufw's own from INPUT, OUTPUT and FORWARD, those of its other rules
 * files), as hover lines.
 */
function ufwJumpsTo(doc: FirewallDocument, family: string, table: string, name: string): string[] {
  const load = doc.ufwLoad;
  const chains = load?.ruleSet.tables.get(`${family}:${table}`)?.chains;
  if (!load || !chains) return [];
  const out: string[] = [];
  for (const c of chains.values()) {
    for (const r of c.rules) {
      if (r.target?.name !== name || r.target.spec) continue;
      const place = load.placeOf(r.span.start);
      if (place.own) continue;
      out.push(`${place.file ? `line ${place.line} of ${place.file}` : "ufw's own rule"} in ${c.name} (${r.target.goto ? '-g' : '-j'})`);
    }
  }
  return out;
}

/** The option's name and the match or target it belongs to, for what its value means there. */
function placeOf(bound: BoundOption): ValuePlace {
  if (bound.owner === 'generic') return { option: bound.name };
  return { option: bound.name, extension: bound.owner.name, target: 'goto' in bound.owner };
}

/** The docs of value `i` of an option: a match or target name, a protocol, a value the option's type knows. */
function valueDocs(values: readonly Word[], i: number, bound: BoundOption | undefined, family: Family, withForward: (h: Hover, name: string | undefined, first?: boolean) => Hover): Hover | undefined {
  const w = values[i];
  const name = bound?.name;
  if (name === '--match') {
    const m = getMatch(w.value);
    if (m) return { span: w.span, markdown: explainExtension(m) };
  } else if (name === '--jump') {
    const t = getTarget(w.value);
    if (t) return withForward({ span: w.span, markdown: explainExtension(t) }, name, t.name === 'DNAT');
  } else if (name === '--protocol') {
    const m = implicitMatchForProtocol(w.value, family);
    const text = m ? `Protocol **${w.value}**. Loads the \`${m.name}\` match, so its options work without \`-m ${m.name}\`.\n\n${m.summary}` : `Protocol **${w.value}**.`;
    return { span: w.span, markdown: text };
  } else if (bound?.spec) {
    const arg = bound.spec.args[i];
    const md = !arg ? undefined : arg.type === 'address' || arg.type === 'address-list' ? addressHover(w.value, family) : valueHover(arg, w.value, family, placeOf(bound));
    if (md) return withForward({ span: w.span, markdown: md }, name);
    if (name === '--to-destination') return withForward({ span: w.span, markdown: `New destination \`${w.value}\` of the connections this rule matches.` }, name);
  }
  return undefined;
}
