import { fw3Chain } from '../../knowledge/openWrtChains.ts';
import { isBuiltinChain } from '../../model/builtinChains.ts';
import { managedChain } from '../../knowledge/managedChains.ts';
import type { IpsetStep } from '../../model/ipsetSteps.ts';
import { ruleKey } from '../../model/ruleKey.ts';
import type { Command, RestoreInput, Rule, RuleSet } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import { stateAt } from '../setState.ts';
import type { Fix, LintRule } from '../types.ts';

/** Commands that empty, remove or look at what a chain holds: the clean-up of a script run again, which fails on a host where the chain is not there. */
const CLEANUPS = new Set(['delete', 'check', 'flush', 'zero', 'list', 'list-rules', 'delete-chain']);

/** ` || true` after the command: the script goes on where it fails. */
function orTrue(command: Span): Fix[] {
  return [{ title: 'Let the script go on where it fails (|| true)', edits: [{ span: { start: command.end, end: command.end }, text: ' || true' }] }];
}

/**
 * The tables of a host started fresh as the script builds them, step by step: the user chains
 * that may exist and the rules (by ruleKey) that may be in each chain. A command under a shell
 * condition may run: what it makes counts, what it removes does not.
 */
class FreshTables {
  private chains = new Map<string, Set<string>>();
  private rules = new Map<string, Set<string>>();

  private chainsOf(family: string, table: string): Set<string> {
    const key = `${family}:${table}`;
    let c = this.chains.get(key);
    if (!c) this.chains.set(key, (c = new Set()));
    return c;
  }

  private rulesOf(family: string, table: string, chain: string): Set<string> {
    const key = `${family}:${table}:${chain}`;
    let r = this.rules.get(key);
    if (!r) this.rules.set(key, (r = new Set()));
    return r;
  }

  hasChain(cmd: Command, name: string): boolean {
    return isBuiltinChain(cmd.table, name) || this.chainsOf(cmd.family, cmd.table).has(name);
  }

  hasRule(cmd: Command, chain: string, rule: Rule): boolean {
    return this.rulesOf(cmd.family, cmd.table, chain).has(ruleKey(rule));
  }

  apply(cmd: Command, sure: boolean): void {
    const name = cmd.chainWord && !cmd.chainWord.dynamic ? cmd.chainWord.value : undefined;
    const chains = this.chainsOf(cmd.family, cmd.table);
    if (cmd.kind === 'new-chain' && name) chains.add(name);
    else if (cmd.kind === 'rename-chain' && cmd.newName && !cmd.newName.dynamic) chains.add(cmd.newName.value);
    else if ((cmd.kind === 'append' || cmd.kind === 'insert' || cmd.kind === 'replace') && name && cmd.rule) this.rulesOf(cmd.family, cmd.table, name).add(ruleKey(cmd.rule));
    if (!sure) return;
    if (cmd.kind === 'delete-chain') {
      if (name) chains.delete(name);
      else chains.clear();
    } else if (cmd.kind === 'rename-chain' && name) chains.delete(name);
    else if (cmd.kind === 'flush') {
      for (const [key, set] of this.rules) if (key.startsWith(`${cmd.family}:${cmd.table}:`) && (!name || key === `${cmd.family}:${cmd.table}:${name}`)) set.clear();
    } else if (cmd.kind === 'delete' && name && cmd.rule) this.rulesOf(cmd.family, cmd.table, name).delete(ruleKey(cmd.rule));
  }

  /** An iptables-restore input: without --noflush each table it names starts empty. */
  restore(input: RestoreInput): void {
    if (input.flushes) {
      for (const t of input.ruleSet.tables.values()) {
        this.chainsOf(t.family, t.name).clear();
        for (const [key, set] of this.rules) if (key.startsWith(`${t.family}:${t.name}:`)) set.clear();
      }
    }
    for (const t of input.ruleSet.tables.values()) {
      for (const c of t.chains.values()) {
        if (!c.builtin) this.chainsOf(t.family, t.name).add(c.name);
        for (const r of c.rules) this.rulesOf(t.family, t.name, c.name).add(ruleKey(r));
      }
    }
  }
}

/** Why a clean-up command fails at its place on a host started fresh, or undefined. */
function whyItFails(rs: RuleSet, cmd: Command, tables: FreshTables): string | undefined {
  const w = cmd.chainWord;
  if (!w || w.dynamic || !CLEANUPS.has(cmd.kind) || managedChain(w.value, cmd.table) || (rs.runBy === 'fw3' && fw3Chain(cmd.table, w.value))) return undefined;
  if (!tables.hasChain(cmd, w.value)) {
    // a chain made in a sourced file, or by a wrapper, is not seen
    if (rs.sourcesFiles || rs.wrapsTool) return undefined;
    return `chain ${w.value} does not exist there`;
  }
  // a rule given by its specification (not by number) that no command above adds
  if ((cmd.kind === 'delete' || cmd.kind === 'check') && cmd.rule && cmd.position === undefined && !tables.hasRule(cmd, w.value, cmd.rule)) return `the rule it deletes is not in ${w.value} there`;
  return undefined;
}

export const failureStopsScript: LintRule = {
  code: 'failure-stops-script',
  severity: 'warning',
  summary: 'Under `set -e`, a clean-up command (`iptables -F OLD 2>/dev/null`, `ipset destroy SET 2>/dev/null`) that fails on a freshly booted host: `2>/dev/null` hides the message, not the failure, and the script stops there.',
  docs: {
    description: 'In a script that runs with `set -e` (`set -e`, `set -euo pipefail`, `set -o errexit` at its top level, or `-e` on its `#!` line; a wg-quick configuration\'s hooks always run so, and wg-quick then takes the interface down again; in an ifupdown configuration, the last command of a pre-up, up or post-up line, whose failure ends ifup and leaves the interface unconfigured; not in one with a Proxmox bridge, read by ifupdown2, which warns and goes on), reports a command that fails on a host started fresh and whose failure nothing in the shell catches: a clean-up of a chain the script creates only further down, deleted above, or never creates (`iptables -F`, `-X`, `-Z`, `-L`, `-S`, `-D`, `-C`), a `-D` of a rule that is not there, and an `ipset destroy` of a set that does not exist yet. Such commands are there for a second run, to clear what the first one left; the redirection `2>/dev/null` silences the error message, but the shell still sees the exit status and ends the script. Commands that are an `if`\'s test, negated, or followed by `||`, `&&` or `|` are left alone: the shell ignores their failure even under `set -e`. The quick fix appends `|| true`.',
    rationale: 'Measured with sh (dash) and bash, iptables 1.8.9 and ipset 7.17 in a network namespace: `set -e` then `iptables -F LOGDROP 2>/dev/null` on tables without LOGDROP ends the script with status 1 at that line, before any rule is added: after a reboot the host comes up with no firewall at all, and the run prints nothing. With `|| true` the same script runs to its end.',
    bad: { dialect: 'script', text: '#!/bin/sh\nset -e\niptables -F LOGDROP 2>/dev/null\niptables -X LOGDROP 2>/dev/null\niptables -N LOGDROP\niptables -A LOGDROP -j DROP\n' },
    good: { dialect: 'script', text: '#!/bin/sh\nset -e\niptables -F LOGDROP 2>/dev/null || true\niptables -X LOGDROP 2>/dev/null || true\niptables -N LOGDROP\niptables -A LOGDROP -j DROP\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    if (rs.dialect !== 'script') return;
    const stopping = rs.commands.filter((c) => c.stopsOnFailure && c.failureHandled);
    const all = rs.ipsets ?? [];
    const stoppingDestroy = (s: IpsetStep) => s.kind === 'destroy' && s.name !== undefined && s.stopsOnFailure && s.failureHandled;
    if (!stopping.length && !all.some(stoppingDestroy)) return;
    // ifup runs each hook line with sh -c, no set -e: a line's failure ends it, and the interface is left unconfigured
    const stopsHere =
      ctx.hooks?.format === 'ifupdown'
        ? { head: 'ifup stops at this line on a freshly booted host:', tail: ': the lines after it do not run, and the interface is left marked unconfigured, so ifdown runs none of its down lines.' }
        : { head: 'Under set -e the script stops here on a freshly booted host:', tail: '. Nothing after it runs.' };
    // the script's steps in the order they run, on tables started empty
    const tables = new FreshTables();
    const why = new Map<Command, string>();
    const wanted = new Set(stopping);
    for (const step of rs.steps ?? []) {
      if ('ruleSet' in step) {
        tables.restore(step);
        continue;
      }
      if (wanted.has(step)) {
        const reason = whyItFails(rs, step, tables);
        if (reason && !why.has(step)) why.set(step, reason);
      }
      tables.apply(step, (step.guard ?? 0) === 0);
    }
    for (const cmd of stopping) {
      const reason = why.get(cmd);
      if (!reason) continue;
      ctx.report({
        span: cmd.span,
        message: `${stopsHere.head} ${reason}, so this command fails, and 2>/dev/null hides its message, not the failure${stopsHere.tail} Add || true.`,
        fixes: orTrue(cmd.span),
      });
    }
    all.forEach((s, i) => {
      if (!stoppingDestroy(s)) return;
      const state = stateAt(rs, all, i, s.name!, s.guard);
      if (state.kind !== 'host' && state.kind !== 'destroyed') return;
      ctx.report({
        span: s.command,
        message: `${stopsHere.head} set ${s.name} does not exist there${state.kind === 'destroyed' ? ' (destroyed above)' : ' yet'}, so this destroy fails, and 2>/dev/null hides its message, not the failure${stopsHere.tail} Add || true.`,
        fixes: orTrue(s.command),
      });
    });
  },
};
