// Hover through VS Code's own provider command: what a user sees when pointing at a chain.
import * as vscode from 'vscode';
import { eventually, expect, hoverText, openExample, positionOf, type Check } from './support.ts';

async function hoverAt(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  return eventually(`a hover at ${position.line + 1}:${position.character + 1}`, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
    const text = hoverText(hovers ?? []);
    return text.includes('PREROUTING') ? text : undefined;
  });
}

function explainsPrerouting(md: string, where: string): void {
  // the chain's place in the packet's path: before routing, where DNAT rewrites the destination
  expect(/before the routing decision/i.test(md), `${where}: hover places PREROUTING before routing:\n${md}`);
  expect(/DNAT/.test(md), `${where}: hover names DNAT`);
  expect(/\[PREROUTING\]/.test(md), `${where}: hover draws the path with PREROUTING marked`);
}

export const checks: Check[] = [
  {
    name: 'hover on PREROUTING in the router script explains the chain',
    async run() {
      const doc = await openExample('port-forward-router.sh');
      explainsPrerouting(await hoverAt(doc, positionOf(doc, '-j DNAT', 'PREROUTING', 3)), 'script');
    },
  },
  {
    name: 'hover on PREROUTING in rules.v4 explains the chain',
    async run() {
      const doc = await openExample('rules.v4');
      explainsPrerouting(await hoverAt(doc, positionOf(doc, '-A PREROUTING', 'PREROUTING', 3)), 'rules.v4');
    },
  },
];
