import type { Chain, Rule } from '../model/types.ts';
import { commandIndent, commandTool, lineAfter } from './scriptLine.ts';
import type { Fix, RuleContext } from './types.ts';

/**
 * A quick fix that accepts some packets before whatever drops them in `chain`: in a save file,
 * `-A` lines at the head of the chain; in a script, `-I` commands (so they land at the head)
 * on the lines after the command that added the deciding `rule`, or set the chain's policy when
 * the policy decided, with that command's tool word and indentation. `specs`: the rule
 * specifications to accept, in the order they should end up in.
 */
export function acceptAtHead(ctx: RuleContext, chain: Chain, rule: Rule | undefined, specs: readonly string[], title: string): Fix[] {
  const rs = ctx.ruleSet;
  if (rs.dialect === 'save') {
    // a chain without rules: after its declaration line (iptables-restore takes rule lines
    // between chain lines, both nft and legacy, measured)
    const head = chain.rules[0]?.span.start;
    const declared = chain.declarations[0]?.line.end;
    if (head === undefined && declared === undefined) return [];
    const at = head !== undefined ? ctx.text.lastIndexOf('\n', head - 1) + 1 : ctx.text.indexOf('\n', declared!) + 1;
    if (at === 0) return [];
    return [{ title, edits: [{ span: { start: at, end: at }, text: specs.map((s) => `-A ${chain.name} ${s}\n`).join('') }] }];
  }
  const cmd = rs.commands.find((c) => (rule ? c.rule === rule : c.kind === 'policy' && c.chain === chain.name && c.policy?.span === chain.policySpan));
  if (!cmd) return [];
  const indent = commandIndent(ctx.text, cmd);
  const tool = commandTool(ctx.text, cmd);
  if (!tool) return [];
  const { at, newline } = lineAfter(ctx.text, cmd);
  // each -I goes to the head: the last written ends up first
  const lines = [...specs].reverse().map((s) => `${indent}${tool} -I ${chain.name} ${s}\n`).join('');
  return [{ title, edits: [{ span: { start: at, end: at }, text: (newline ? '\n' : '') + lines }] }];
}
