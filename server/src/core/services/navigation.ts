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
  return index.declarationsOf(ref.family, ref.table, ref.name);
}

export function referencesAt(index: ChainIndex, offset: number, includeDeclaration: boolean): ChainRef[] {
  const ref = index.at(offset);
  if (!ref) return [];
  return index.of(ref.family, ref.table, ref.name).filter((r) => includeDeclaration || r.kind !== 'declaration');
}

/** The jumps and gotos to the chain under the cursor. */
export function jumpsAt(index: ChainIndex, offset: number): ChainRef[] {
  const ref = index.at(offset);
  return ref ? index.jumpsTo(ref.family, ref.table, ref.name) : [];
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
  if (index.has(ref.family, ref.table, newName)) return { error: `A chain named ${newName} already exists in the ${ref.table} table.` };
  return { edits: index.of(ref.family, ref.table, ref.name).map((r) => r.span) };
}
