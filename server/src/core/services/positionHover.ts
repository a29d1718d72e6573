import type { FirewallDocument } from '../facade.ts';
import type { Command } from '../model/types.ts';
import { POSITIONED_RULES } from '../model/tableState.ts';
import type { Span } from '../text/span.ts';

const VERB: Partial<Record<Command['kind'], string>> = { insert: '-I', replace: '-R', delete: '-D' };

/** The longest rule text quoted in full. */
const MAX_QUOTED = 160;

/**
 * Hover on the rule number of `-I CHAIN n`, `-R CHAIN n` or `-D CHAIN n`: the rule that
 * number is when the command runs, as the script has built the chain by then (see
 * RulePosition), or why that is not certain.
 */
export function positionHover(doc: FirewallDocument, cmd: Command, offset: number): { span: Span; markdown: string } | undefined {
  const verb = VERB[cmd.kind];
  const chainWord = cmd.chainWord;
  if (!verb || cmd.position === undefined || !chainWord) return undefined;
  const word = cmd.args.items.find((i) => i.values[0]?.span.start === chainWord.span.start)?.values[1];
  if (!word || offset < word.span.start || offset > word.span.end) return undefined;
  const n = cmd.position;
  const chain = chainWord.value;
  const head = `**${verb} ${chain} ${n}**: `;
  if (n === 0) return { span: word.span, markdown: `${head}rule numbers start at 1: iptables refuses 0.` };
  const p = doc.ruleSet.positions?.get(cmd);
  if (!p) {
    return {
      span: word.span,
      markdown: `${head}rule numbers count the rules ${chain} holds when the command runs, as the kernel holds them (\`iptables -L ${chain} --line-numbers\`). Which rule ${n} is here is not certain: the script does not build ${chain} from empty before this command (no flush of it above), or a rule above is added under a condition, with a shell expansion, or as more than one kernel rule (\`-s a,b\`), or ${chain} holds more than ${POSITIONED_RULES} rules then (not followed).`,
    };
  }
  const rules = `${p.length} rule${p.length === 1 ? '' : 's'}`;
  if (!p.rule) {
    const past = cmd.kind === 'insert' && n === p.length + 1 ? `the new rule goes at the end of ${chain}, which holds ${rules} then.` : `${chain} holds ${rules} then: iptables refuses rule number ${n}.`;
    return { span: word.span, markdown: head + past };
  }
  const line = doc.lines.lineOf(p.rule.span.start) + 1;
  const text = doc.read(p.rule.span.start, p.rule.span.end).replace(/\\\r?\n\s*/g, ' ');
  const quoted = `\n\n\`\`\`\n${text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text}\n\`\`\`\n\n`;
  const what = cmd.kind === 'insert' ? 'the new rule goes before' : cmd.kind === 'replace' ? 'replaces' : 'deletes';
  const rest = p.length - n;
  const plural = rest === 1 ? 'rule' : 'rules';
  const after = cmd.kind === 'insert' ? `That rule becomes rule ${n + 1}${rest ? `, and the ${rest} ${plural} after it move down one` : ''}.` : cmd.kind === 'delete' && rest ? `The ${rest} ${plural} after it move up one.` : '';
  return { span: word.span, markdown: `${head}${what} rule ${n} of ${chain} (of ${rules} then), line ${line}:${quoted}${after}`.trimEnd() };
}
