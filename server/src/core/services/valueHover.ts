import type { ArgSpec, Family } from '../knowledge/types.ts';
import { valueCompletions } from '../knowledge/values/index.ts';

/** What each item of an enumerated value means (`ESTABLISHED,RELATED`, `SYN,ACK`, `echo-request`). */
export function valueHover(arg: ArgSpec, value: string, family: Family = 'ipv4'): string | undefined {
  const known = valueCompletions(arg.type, { family, arg });
  if (!known.length) return undefined;
  const lines: string[] = [];
  for (const part of value.split(',')) {
    const hit = known.find((k) => k.label === part) ?? known.find((k) => k.label.toLowerCase() === part.toLowerCase());
    if (hit) lines.push(`**${hit.label}** — ${hit.detail}`);
  }
  return lines.length ? lines.join('\n\n') : undefined;
}
