/**
 * What the VS Code client and the language server agree on for the chain lenses. The lens
 * of a chain that is jumped to runs the client command with `[uri, position]` (the chain's
 * name on its declaration); the command asks the server for the jumps and gotos and shows
 * them in the editor's references view.
 */
export const SHOW_CHAIN_REFERENCES_COMMAND = 'iptables.showChainReferences';
export const CHAIN_REFERENCES_REQUEST = 'iptables/chainReferences';

export interface ChainReferencesParams {
  uri: string;
  position: { line: number; character: number };
}
