import type { UfwLoad } from '../model/ufwLoad.ts';
import { lineAfter } from './scriptLine.ts';
import type { Fix, RuleContext } from './types.ts';

/**
 * A fix in ufw's before.rules that decides forwarded traffic: `-A ufw-before-forward RULE`
 * (`MATCH -j ACCEPT`; ufw6-before-forward for IPv6) after the file's last rule of that chain
 * (ufw's own accept of replies is among them), before ufw's jump to the rules of `ufw route`.
 * None where the file has no such rule: the line would land in another file's block. `ctx`
 * reads the whole load (see RuleContext.ufw).
 */
export function ufwBeforeForward(ctx: RuleContext, load: UfwLoad, rule: string, title: string): Fix[] {
  return ufwBefore(ctx, load, 'forward', rule, title);
}

/** The same in ufw-before-input (ufw6-before-input), for traffic to the host itself: before ufw's jump to the rules of `ufw allow`. */
export function ufwBeforeInput(ctx: RuleContext, load: UfwLoad, rule: string, title: string): Fix[] {
  return ufwBefore(ctx, load, 'input', rule, title);
}

function ufwBefore(ctx: RuleContext, load: UfwLoad, dir: 'input' | 'forward', rule: string, title: string): Fix[] {
  const chain = `${load.family === 'ipv6' ? 'ufw6' : 'ufw'}-before-${dir}`;
  const own = ctx.ruleSet.tables.get(`${load.family}:filter`)?.chains.get(chain)?.rules.filter((r) => load.holds(r.span));
  const last = own?.at(-1);
  if (!last) return [];
  const { at, newline } = lineAfter(ctx.text, last);
  return [{ title: `${title} in ${chain}`, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}-A ${chain} ${rule}\n` }] }];
}
