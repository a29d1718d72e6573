import type { Span } from '../text/span.ts';
import { chainNameProblem, type ChainIndex, type ChainRef } from './chainIndex.ts';

export interface RenameResult {
  edits?: Span[];
  error?: string;
}

/** Where the chain under the cursor is declared (`:name` or `-N name`). */
export function definitionAt(index: ChainIndex, offset: number): ChainRef[] {
  const ref = index.at(offset);
  if (!ref) return [];
  return index.of(ref.family, ref.table, ref.name).filter((r) => r.kind === 'declaration');
}

export function referencesAt(index: ChainIndex, offset: number, includeDeclaration: boolean): ChainRef[] {
  const ref = index.at(offset);
  if (!ref) return [];
  return index.of(ref.family, ref.table, ref.name).filter((r) => includeDeclaration || r.kind !== 'declaration');
}

/** The jumps and gotos to a chain: what its lens counts and lists. */
export function jumpsTo(index: ChainIndex, family: ChainRef['family'], table: string, name: string): ChainRef[] {
  return index.of(family, table, name).filter((r) => r.kind === 'jump' || r.kind === 'goto');
}

/** The jumps and gotos to the chain under the cursor. */
export function jumpsAt(index: ChainIndex, offset: number): ChainRef[] {
  const ref = index.at(offset);
  return ref ? jumpsTo(index, ref.family, ref.table, ref.name) : [];
}

/** The chain word under the cursor, if it may be renamed. */
export function prepareRenameAt(index: ChainIndex, offset: number): { span: Span; name: string } | { error: string } | undefined {
  const ref = index.at(offset);
  if (!ref) return undefined;
  if (index.isBuiltin(ref)) return { error: `${ref.name} is a built-in chain of the ${ref.table} table and cannot be renamed.` };
  return { span: ref.span, name: ref.name };
}

export function renameAt(index: ChainIndex, offset: number, newName: string): RenameResult {
  const ref = index.at(offset);
  if (!ref) return { error: 'No chain name here.' };
  if (index.isBuiltin(ref)) return { error: `${ref.name} is a built-in chain and cannot be renamed.` };
  const problem = chainNameProblem(newName);
  if (problem) return { error: problem };
  if (index.of(ref.family, ref.table, newName).length) return { error: `A chain named ${newName} already exists in the ${ref.table} table.` };
  return { edits: index.of(ref.family, ref.table, ref.name).map((r) => r.span) };
}
