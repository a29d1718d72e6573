/**
 * Token kinds, in the order of the LSP legend (standard types, so every theme colours them).
 * A module of its own: the reply to `initialize` names them, and importing them from the
 * tokens' module evaluated the knowledge base before that reply (about 10 ms of a start).
 */
export const semanticTokenTypes = ['namespace', 'enumMember', 'function', 'keyword', 'type', 'parameter'] as const;
