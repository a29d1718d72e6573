import type { Command } from '../model/types.ts';

/**
 * Commands that change what a chain holds: on a chain another program writes, managed-chain-edited
 * reports them (and undefined-chain leaves them to it).
 */
export const CHAIN_EDITS: ReadonlySet<Command['kind']> = new Set<Command['kind']>(['append', 'insert', 'replace', 'delete', 'flush', 'delete-chain', 'rename-chain']);
