import { tables } from '../knowledge/index.ts';

/**
 * The built-in chains each table has (its hooks), from the knowledge base. Looked up by table
 * names as written, so it has no prototype: `*valueOf` or `-t constructor` is a table without
 * built-in chains, not Object.prototype's function.
 */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = Object.assign(Object.create(null) as Record<string, readonly string[]>, Object.fromEntries(tables.map((t) => [t.name, t.chains])));

export function isBuiltinChain(table: string, chain: string): boolean {
  return BUILTIN_CHAINS[table]?.includes(chain) ?? false;
}
