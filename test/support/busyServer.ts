import type { LspClient, LspPosition } from './lspClient.ts';

/**
 * For tests of what one big document makes the server do to the others: a small rules file
 * opened beside it and judged, and a hover on it (answered at once by a free server).
 */
export async function smallFileBeside(client: LspClient, folder: string): Promise<{ uri: string; hover: () => Promise<unknown> }> {
  const uri = `file:///tmp/${folder}/small.rules`;
  await client.open(uri, 'iptables-save', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  await client.diagnosticsOf(uri);
  return { uri, hover: () => client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } }) };
}

/** The editor's position of `offset` in `text` (line breaks are `\n`). */
export function positionAt(text: string, offset: number): LspPosition {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - lineStart };
}
