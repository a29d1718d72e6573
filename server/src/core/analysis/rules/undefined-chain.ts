import { BUILTIN_CHAINS, isBuiltinChain } from '../../model/builtinChains.ts';
import { chainFacts } from '../chainGraph.ts';
import { looksLikeTarget } from '../jumpTargets.ts';
import { toolName } from '../../knowledge/toolName.ts';
import type { Family } from '../../knowledge/types.ts';
import type { LintRule } from '../types.ts';

const BUILTIN = new Set(Object.values(BUILTIN_CHAINS).flat());

export const undefinedChain: LintRule = {
  code: 'undefined-chain',
  severity: 'error',
  summary: 'A `-j`/`-g`/`-A`/`-I` (or `-P`) naming a chain that is never created in that table.',
  docs: {
    description: 'Reports a chain name that the table never declares: a jump or goto to it, rules added to it, or a policy set on a chain that is not built into the table (`-t nat -A FORWARD`). In scripts a chain counts as declared when any `-N` in the script creates it.',
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
    const declareFix = (name: string, cmd: (typeof rs.commands)[number]) => {
      if (rs.dialect === 'save') {
        const header = rs.tables.get(`${cmd.family}:${cmd.table}`)?.spans.filter((s) => s.start < cmd.span.start).at(-1);
        if (!header) return undefined;
        const eol = ctx.text.indexOf('\n', header.end);
        const at = eol === -1 ? ctx.text.length : eol + 1;
        return [{ title: `Declare chain ${name}`, edits: [{ span: { start: at, end: at }, text: `:${name} - [0:0]\n` }] }];
      }
      const lineStart = ctx.text.lastIndexOf('\n', cmd.span.start - 1) + 1;
      const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart))![0];
      return [{ title: `Create chain ${name} first`, edits: [{ span: { start: lineStart, end: lineStart }, text: `${indent}${toolName(cmd.family)}${cmd.table === 'filter' ? '' : ` -t ${cmd.table}`} -N ${name}\n` }] }];
    };
    // looked at only when some command names an undeclared ufw chain (a dump has 36k chains)
    let declaresUfw: boolean | undefined;
    const fromUfw = (name: string) => /^ufw6?-/.test(name) && (declaresUfw ??= [...rs.tables.values()].some((t) => [...t.chains.keys()].some((n) => /^ufw6?-/.test(n))));
    const uses = new Set(['append', 'insert', 'replace', 'delete', 'check', 'policy', 'flush', 'zero', 'list', 'list-rules', 'delete-chain', 'rename-chain']);
    for (const cmd of facts.namingUndeclared) {
      if (cmd.uncertain || cmd.tableDynamic || !BUILTIN_CHAINS[cmd.table]) continue;
      if (facts.uncertain(cmd.family, cmd.table)) continue;
      const names = facts.declared(cmd.family, cmd.table);
      const w = cmd.chainWord;
      if (w && !w.dynamic && cmd.kind === 'policy' && names.has(w.value) && !isBuiltinChain(cmd.table, w.value)) {
        ctx.report({ span: w.span, message: `Only built-in chains have a policy; ${w.value} is a user chain (its end returns to the caller).` });
      } else if (w && !w.dynamic && uses.has(cmd.kind) && !names.has(w.value) && !fromUfw(w.value)) {
        const wrongTable = BUILTIN.has(w.value) && !isBuiltinChain(cmd.table, w.value);
        ctx.report({
          span: w.span,
          message: wrongTable
            ? `The ${cmd.table} table has no ${w.value} chain (its built-in chains: ${BUILTIN_CHAINS[cmd.table].join(', ')}).`
            : cmd.kind === 'policy'
              ? `Only built-in chains have a policy; ${w.value} is not one of the ${cmd.table} table.`
              : `Chain '${w.value}' is never created in the ${cmd.table} table${otherFamily(w.value, cmd.family, cmd.table)}${elsewhere(cmd.family, cmd.table)}: declare it with ${rs.dialect === 'save' ? `':${w.value} - [0:0]'` : `'${toolName(cmd.family)}${cmd.table === 'filter' ? '' : ' -t ' + cmd.table} -N ${w.value}'`} first.`,
          severity: wrongTable || cmd.kind === 'policy' ? undefined : severity(cmd.family, cmd.table),
          fixes: wrongTable || cmd.kind === 'policy' ? undefined : declareFix(w.value, cmd),
        });
      }
      const t = cmd.rule?.target;
      if (!t || t.spec || !t.name || names.has(t.name) || fromUfw(t.name)) continue;
      const like = looksLikeTarget(t.name);
      const reportedAsTarget = like && (like.suggestion || rs.dialect === 'save');
      if (t.goto || !reportedAsTarget) {
        ctx.report({ span: t.span, message: `${t.goto ? '-g' : '-j'} ${t.name}: no chain of that name is created in the ${cmd.table} table${otherFamily(t.name, cmd.family, cmd.table)}${elsewhere(cmd.family, cmd.table)}.`, severity: severity(cmd.family, cmd.table), fixes: declareFix(t.name, cmd) });
      }
    }
  },
};
