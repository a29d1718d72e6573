import { isBuiltinChain } from '../model/builtinChains.ts';
import type { RuleSet } from '../model/types.ts';
import type { Span } from '../text/span.ts';

/** Token kinds, in the order of the LSP legend (standard types, so every theme colours them). */
export const semanticTokenTypes = ['namespace', 'enumMember', 'function', 'keyword', 'type', 'parameter'] as const;
export type SemanticKind = 'table' | 'builtinChain' | 'userChain' | 'target' | 'match' | 'option';
const KIND_INDEX: Record<SemanticKind, number> = { table: 0, builtinChain: 1, userChain: 2, target: 3, match: 4, option: 5 };

export interface SemanticToken {
  span: Span;
  type: number;
}

/**
 * Colours by meaning: tables, built-in chains, user chains, targets, matches and option
 * names, in save files and in the iptables commands of shell scripts alike.
 */
export function semanticTokens(rs: RuleSet): SemanticToken[] {
  const out: SemanticToken[] = [];
  const push = (span: Span | undefined, kind: SemanticKind) => {
    if (span && span.end > span.start) out.push({ span, type: KIND_INDEX[kind] });
  };
  for (const t of rs.tables.values()) {
    for (const s of t.spans) push(s, 'table');
    for (const c of t.chains.values()) for (const d of c.declarations) push(d.span, c.builtin ? 'builtinChain' : 'userChain');
  }
  for (const cmd of rs.commands) {
    if (rs.dialect === 'script' && cmd.tableSpan) push(cmd.tableSpan, 'table');
    for (const item of cmd.args.items) push(item.nameSpan, 'option');
    if (cmd.chainWord && !cmd.chainWord.dynamic && cmd.kind !== 'new-chain') push(cmd.chainWord.span, isBuiltinChain(cmd.table, cmd.chainWord.value) ? 'builtinChain' : 'userChain');
    if (cmd.kind === 'new-chain' && cmd.chainWord) push(cmd.chainWord.span, 'userChain');
    const rule = cmd.rule;
    if (!rule) continue;
    for (const m of rule.matches) if (!m.implicit) push(m.span, 'match');
    if (rule.target) push(rule.target.span, rule.target.spec ? 'target' : 'userChain');
  }
  out.sort((a, b) => a.span.start - b.span.start);
  // overlapping spans (a heredoc table header seen twice) would confuse clients
  return out.filter((t, i) => i === 0 || t.span.start >= out[i - 1].span.end);
}
