import type { Family } from '../knowledge/types.ts';
import type { Span } from '../text/span.ts';
import type { Word } from '../syntax/nodes.ts';
import { BUILTIN_CHAINS } from './builtinChains.ts';
import type { Chain, Command, Rule, Table } from './types.ts';

/**
 * The tables as commands leave them: built-in chains exist from the start with policy
 * ACCEPT; `-N`/`:chain` declare, `-A`/`-I`/`-R`/`-D` edit, `-F`/`-X`/`-E`/`-P` act as
 * iptables would. Commands whose chain or table is a shell expansion change nothing
 * (their effect cannot be known).
 */
export class TableState {
  readonly tables = new Map<string, Table>();

  table(family: Family, name: string, span?: Span): Table {
    const key = `${family}:${name}`;
    let t = this.tables.get(key);
    if (!t) {
      t = { family, name, spans: [], chains: new Map() };
      for (const c of BUILTIN_CHAINS[name] ?? []) {
        t.chains.set(c, { name: c, table: name, family, builtin: true, policy: 'ACCEPT', policySpan: undefined, declarations: [], rules: [] });
      }
      this.tables.set(key, t);
    }
    if (span) t.spans.push(span);
    return t;
  }

  declare(t: Table, name: string, span: Span, line: Span, policy?: Word): Chain {
    let c = t.chains.get(name);
    if (!c) {
      c = { name, table: t.name, family: t.family, builtin: false, policy: '-', policySpan: undefined, declarations: [], rules: [] };
      t.chains.set(name, c);
    }
    c.declarations.push(policy ? { span, line, policy } : { span, line });
    if (c.builtin && policy && policy.value !== '-') {
      c.policy = policy.value;
      c.policySpan = policy.span;
    }
    return c;
  }

  /** Applies one script command. */
  apply(cmd: Command): void {
    if (cmd.uncertain || cmd.tableDynamic) return;
    const t = this.table(cmd.family, cmd.table);
    const chain = cmd.chain ? t.chains.get(cmd.chain) : undefined;
    switch (cmd.kind) {
      case 'append':
        if (cmd.rule) this.chainFor(t, cmd).rules.push(cmd.rule);
        break;
      case 'insert':
        if (cmd.rule) {
          const c = this.chainFor(t, cmd);
          c.rules.splice(Math.max(0, Math.min((cmd.position ?? 1) - 1, c.rules.length)), 0, cmd.rule);
        }
        break;
      case 'replace':
        if (cmd.rule && chain && cmd.position && cmd.position <= chain.rules.length) chain.rules[cmd.position - 1] = cmd.rule;
        break;
      case 'delete':
        if (!chain) break;
        if (cmd.position) chain.rules.splice(cmd.position - 1, 1);
        else if (cmd.rule) {
          const key = ruleKey(cmd.rule);
          const i = chain.rules.findIndex((r) => ruleKey(r) === key);
          if (i >= 0) chain.rules.splice(i, 1);
        }
        break;
      case 'flush':
        if (cmd.chain) {
          if (chain) chain.rules = [];
        } else for (const c of t.chains.values()) c.rules = [];
        break;
      case 'new-chain':
        if (cmd.chainWord) this.declare(t, cmd.chainWord.value, cmd.chainWord.span, cmd.span);
        break;
      case 'delete-chain':
        if (cmd.chain) {
          if (chain && !chain.builtin) t.chains.delete(cmd.chain);
        } else for (const c of [...t.chains.values()]) if (!c.builtin) t.chains.delete(c.name);
        break;
      case 'rename-chain':
        if (chain && cmd.newName && !cmd.newName.dynamic) {
          t.chains.delete(chain.name);
          chain.name = cmd.newName.value;
          t.chains.set(chain.name, chain);
          for (const c of t.chains.values()) for (const r of c.rules) if (r.chain === cmd.chain) r.chain = chain.name;
        }
        break;
      case 'policy':
        if (chain && cmd.policy && !cmd.policy.dynamic) {
          chain.policy = cmd.policy.value;
          chain.policySpan = cmd.policy.span;
        }
        break;
      default:
        break;
    }
  }

  /** The chain a rule is added to; an undeclared one is created so later rules see it (undefined-chain reports it). */
  private chainFor(t: Table, cmd: Command): Chain {
    const name = cmd.chain ?? '';
    let c = t.chains.get(name);
    if (!c) {
      c = { name, table: t.name, family: t.family, builtin: false, policy: '-', policySpan: undefined, declarations: [], rules: [] };
      t.chains.set(name, c);
    }
    return c;
  }
}

/** A rule's specification without the command, for `-D CHAIN spec` matching. */
export function ruleKey(r: Rule): string {
  return r.options
    .filter((o) => o.owner !== 'generic' || !['--append', '--insert', '--delete', '--replace', '--check', '--table'].includes(o.name))
    .map((o) => `${o.negated ? '!' : ''}${o.name} ${o.values.map((v) => v.value).join(' ')}`)
    .join(' ');
}

export function rulesOf(t: Table): Rule[] {
  const out: Rule[] = [];
  for (const c of t.chains.values()) out.push(...c.rules);
  return out;
}
