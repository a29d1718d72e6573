import type { Family, GenericOptionSpec } from '../knowledge/types.ts';
import { literalArrays, scriptRuleSet, type ScriptOptions } from '../model/scriptDocument.ts';
import { noteAssignment, resolveTool, type ToolVariables } from '../model/commandName.ts';
import type { Command, Rule, Table } from '../model/types.ts';
import type { Span } from '../text/span.ts';

export interface CompileResult {
  /** iptables-restore text per family (only the families the script uses). */
  outputs: { family: Family; text: string }[];
  /** Why the script cannot be compiled, at the command that stops it. */
  refusal?: { span: Span; reason: string };
}

const TABLE_ORDER = ['raw', 'mangle', 'nat', 'filter', 'security'];
/** Commands that only read: they change nothing in a fresh rule set. */
const QUERIES = new Set(['check', 'list', 'list-rules', 'zero']);
/** Other commands a firewall script may hold that change nothing in the rules. */
const HARMLESS = new Set(['set', 'shift', 'echo', 'printf', 'true', ':', 'exit', 'return', 'sleep', 'logger', 'modprobe', 'export', 'local', 'readonly', 'sysctl']);

/** A value as iptables-restore (or the shell) reads it: quoted when it holds blanks, quotes or backslashes. */
export function quote(v: string): string {
  return /^[^\s"'\\#]+$/.test(v) ? v : `"${v.replace(/(["\\])/g, '\\$1')}"`;
}

function ruleText(cmd: Command): string {
  const parts: string[] = [];
  for (const item of cmd.args.items) {
    const bound = cmd.rule?.options.find((o) => o.item === item);
    const name = bound?.spec && bound.owner === 'generic' ? bound.name : item.written;
    if (['--append', '--insert', '--replace', '--delete', '--table', '-A', '-I', '-R', '-D', '-t'].includes(name)) continue;
    // how the tool runs (--wait, --verbose, -4…), not part of the rule: iptables-restore refuses --wait
    if (bound?.owner === 'generic' && (bound.spec as GenericOptionSpec | undefined)?.role === 'other' && name !== '--set-counters') continue;
    // a jump to a chain renamed later (-E) names the chain as it is now
    const jump = (name === '--jump' || name === '--goto') && cmd.rule?.target && !cmd.rule.target.spec ? cmd.rule.target.name : undefined;
    const values = jump !== undefined ? [jump] : item.values.map((w) => w.value);
    parts.push(`${item.negated ? '! ' : ''}${item.written}${values.length ? ' ' + values.map(quote).join(' ') : ''}`);
  }
  return parts.join(' ');
}

function tableText(t: Table, commandOf: Map<Rule, Command>): string {
  let out = `*${t.name}\n`;
  for (const c of t.chains.values()) out += `:${c.name} ${c.builtin ? c.policy : '-'} [0:0]\n`;
  for (const c of t.chains.values()) {
    for (const r of c.rules) {
      const cmd = commandOf.get(r);
      out += `-A ${c.name} ${cmd ? ruleText(cmd) : ''}`.trimEnd() + '\n';
    }
  }
  return out + 'COMMIT\n';
}

/**
 * A script as the iptables-restore text that builds the same tables from empty ones. Only
 * scripts made of iptables commands (and assignments, files read with `.` that only set
 * variables where the caller gives them (see ScriptOptions), sysctl settings, output to the
 * terminal, functions of those defined at the top and called there: see calledFunctions, loops of
 * them the model runs word by word: see plainLoops) are compiled: anything else, or a value the shell would expand, is refused with
 * the command that stops it. The script is never run.
 */
export function compileScript(text: string, options: ScriptOptions = {}): CompileResult {
  const rs = scriptRuleSet(text, options);
  const vars: ToolVariables = new Map();
  // a configuration read with `.` that only sets variables: its values are in the rules
  const configs = new Map((rs.sources ?? []).filter((u) => u.plain).map((u) => [u.span.start, u]));
  const quiet = (target?: string) => target !== undefined && /^(\/proc\/sys\/net\/|\/dev\/null$|\/etc\/sysctl\.conf$|\/etc\/sysctl\.d\/)/.test(target);
  // a loop the model runs word by word: its `for` line and the commands of its body, bound
  // with each word (checked below, as a function's are)
  const loopsRun = new Set((rs.instances ?? []).flatMap((c) => (c.loopValues ?? []).map((b) => b.loop)));
  const templateAt = new Set([...(rs.templates ?? [])].map((c) => c.span.start));
  // the elements of an array the script sets once to words it writes (`PORTS=(22 80)`): the
  // parser reads their lines as commands; an array sets a variable, and its loops are checked above
  const elements = new Set([...literalArrays({ commands: rs.shellCommands }, text).values()].flatMap((a) => a.lists));
  for (const sc of rs.shellCommands) {
    const words = sc.words;
    if (!words.length || elements.has(sc)) continue;
    if (templateAt.has(sc.span.start) && !sc.redirects.some((r) => r.op.includes('>') && !quiet(r.target?.value))) continue;
    if (words[0].value === 'for' && loopsRun.has(sc.span.start)) continue;
    // a function whose body runs at its calls: its definition and its calls (the body's
    // commands, bound with each call's arguments, are checked below)
    if (rs.runAtCalls.has(words[0].value) && !sc.redirects.length) continue;
    // assignments: their uses are checked at the iptables commands (no expansions there)
    if (words.every((w) => /^[A-Za-z_]\w*=/.test(w.value))) {
      for (const w of words) noteAssignment(vars, w);
      continue;
    }
    const config = configs.get(sc.span.start);
    if (config) {
      for (const w of config.assignments ?? []) noteAssignment(vars, w);
      continue;
    }
    const tool = resolveTool(words, vars);
    const redirectsOk = sc.redirects.every((r) => !r.op.includes('>') || quiet(r.target?.value));
    if ((tool?.kind === 'iptables' || tool?.kind === 'restore' || tool?.kind === 'sysctl') && redirectsOk) continue;
    if ((tool?.kind === 'write' || tool?.kind === 'tee') && redirectsOk && words.slice(1).every((w) => w.value.startsWith('-') || quiet(w.value) || tool.kind === 'write')) continue;
    if (HARMLESS.has(words[0].value) && redirectsOk) continue;
    if (['if', 'then', 'fi', 'for', 'do', 'done', 'while', 'until', 'case', 'esac', 'function'].includes(words[0].value) || /^\[/.test(words[0].value) || sc.after === '||' || sc.after === '&&') {
      if (!(tool?.kind === 'iptables' && sc.after === '||')) {
        return { outputs: [], refusal: { span: sc.span, reason: 'shell control flow: what runs depends on the host' } };
      }
      continue;
    }
    return { outputs: [], refusal: { span: sc.span, reason: `'${words[0].text}' is not an iptables command: only scripts made of iptables commands are compiled` } };
  }
  // a function's commands as each call runs them, not as written (with `$1`)
  const run = [...rs.commands.filter((c) => !rs.templates?.has(c)), ...(rs.instances ?? [])];
  const commandOf = new Map<Rule, Command>();
  for (const cmd of run) if (cmd.rule) commandOf.set(cmd.rule, cmd);
  for (const cmd of run) {
    if (cmd.uncertain || cmd.tableDynamic || cmd.rule?.dynamic || cmd.args.strays.some((w) => w.dynamic) || cmd.args.items.some((i) => i.values.some((w) => w.dynamic))) {
      return { outputs: [], refusal: { span: cmd.span, reason: 'a value the shell expands ($VAR, $(…)): compile needs literal values' } };
    }
    if (cmd.issues.length) return { outputs: [], refusal: { span: cmd.span, reason: `a syntax error: ${cmd.issues[0].message}` } };
    if (cmd.kind === 'none' || QUERIES.has(cmd.kind)) continue;
  }
  const outputs: CompileResult['outputs'] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const tables = TABLE_ORDER.map((n) => rs.tables.get(`${family}:${n}`)).filter((t): t is Table => !!t);
    if (!tables.length) continue;
    outputs.push({ family, text: `# ${family === 'ipv4' ? 'iptables' : 'ip6tables'}-restore input compiled by iptables-lint from a script\n` + tables.map((t) => tableText(t, commandOf)).join('') });
  }
  return { outputs };
}
