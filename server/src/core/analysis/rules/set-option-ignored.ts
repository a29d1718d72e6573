import type { SetExtension } from '../../model/ipsetSteps.ts';
import type { BoundOption, Command } from '../../model/types.ts';
import { eachRuleAfterSets, stateAt } from '../setState.ts';
import type { Span } from '../../text/span.ts';
import type { LintRule, RuleContext } from '../types.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';

/** The set match's tests of an entry's counters: the set needs `counters`. */
const COUNTER_TESTS = new Set(['--packets-eq', '--packets-lt', '--packets-gt', '--bytes-eq', '--bytes-lt', '--bytes-gt']);

/** An option of a rule that asks a set for an extension, with the set's name and the extension. */
interface Ask {
  option: BoundOption;
  set: string;
  extension: SetExtension;
}

/** What a rule asks of the sets it names: counter tests of `-m set`, `--timeout` of `-j SET --add-set`. */
function asks(cmd: Command): Ask[] {
  const rule = cmd.rule;
  if (!rule || !(cmd.kind === 'append' || cmd.kind === 'insert' || cmd.kind === 'replace')) return [];
  const out: Ask[] = [];
  for (const m of rule.matches) {
    if (m.name !== 'set') continue;
    const name = m.options.find((o) => o.name === '--match-set')?.values[0];
    if (!name || name.dynamic) continue;
    for (const o of m.options) if (COUNTER_TESTS.has(o.name)) out.push({ option: o, set: name.value, extension: 'counters' });
  }
  const t = rule.target;
  if (t?.name === 'SET') {
    const add = t.options.find((o) => o.name === '--add-set')?.values[0];
    const timeout = t.options.find((o) => o.name === '--timeout');
    if (add && !add.dynamic && timeout) out.push({ option: timeout, set: add.value, extension: 'timeout' });
  }
  return out;
}

/** `created`: the script's create, pointed to; or where the ipset file says it is. */
function report(ctx: RuleContext, a: Ask, where: string, created?: Span): void {
  const written = a.option.item.written;
  ctx.report({
    span: a.option.item.nameSpan,
    message: a.extension === 'timeout'
      ? `${written} is ignored: set ${a.set} is created without timeout support (${where}), so the addresses this rule adds stay in it until it is flushed. Create it with timeout (ipset create ${a.set} … timeout 0 lets each entry have its own).`
      : `${written} is ignored: set ${a.set} is created without counters (${where}), so the test holds for every entry and the rule matches whatever the set matches. Create it with counters.`,
    ...(created ? { related: [{ span: created, message: `${a.set} is created here without ${a.extension === 'timeout' ? 'timeout' : 'counters'}` }] } : {}),
  });
}

export const setOptionIgnored: LintRule = {
  code: 'set-option-ignored',
  severity: 'warning',
  summary: 'A `-j SET --add-set … --timeout` or a `-m set` counter test (`--packets-gt`…) on a set created without timeout or counters: the kernel takes the rule and ignores the option.',
  docs: {
    description: 'Reports the SET target\'s `--timeout` where the set it adds to is created without timeout support, and the set match\'s counter tests (`--packets-eq/lt/gt`, `--bytes-eq/lt/gt`) where the set is created without `counters`: in a script, the set as the script\'s `ipset create` made it before the rule (an `ipset restore` here-document included); in a save file, the set of the ipset file restored before it at boot, when one lies beside it (see undefined-set). Sets the script does not create are not judged.',
    rationale: 'Measured with iptables 1.8.9 and ipset 7.17 in a network namespace: the kernel accepts both rules. `--timeout 3600` on a set made without `timeout` adds the address for good, so a temporary ban becomes permanent and the set grows without end; `--packets-gt 2` on a set made without `counters` matched all six packets of a test (the entry\'s counter is not kept, the test is skipped), so a rule meant for heavy senders hits every address in the set.',
    bad: { dialect: 'script', text: 'ipset create scanners hash:ip\niptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src --timeout 3600\n' },
    good: { dialect: 'script', text: 'ipset create scanners hash:ip timeout 0\niptables -A INPUT -p tcp --dport 23 -j SET --add-set scanners src --timeout 3600\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    if (rs.dialect === 'save') {
      const ws = ctx.settings.workspaceSets;
      if (!ws) return;
      const file = ws.file.slice(ws.file.lastIndexOf('/') + 1);
      const sets = new Map(ws.sets.map((s) => [s.name, s]));
      for (const cmd of commandsAsRun(rs)) {
        for (const a of asks(cmd)) {
          const set = sets.get(a.set);
          if (set && !set.extensions?.includes(a.extension)) report(ctx, a, `${file} beside this file creates it`);
        }
      }
      return;
    }
    const sets = rs.ipsets;
    if (!sets?.length) return;
    eachRuleAfterSets(rs, sets, (cmd, upto) => {
      for (const a of asks(cmd)) {
        const state = stateAt(rs, sets, upto, a.set, cmd.rule?.guard ?? 0);
        if (state.kind === 'created' && !state.by.extensions?.includes(a.extension)) report(ctx, a, 'by the script', state.by.span);
      }
    });
  },
};
