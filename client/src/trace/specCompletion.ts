import type { PacketFieldsResult } from '../../../server/src/lsp/traceProtocol.ts';

/**
 * Completion of the packet SPEC being typed: keys while a word has no `=` yet, then the
 * values the server found in the document for that key. What is valid is the server's
 * call (iptables/checkPacket); this only proposes text.
 */
export interface SpecCompletion {
  label: string;
  detail?: string;
  /** The whole input after choosing it. */
  value: string;
}

export function specCompletions(value: string, fields: PacketFieldsResult | undefined): SpecCompletion[] {
  if (!fields) return [];
  const cut = value.search(/\S*$/);
  const before = value.slice(0, cut);
  const word = value.slice(cut);
  const used = new Set([...before.matchAll(/(\S+?)=/g)].map((m) => m[1]));
  const eq = word.indexOf('=');
  if (eq < 0) {
    return fields.keys
      .filter((k) => k.key.startsWith(word) && !used.has(k.key))
      .map((k) => ({ label: `${k.key}=`, detail: k.detail, value: `${before}${k.key}=` }));
  }
  const key = word.slice(0, eq);
  const typed = word.slice(eq + 1);
  // own keys only: the user types the key (`constructor=` is no field)
  const values = Object.hasOwn(fields.values, key) ? ((fields.values as Record<string, string[] | undefined>)[key] ?? []) : [];
  // `local` takes a comma-separated list: complete its last item
  const comma = key === 'local' ? typed.lastIndexOf(',') + 1 : 0;
  const head = typed.slice(0, comma);
  const item = typed.slice(comma);
  const already = new Set(head.split(',').filter(Boolean));
  return values
    .filter((v) => v.toLowerCase().startsWith(item.toLowerCase()) && v !== item && !already.has(v))
    .map((v) => ({ label: `${key}=${head}${v}`, value: `${before}${key}=${head}${v} ` }));
}
