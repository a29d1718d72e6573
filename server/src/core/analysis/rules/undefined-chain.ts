import { fw3Chain } from '../../knowledge/openWrtChains.ts';
import { BUILTIN_CHAINS, isBuiltinChain } from '../../model/builtinChains.ts';
import { chainFacts, type ChainFacts } from '../chainGraph.ts';
import { looksLikeTarget } from '../jumpTargets.ts';
import { keptWithFacts } from '../keptWithFacts.ts';
import { lineEnd } from '../moveBefore.ts';
import { inPlace } from '../../model/patchRuleSet.ts';
import { undeclared } from '../../model/tableState.ts';
import { CHAIN_EDITS } from '../chainEdits.ts';
import { managedChain, type ManagedChain } from '../../knowledge/managedChains.ts';
import { toolName } from '../../knowledge/toolName.ts';
import type { Family } from '../../knowledge/types.ts';
import type { Fix, LintRule, RelatedInfo, RuleContext } from '../types.ts';
import type { Chain, ChainDeclaration, Command, RuleSet, Table } from '../../model/types.ts';
import { firstStartingFrom, type Span } from '../../text/span.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';

const BUILTIN = new Set(Object.values(BUILTIN_CHAINS).flat());

export const undefinedChain: LintRule = {
  code: 'undefined-chain',
  severity: 'error',
  summary: 'A `-j`/`-g`/`-A`/`-I` (or `-P`) naming a chain that is never created in that table, or `-E`/`-X` of a built-in chain.',
  docs: {
    description: 'Reports a chain name that the table never declares: a jump or goto to it, rules added to it, or a policy set on a chain that is not built into the table (`-t nat -A FORWARD`), and the other way round a built-in chain given to `-E` or `-X`, which only rename and delete user chains. A built-in chain written in another case (`-A input`, `-t nat -A Postrouting`) is said to be one, with a fix that writes it as the table has it: chain names are case-sensitive, and iptables looks for a user chain of that name. In scripts a chain counts as declared when any `-N` in the script creates it, except in an `iptables-restore` here-document without `--noflush`: the restore empties each table of its input first, user chains included, so there only the chains the input declares exist. A script that sources another file (`. FILE`, `source FILE`) may have chains made there, or the tool wrapped by a function defined there (a dual-stack `iptables()` that runs ip6tables too): what it misses is a warning, not an error. Where the script loads an input the model does not read before the command (`iptables-restore < /etc/iptables/rules.v4`, a pipe), the finding points at that load, which may declare the chain. In a restore file (or here-document) a chain must be declared above the first rule naming it: iptables-restore reads it in order. A table\'s second block in one input (without `--noflush`) empties the table again and deletes its user chains, so a rule there naming a chain only an earlier block declares fails as well. In a script the quick fix creates the chain with `-N` before the first command naming it; in a restore file it declares the chain in the block. A script is followed in the order it runs (shell functions called at the top included): a command naming a chain that a `-N` creates only further down is reported (this command fails, or, where the chain is left from an earlier run, the `-N` does), and so is one naming a chain a `-X` above deleted or an `-E` above renamed. Once the script has deleted every chain (`-F` then `-X`), nothing is left from an earlier run: a command naming a chain before its `-N` fails whatever comes between, a `-X` or `-E` of it too, and the rules it was meant to add are not counted in the chain. In a script, a chain another program makes (Docker\'s DOCKER-USER and DOCKER, kube-proxy\'s KUBE-*, ufw\'s ufw-*, fail2ban\'s f2b-*, firewalld\'s INPUT_direct, IN_public_allow and the like) is reported as information, naming the program that must have run first; a change to one of those the program writes itself is managed-chain-edited\'s finding. A clean-up whose failure the script expects (`iptables -F OLD 2>/dev/null`, `-X OLD || true`, a `-D` of a rule jumping to it), which empties, deletes or lists a chain an earlier run may have left, is not reported; rules added where a failure is hidden are. A listing followed by `&&` is the script\'s test for the chain, and a command that runs only after one that needed the chain succeeded (`iptables -S X >/dev/null 2>&1 && iptables -F X`, the first branch of `if iptables -L X -n >/dev/null; then`, the body of `while iptables -C INPUT -j X; do`) finds it there: neither is reported. An `iptables -S` listing declares its chains with `-N`; a listing of some chains only (`iptables -S CHAIN`) leaves out the chains it jumps to, which are not reported. In OpenWrt\'s `firewall.user` the chains fw3 makes before it runs the file (`input_rule`, `forwarding_wan_rule`, `zone_wan_forward`, `reject`…) are there.',
    rationale: 'iptables-restore with the nf_tables backend rejects the file ("chain does not exist"; `--test` does not catch it); a script command fails. Either way the rules meant for the chain are missing. `-E` of a built-in chain is worse with iptables-nft 1.8.9: it renames the hooked chain, which keeps filtering while iptables-save shows an empty built-in chain in its place.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -j logdrop\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n:logdrop - [0:0]\n-A INPUT -j logdrop\n-A logdrop -j LOG\n-A logdrop -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // a shell function named iptables wraps every call: what it creates is not known
    if (rs.wrapsTool) return;
    const facts = chainFacts(rs);
    // ufw loads before.rules, user.rules and after.rules together: a ufw file refers to the
    // ufw-* chains the others declare, so those are not missing when the file declares its own
    // A script that does not start from empty tables may add to chains that already exist on
    // the host (Docker's DOCKER-USER, another script's chains): there it is a warning.
    const resets = (family: string, table: string) =>
      rs.dialect === 'save' || commandsAsRun(rs).some((c) => c.family === family && c.table === table && c.kind === 'delete-chain' && !c.chain);
    // a script that sources another file (`. ./lib.sh`) may have its chains made there, or the
    // tool wrapped by a function defined there (a dual-stack `iptables()` running both tools):
    // neither is seen here, so what is missing is a warning, said with that
    const sources = !!rs.sourcesFiles;
    const severity = (family: string, table: string) => (resets(family, table) && !sources ? undefined : ('warning' as const));
    const elsewhere = (family: string, table: string) =>
      `${resets(family, table) ? '' : ' by this script (it must already exist on the host)'}${sources ? ', unless a file this script sources creates it or defines a function that wraps the tool' : ''}`;
    // a script that loads a file with iptables-restore first (`< /etc/iptables/rules.v4`): the
    // chain may be one the file declares, which is not read here
    const restoredBefore = (cmd: Command) => rs.unreadRestores?.find((u) => u.family === cmd.family && u.span.start < cmd.span.start);
    // a dual-stack script that creates a chain with iptables and uses it with ip6tables (or the
    // other way round): the message names the tool, and where the chain is created
    const otherFamily = (name: string, family: Family, table: string) => {
      const other: Family = family === 'ipv4' ? 'ipv6' : 'ipv4';
      return rs.dialect === 'script' && facts.declared(other, table).has(name) ? ` for ${toolName(family)} (only ${toolName(other)} creates it)` : '';
    };
    // a script's first command naming each chain (its table's), outside here-documents: made
    // when a fix first asks
    let firstNaming: Map<string, Command> | undefined;
    const firstUse = (name: string, cmd: Command) => {
      if (!firstNaming) {
        firstNaming = new Map();
        const inInput = new Set((rs.restores ?? []).flatMap((r) => r.ruleSet.commands));
        for (const c of rs.commands) {
          if (inInput.has(c) || rs.templates?.has(c)) continue;
          const target = c.rule?.target;
          for (const n of [c.chainWord && !c.chainWord.dynamic ? c.chainWord.value : undefined, target && !target.spec ? target.name : undefined]) {
            const key = `${c.family}:${c.table}:${n}`;
            if (n && !firstNaming.has(key)) firstNaming.set(key, c);
          }
        }
      }
      return firstNaming.get(`${cmd.family}:${cmd.table}:${name}`) ?? cmd;
    };
    // quick fix: declare the chain (a `:NAME - [0:0]` line in the table block, or `-N` before
    // the first command naming it: one before this command alone would leave those above it
    // naming a chain the script creates later)
    const declareFix = (name: string, named: Command) => {
      if (rs.dialect === 'save' && !rs.listing) return declareInBlock(ctx, rs, name, named);
      const cmd = rs.listing ? named : firstUse(name, named);
      const lineStart = ctx.text.lastIndexOf('\n', cmd.span.start - 1) + 1;
      const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart))![0];
      // a listing creates its chains as iptables -S prints them: -N NAME, no tool, no table
      const tool = rs.listing ? '' : `${toolName(cmd.family)}${cmd.table === 'filter' ? '' : ` -t ${cmd.table}`} `;
      return [{ title: `Create chain ${name} first`, edits: [{ span: { start: lineStart, end: lineStart }, text: `${indent}${tool}-N ${name}\n` }] }];
    };
    // looked at only when some command names an undeclared ufw chain (a dump has 36k chains)
    let declaresUfw: boolean | undefined;
    const fromUfw = (name: string) => /^ufw6?-/.test(name) && (declaresUfw ??= [...rs.tables.values()].some((t) => [...t.chains.keys()].some((n) => /^ufw6?-/.test(n))));
    // the commands of a restore here-document that empties its tables are judged by its input alone (below)
    const emptying = (rs.restores ?? []).filter((r) => r.flushes);
    const inEmptying = new Set<Command>();
    for (const r of emptying) for (const c of r.ruleSet.commands) inEmptying.add(c);
    const script: Judging = {
      names: (cmd) => facts.declared(cmd.family, cmd.table),
      uncertain: (cmd) => facts.uncertain(cmd.family, cmd.table),
      missing: (name, cmd) => `${otherFamily(name, cmd.family, cmd.table)}${elsewhere(cmd.family, cmd.table)}${restoredBefore(cmd) ? ', unless the input the script restores before (not read here) declares it' : ''}`,
      related: (cmd) => {
        const r = restoredBefore(cmd);
        return r && [{ span: r.span, message: 'This iptables-restore loads an input not read here: the chain may come from it.' }];
      },
      declare: (name, cmd) => (rs.listing ? `'-N ${name}'` : rs.dialect === 'save' ? `':${name} - [0:0]'` : `'${toolName(cmd.family)}${cmd.table === 'filter' ? '' : ' -t ' + cmd.table} -N ${name}'`),
      severity: (cmd) => severity(cmd.family, cmd.table),
      fixes: declareFix,
      // ufw's chains in its rules files; in OpenWrt's firewall.user, the chains fw3 made before running it
      exempt: (name, cmd) => fromUfw(name) || (rs.runBy === 'fw3' && fw3Chain(cmd.table, name)),
      // iptables-save files hold the programs' chains with the lines that declare them
      madeBy: (name, cmd) => (rs.dialect === 'script' ? managedChain(name, cmd.table) : undefined),
    };
    // `iptables -S CHAIN` lists that chain alone: the chains it jumps to are left out, not missing
    if (rs.listing !== 'chains') {
      for (const cmd of facts.namingUndeclared) {
        if (!inEmptying.has(cmd)) judge(ctx, cmd, script);
      }
    }
    // -E and -X take user chains only
    for (const cmd of facts.chainCommands) {
      const w = cmd.chainWord;
      if (!w || w.dynamic || cmd.uncertain || cmd.kind === 'new-chain' || !isBuiltinChain(cmd.table, w.value)) continue;
      ctx.report({
        span: w.span,
        message: cmd.kind === 'rename-chain'
          ? `${w.value} is a built-in chain: only user chains can be renamed (iptables-legacy refuses; iptables-nft renames the hooked chain, which keeps filtering while iptables-save shows an empty ${w.value}).`
          : `${w.value} is a built-in chain: only user chains can be deleted, and iptables refuses the command.`,
      });
    }
    if (rs.dialect === 'save') usedBeforeDeclared(ctx, rs, facts);
    if (rs.dialect === 'save') declaredInEmptiedBlock(ctx, rs);
    // with --noflush a chain the script made before already exists when the input names it
    for (const r of emptying) usedBeforeDeclared(ctx, r.ruleSet);
    for (const r of rs.restores ?? []) declaredInEmptiedBlock(ctx, r.ruleSet);
    for (const r of emptying) {
      const input = r.ruleSet;
      const declaredIn = new Map<string, { names: Set<string>; uncertain: boolean }>();
      const tableOf = (cmd: Command) => {
        const key = `${cmd.family}:${cmd.table}`;
        let found = declaredIn.get(key);
        if (!found) {
          const names = new Set<string>();
          for (const c of input.tables.get(key)?.chains.values() ?? []) if (!undeclared(c)) names.add(c.name);
          // a chain declared through a shell expansion could have any name
          declaredIn.set(key, (found = { names, uncertain: [...names].some((n) => n.includes('$')) }));
        }
        return found;
      };
      const restore: Judging = {
        names: (cmd) => tableOf(cmd).names,
        uncertain: (cmd) => tableOf(cmd).uncertain,
        missing: (name, cmd) =>
          ` in this iptables-restore input${facts.declared(cmd.family, cmd.table).has(name) ? ` (without --noflush the restore empties the ${cmd.table} table first, and the ${name} the script creates elsewhere is gone)` : ''}`,
        declare: (name) => `':${name} - [0:0]'`,
        severity: () => undefined,
        fixes: (name, cmd) => declareInBlock(ctx, input, name, cmd),
        exempt: () => false,
      };
      for (const cmd of input.commands) judge(ctx, cmd, restore);
    }
    orderOfRun(ctx, rs);
  },
};

/** The table's built-in chain `name` is another spelling of (`input` for INPUT), if any. */
function builtinSpelledOtherwise(table: string, name: string): string | undefined {
  const upper = name.toUpperCase();
  return upper !== name ? BUILTIN_CHAINS[table]?.find((c) => c === upper) : undefined;
}

/**
 * In the order a script runs: a command naming a chain that the script creates only further
 * down (whether the chain exists from an earlier run or not, this command or that `-N` fails),
 * or one a `-X` above deleted (see Refusal).
 */
function orderOfRun(ctx: RuleContext, rs: RuleSet): void {
  for (const r of rs.refusals ?? []) {
    if (!r.at || !r.by || (r.reason !== 'created-later' && r.reason !== 'chain-deleted')) continue;
    if (r.reason === 'chain-deleted') {
      // the rename that was to give this name failed (its chain was not there)
      if (r.by.kind === 'rename-chain' && r.by.chain !== r.chain) {
        ctx.report({ span: r.at, message: `Chain '${r.chain}' does not exist here: the -E above that was to name it failed (chain ${r.by.chain ?? '?'} was not there), and this command fails.`, related: [{ span: r.by.span, message: `the rename to ${r.chain}` }] });
        continue;
      }
      const renamed = r.by.kind === 'rename-chain' ? r.by.newName?.value : undefined;
      ctx.report({
        span: r.at,
        message: renamed !== undefined ? `Chain '${r.chain}' no longer exists here: an -E above renamed it to ${renamed}, and this command fails.` : `Chain '${r.chain}' no longer exists here: a -X run before this command deleted it, and this command fails.`,
        related: [{ span: r.by.span, message: renamed !== undefined ? `${r.chain} renamed here` : `${r.chain} deleted here` }],
      });
      continue;
    }
    ctx.report({
      span: r.at,
      message: r.afterClear
        ? `Chain '${r.chain}' does not exist yet here: the script deleted every chain above and creates this one only later, so this command fails. Create it before its first use.`
        : `Chain '${r.chain}' does not exist yet here: the script creates it only later, so this command fails (or, where it is left from an earlier run, that -N does). Create it before its first use.`,
      related: [{ span: r.by.span, message: `${r.chain} created here` }],
      fixes: moveCreationUp(ctx, r.by, r.command),
    });
  }
}

/** The `-N` command's line moved above the line of the command that first needs the chain. */
function moveCreationUp(ctx: RuleContext, creator: Command, user: Command): Fix[] | undefined {
  const text = ctx.text;
  const from = text.lastIndexOf('\n', creator.span.start - 1) + 1;
  const nl = text.indexOf('\n', creator.span.end);
  const to = nl === -1 ? text.length : nl + 1;
  const line = text.slice(from, to);
  // the -N alone on its line, and the using command on a line of its own above it
  if (text.slice(from, creator.span.start).trim() || text.slice(creator.span.end, nl === -1 ? text.length : nl).trim()) return undefined;
  const at = text.lastIndexOf('\n', user.span.start - 1) + 1;
  if (at >= from) return undefined;
  const indent = /^[ \t]*/.exec(text.slice(at))![0];
  const moved = `${indent}${line.trimStart().replace(/\n?$/, '\n')}`;
  return [{ title: `Move '${text.slice(creator.span.start, creator.span.end)}' up`, edits: [{ span: { start: at, end: at }, text: moved }, { span: { start: from, end: to }, text: '' }] }];
}

/** Where a command's chain names are looked up, and how a missing one is told. */
interface Judging {
  /** The chains that exist for the command. */
  names(cmd: Command): ReadonlySet<string>;
  /** Some chain of the command's table has a name only known when the script runs. */
  uncertain(cmd: Command): boolean;
  /** Said after "is never created in the TABLE table" (where it is missing, where else it is made). */
  missing(name: string, cmd: Command): string;
  /** How to declare it, quoted. */
  declare(name: string, cmd: Command): string;
  severity(cmd: Command): 'warning' | undefined;
  fixes(name: string, cmd: Command): Fix[] | undefined;
  /** Names another file declares (ufw's chains). */
  exempt(name: string, cmd: Command): boolean;
  /** A chain another program makes (Docker's, kube-proxy's…): scripts count on it having run. */
  madeBy?(name: string, cmd: Command): ManagedChain | undefined;
  /** Where else the chain may come from, shown with a missing chain's finding. */
  related?(cmd: Command): RelatedInfo[] | undefined;
}

const USES = new Set(['append', 'insert', 'replace', 'delete', 'check', 'policy', 'flush', 'zero', 'list', 'list-rules', 'delete-chain', 'rename-chain']);

/**
 * Commands that only read, empty or remove what a chain holds: one whose failure the script
 * expects (`iptables -F OLD 2>/dev/null`, `-D ... || true`) clears what an earlier run may
 * have left, and a missing chain is what its author allowed for.
 */
const CLEANUPS = new Set(['delete', 'check', 'flush', 'zero', 'list', 'list-rules', 'delete-chain']);

/** The chain a command acts on, its policy and its jump, against the chains that exist for it. */
function judge(ctx: RuleContext, cmd: Command, how: Judging): void {
  if (cmd.uncertain || cmd.tableDynamic || !BUILTIN_CHAINS[cmd.table] || how.uncertain(cmd)) return;
  const names = how.names(cmd);
  const w = cmd.chainWord;
  // run only after a command that needed the chain succeeded (`iptables -S X && iptables -F X`)
  const found = cmd.chainsFound;
  const undeclared = w && !w.dynamic && USES.has(cmd.kind) && !names.has(w.value) && !how.exempt(w.value, cmd) && !found?.includes(w.value);
  const made = undeclared ? how.madeBy?.(w.value, cmd) : undefined;
  const cleanup = !!cmd.failureHandled && CLEANUPS.has(cmd.kind);
  // read only for a chain not declared: this runs for every command
  const wrongTable = !!w && !!undeclared && BUILTIN.has(w.value) && !isBuiltinChain(cmd.table, w.value);
  // `-A input` for INPUT: read only for a chain not declared either
  const spelled = w && undeclared && !wrongTable ? builtinSpelledOtherwise(cmd.table, w.value) : undefined;
  if (w && !w.dynamic && cmd.kind === 'policy' && names.has(w.value) && !isBuiltinChain(cmd.table, w.value)) {
    ctx.report({ span: w.span, message: `Only built-in chains have a policy; ${w.value} is a user chain (its end returns to the caller).` });
  } else if (w && made) {
    // a change to a chain the program writes itself is managed-chain-edited's finding; a
    // listing or clean-up whose failure the script expects allows for the program not running
    if (!cleanup && (made.forUsers || !CHAIN_EDITS.has(cmd.kind))) ctx.report({ span: w.span, message: madeByMessage(w.value, made), severity: 'info' });
  } else if (w && spelled) {
    // `-A input`: chain names are case-sensitive, and iptables looks for a user chain of that name
    ctx.report({
      span: w.span,
      message: `There is no chain '${w.value}' in the ${cmd.table} table: chain names are case-sensitive, and the built-in chain is ${spelled}.`,
      fixes: [{ title: `Change to ${spelled}`, edits: [{ span: w.span, text: spelled }] }],
    });
  } else if (w && undeclared && (!cleanup || wrongTable)) {
    ctx.report({
      span: w.span,
      message: wrongTable
        ? `The ${cmd.table} table has no ${w.value} chain (its built-in chains: ${BUILTIN_CHAINS[cmd.table].join(', ')}).`
        : cmd.kind === 'policy'
          ? `Only built-in chains have a policy; ${w.value} is not one of the ${cmd.table} table.`
          : `Chain '${w.value}' is never created in the ${cmd.table} table${how.missing(w.value, cmd)}: declare it with ${how.declare(w.value, cmd)} first.`,
      severity: wrongTable || cmd.kind === 'policy' ? undefined : how.severity(cmd),
      fixes: wrongTable || cmd.kind === 'policy' ? undefined : how.fixes(w.value, cmd),
      related: wrongTable || cmd.kind === 'policy' ? undefined : how.related?.(cmd),
    });
  }
  const t = cmd.rule?.target;
  if (!t || t.spec || !t.name || names.has(t.name) || how.exempt(t.name, cmd) || cleanup || found?.includes(t.name)) return;
  const jumpMade = how.madeBy?.(t.name, cmd);
  if (jumpMade) {
    ctx.report({ span: t.span, message: madeByMessage(t.name, jumpMade), severity: 'info' });
    return;
  }
  const like = looksLikeTarget(t.name);
  const reportedAsTarget = like && (like.suggestion || ctx.ruleSet.dialect === 'save');
  if (t.goto || !reportedAsTarget) {
    ctx.report({ span: t.span, message: `${t.goto ? '-g' : '-j'} ${t.name}: no chain of that name is created in the ${cmd.table} table${how.missing(t.name, cmd)}.`, severity: how.severity(cmd), fixes: how.fixes(t.name, cmd), related: how.related?.(cmd) });
  }
}

function madeByMessage(name: string, made: ManagedChain): string {
  return `Chain '${name}' is made by ${made.owner}, not by this script: the command fails where ${made.owner} has not made it yet (before it starts, or on a host without it).`;
}

/** Quick fix in a restore file or here-document: a `:NAME - [0:0]` line after the header of the command's table block. */
function declareInBlock(ctx: RuleContext, file: RuleSet, name: string, cmd: Command): Fix[] | undefined {
  const header = file.tables.get(`${cmd.family}:${cmd.table}`)?.spans.filter((h) => h.start < cmd.span.start).at(-1);
  if (!header) return undefined;
  // read in pieces: the text of a document just edited is copied whole when read whole (see EditedText)
  const eol = lineEnd(ctx, header.end);
  const at = eol.newline ? eol.end + 1 : eol.end;
  return [{ title: `Declare chain ${name}`, edits: [{ span: { start: at, end: at }, text: `:${name} - [0:0]\n` }] }];
}

/**
 * iptables-restore reads a file in order: a rule naming a user chain whose `:NAME` line comes
 * further down its table block fails (measured with iptables 1.8.9: nf_tables says the chain
 * does not exist, legacy cannot load the target). iptables-save writes every chain line before
 * the rules; a file edited by hand may not. `file`: a restore file, or a script's here-document.
 */
function usedBeforeDeclared(ctx: RuleContext, file: RuleSet, facts?: ChainFacts): void {
  // where each block's first rule is moves when a rule line comes or goes
  const late = facts ? keptWithFacts(facts, 'undefined-chain:late', () => lateChains(file), (_, patches) => patches.every(inPlace)) : lateChains(file);
  const commands = file.commands;
  for (const { table: t, chain: c, header } of late) {
    const d = c.declarations[0];
    // read now: the spans move with their lines when an edit above shifts them
    const block = header.start;
    const fixes = moveUp(ctx, block, d.line);
    const related = [{ span: d.span, message: `${c.name} is declared here` }];
    for (let i = firstStartingFrom(commands, block); i < commands.length && commands[i].span.start < d.line.start; i++) {
      const cmd = commands[i];
      if (cmd.family !== t.family || cmd.table !== t.name) continue;
      const w = cmd.chainWord;
      if (w && !w.dynamic && w.value === c.name) declaredFurtherDown(ctx, c.name, w.span, undefined, related, fixes);
      const target = cmd.rule?.target;
      if (target && !target.spec && target.name === c.name) declaredFurtherDown(ctx, c.name, target.span, target.goto ? '-g' : '-j', related, fixes);
    }
  }
}

/** A command naming chain `name` (as its chain, or by `jump`) above the chain's line in its block. */
function declaredFurtherDown(ctx: RuleContext, name: string, span: Span, jump: '-j' | '-g' | undefined, related: { span: Span; message: string }[], fixes: Fix[] | undefined): void {
  const move = `Move its ':${name}' line up with the chain lines.`;
  ctx.report({
    span,
    message: jump
      ? `${jump} ${name}: the chain is declared further down, and iptables-restore reads the file in order and fails here. ${move}`
      : `Chain '${name}' is declared further down: iptables-restore reads the file in order and fails here. ${move}`,
    related,
    fixes,
  });
}

/**
 * A table's second block in one restore input empties the table, its user chains deleted
 * (see TableState.emptyTable): a rule there naming a chain that only an earlier block declares
 * is refused (measured with iptables 1.8.9: nf_tables says the chain does not exist, legacy
 * cannot load the target), as is one naming a chain this block declares further down.
 */
function declaredInEmptiedBlock(ctx: RuleContext, file: RuleSet): void {
  if (!file.replacedBlocks?.length) return;
  const commands = file.commands;
  const done = new Set<string>();
  for (const b of file.replacedBlocks) {
    const key = `${b.family}:${b.table}`;
    const t = file.tables.get(key);
    if (done.has(key) || !t) continue;
    done.add(key);
    const headers = [...t.spans].sort((x, y) => x.start - y.start);
    for (let k = 1; k < headers.length; k++) {
      const header = headers[k];
      const from = header.start;
      const to = headers[k + 1]?.start ?? Infinity;
      const firstCommand = firstStartingFrom(commands, from);
      const firstRule = commands[firstCommand]?.span.start ?? Infinity;
      // the chains a command of this block may name too early: declared only in an earlier
      // block, or in this one below its first command. Usually none (each block declares its
      // chains at its top), and then the commands are not walked: this runs after each keystroke
      const suspect = new Map<string, { first: ChainDeclaration | undefined; earlier: ChainDeclaration | undefined }>();
      for (const c of t.chains.values()) {
        if (c.builtin || !c.declarations.length) continue;
        const first = c.declarations.find((d) => d.line.start >= from && d.line.start < to);
        if (first ? first.line.start > firstRule : c.declarations[0].line.start < from) suspect.set(c.name, { first, earlier: c.declarations.filter((d) => d.line.start < from).at(-1) });
      }
      if (!suspect.size) continue;
      // the span is made when reported: a save file's line makes its chain word when asked
      const check = (cmd: Command, name: string, spanOf: () => Span, jump: '-j' | '-g' | undefined) => {
        const found = suspect.get(name);
        if (!found) return;
        const { first, earlier } = found;
        if (first && first.line.start < cmd.span.start) return;
        const span = spanOf();
        if (first) {
          declaredFurtherDown(ctx, name, span, jump, [{ span: first.span, message: `${name} is declared here` }], moveUp(ctx, from, first.line));
          return;
        }
        ctx.report({
          span,
          message: `${jump ? `${jump} ` : 'Chain '}${name}: this *${t.name} block empties the table again, deleting the ${name} an earlier block declares, and iptables-restore fails here. Declare ':${name} - [0:0]' in this block, or merge the blocks.`,
          related: [{ span: header, message: `the *${t.name} block that empties the table` }, ...(earlier ? [{ span: earlier.span, message: `${name} is declared here, in an earlier block` }] : [])],
          fixes: declareInBlock(ctx, file, name, cmd),
        });
      };
      for (let i = firstCommand; i < commands.length && commands[i].span.start < to; i++) {
        const cmd = commands[i];
        if (cmd.family !== t.family || cmd.table !== t.name || cmd.uncertain) continue;
        // the command's chain is the interned name (its word would be made on each read)
        if (cmd.chain !== undefined && USES.has(cmd.kind)) check(cmd, cmd.chain, () => cmd.chainWord!.span, undefined);
        const target = cmd.rule?.target;
        if (target && !target.spec) check(cmd, target.name, () => target.span, target.goto ? '-g' : '-j');
      }
    }
  }
}

interface LateChain {
  table: Table;
  chain: Chain;
  /** The table name on the `*table` line of the chain line's block. */
  header: Span;
}

/**
 * The user chains whose first `:NAME` line comes after a rule of its block: none in what
 * iptables-save writes. Kept with the chain facts of a restore file, which an edit of rules in
 * place carries over (chain lines unchanged): 36k chains of a kube-proxy dump are not looked at
 * again on every keystroke.
 */
function lateChains(file: RuleSet): LateChain[] {
  const out: LateChain[] = [];
  const commands = file.commands;
  for (const t of file.tables.values()) {
    const headers = t.spans.map((h) => h.start);
    if (!headers.length) continue;
    // where each block's first rule starts: a chain line after it is late
    const firstRule = headers.map((h) => commands[firstStartingFrom(commands, h)]?.span.start ?? Infinity);
    for (const c of t.chains.values()) {
      const d = c.declarations[0];
      if (c.builtin || !d) continue;
      let b = headers.length - 1;
      while (b > 0 && headers[b] > d.line.start) b--;
      if (firstRule[b] < d.line.start) out.push({ table: t, chain: c, header: t.spans[b] });
    }
  }
  return out;
}

/** Quick fix: the chain's line moved to just below its block's `*table` line. */
function moveUp(ctx: RuleContext, header: number, line: Span): Fix[] | undefined {
  // read in pieces (see declareInBlock)
  const headerEnd = lineEnd(ctx, header);
  const lineEnds = lineEnd(ctx, line.end);
  if (!headerEnd.newline || !lineEnds.newline) return undefined;
  const afterHeader = headerEnd.end + 1;
  const eol = lineEnds.end;
  const text = ctx.read(line.start, line.end);
  return [{ title: `Move the ${text.split(' ')[0]} line up`, edits: [{ span: { start: afterHeader, end: afterHeader }, text: `${text}\n` }, { span: { start: line.start, end: eol + 1 }, text: '' }] }];
}
