import { BUILTIN_CHAINS, isBuiltinChain } from '../../model/builtinChains.ts';
import { chainFacts } from '../chainGraph.ts';
import { looksLikeTarget } from '../jumpTargets.ts';
import { toolName } from '../../knowledge/toolName.ts';
import type { Family } from '../../knowledge/types.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import type { Command, RuleSet } from '../../model/types.ts';

const BUILTIN = new Set(Object.values(BUILTIN_CHAINS).flat());

export const undefinedChain: LintRule = {
  code: 'undefined-chain',
  severity: 'error',
  summary: 'A `-j`/`-g`/`-A`/`-I` (or `-P`) naming a chain that is never created in that table.',
  docs: {
    description: 'Reports a chain name that the table never declares: a jump or goto to it, rules added to it, or a policy set on a chain that is not built into the table (`-t nat -A FORWARD`). In scripts a chain counts as declared when any `-N` in the script creates it, except in an `iptables-restore` here-document without `--noflush`: the restore empties each table of its input first, user chains included, so there only the chains the input declares exist.',
    rationale: 'iptables-restore with the nf_tables backend rejects the file ("chain does not exist"; `--test` does not catch it); a script command fails. Either way the rules meant for the chain are missing.',
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
      rs.dialect === 'save' || rs.commands.some((c) => c.family === family && c.table === table && c.kind === 'delete-chain' && !c.chain);
    const severity = (family: string, table: string) => (resets(family, table) ? undefined : ('warning' as const));
    const elsewhere = (family: string, table: string) => (resets(family, table) ? '' : ' by this script (it must already exist on the host)');
    // a dual-stack script that creates a chain with iptables and uses it with ip6tables (or the
    // other way round): the message names the tool, and where the chain is created
    const otherFamily = (name: string, family: Family, table: string) => {
      const other: Family = family === 'ipv4' ? 'ipv6' : 'ipv4';
      return rs.dialect === 'script' && facts.declared(other, table).has(name) ? ` for ${toolName(family)} (only ${toolName(other)} creates it)` : '';
    };
    // quick fix: declare the chain (a `:NAME - [0:0]` line in the table block, or `-N` before the command)
    const declareFix = (name: string, cmd: Command) => {
      if (rs.dialect === 'save') return declareInBlock(ctx, rs, name, cmd);
      const lineStart = ctx.text.lastIndexOf('\n', cmd.span.start - 1) + 1;
      const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart))![0];
      return [{ title: `Create chain ${name} first`, edits: [{ span: { start: lineStart, end: lineStart }, text: `${indent}${toolName(cmd.family)}${cmd.table === 'filter' ? '' : ` -t ${cmd.table}`} -N ${name}\n` }] }];
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
      missing: (name, cmd) => `${otherFamily(name, cmd.family, cmd.table)}${elsewhere(cmd.family, cmd.table)}`,
      declare: (name, cmd) => (rs.dialect === 'save' ? `':${name} - [0:0]'` : `'${toolName(cmd.family)}${cmd.table === 'filter' ? '' : ' -t ' + cmd.table} -N ${name}'`),
      severity: (cmd) => severity(cmd.family, cmd.table),
      fixes: declareFix,
      exempt: fromUfw,
    };
    for (const cmd of facts.namingUndeclared) {
      if (!inEmptying.has(cmd)) judge(ctx, cmd, script);
    }
    for (const r of emptying) {
      const input = r.ruleSet;
      const declaredIn = new Map<string, { names: Set<string>; uncertain: boolean }>();
      const tableOf = (cmd: Command) => {
        const key = `${cmd.family}:${cmd.table}`;
        let found = declaredIn.get(key);
        if (!found) {
          const names = new Set<string>();
          for (const c of input.tables.get(key)?.chains.values() ?? []) if (c.builtin || c.declarations.length) names.add(c.name);
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
  },
};

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
  exempt(name: string): boolean;
}

const USES = new Set(['append', 'insert', 'replace', 'delete', 'check', 'policy', 'flush', 'zero', 'list', 'list-rules', 'delete-chain', 'rename-chain']);

/** The chain a command acts on, its policy and its jump, against the chains that exist for it. */
function judge(ctx: RuleContext, cmd: Command, how: Judging): void {
  if (cmd.uncertain || cmd.tableDynamic || !BUILTIN_CHAINS[cmd.table] || how.uncertain(cmd)) return;
  const names = how.names(cmd);
  const w = cmd.chainWord;
  if (w && !w.dynamic && cmd.kind === 'policy' && names.has(w.value) && !isBuiltinChain(cmd.table, w.value)) {
    ctx.report({ span: w.span, message: `Only built-in chains have a policy; ${w.value} is a user chain (its end returns to the caller).` });
  } else if (w && !w.dynamic && USES.has(cmd.kind) && !names.has(w.value) && !how.exempt(w.value)) {
    const wrongTable = BUILTIN.has(w.value) && !isBuiltinChain(cmd.table, w.value);
    ctx.report({
      span: w.span,
      message: wrongTable
        ? `The ${cmd.table} table has no ${w.value} chain (its built-in chains: ${BUILTIN_CHAINS[cmd.table].join(', ')}).`
        : cmd.kind === 'policy'
          ? `Only built-in chains have a policy; ${w.value} is not one of the ${cmd.table} table.`
          : `Chain '${w.value}' is never created in the ${cmd.table} table${how.missing(w.value, cmd)}: declare it with ${how.declare(w.value, cmd)} first.`,
      severity: wrongTable || cmd.kind === 'policy' ? undefined : how.severity(cmd),
      fixes: wrongTable || cmd.kind === 'policy' ? undefined : how.fixes(w.value, cmd),
    });
  }
  const t = cmd.rule?.target;
  if (!t || t.spec || !t.name || names.has(t.name) || how.exempt(t.name)) return;
  const like = looksLikeTarget(t.name);
  const reportedAsTarget = like && (like.suggestion || ctx.ruleSet.dialect === 'save');
  if (t.goto || !reportedAsTarget) {
    ctx.report({ span: t.span, message: `${t.goto ? '-g' : '-j'} ${t.name}: no chain of that name is created in the ${cmd.table} table${how.missing(t.name, cmd)}.`, severity: how.severity(cmd), fixes: how.fixes(t.name, cmd) });
  }
}

/** Quick fix in a restore file or here-document: a `:NAME - [0:0]` line after the header of the command's table block. */
function declareInBlock(ctx: RuleContext, file: RuleSet, name: string, cmd: Command): Fix[] | undefined {
  const header = file.tables.get(`${cmd.family}:${cmd.table}`)?.spans.filter((h) => h.start < cmd.span.start).at(-1);
  if (!header) return undefined;
  const eol = ctx.text.indexOf('\n', header.end);
  const at = eol === -1 ? ctx.text.length : eol + 1;
  return [{ title: `Declare chain ${name}`, edits: [{ span: { start: at, end: at }, text: `:${name} - [0:0]\n` }] }];
}
