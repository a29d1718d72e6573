import * as vscode from 'vscode';
import { isWgQuickConfig } from '../../server/src/core/model/wgQuick.ts';

/** The languages VS Code gives a `.conf` file by its extension (its ini support claims them). */
const CONF_LANGUAGES = new Set(['properties', 'ini', 'plaintext']);

/**
 * WireGuard configurations named otherwise than the patterns of package.json (`wg0.conf`, a
 * file in a `wireguard` folder) open as ini files: VS Code decides a language by the name
 * before the first line. One with an `[Interface]` section and a hook line in its first 200
 * lines is given the `wireguard` language, so the server reads its hooks.
 */
export function registerWireGuardLanguage(context: vscode.ExtensionContext): void {
  const relabel = (doc: vscode.TextDocument): void => {
    if (!CONF_LANGUAGES.has(doc.languageId) || !doc.fileName.endsWith('.conf')) return;
    const head = doc.getText(new vscode.Range(0, 0, 200, 0));
    if (isWgQuickConfig(head, doc.fileName)) void vscode.languages.setTextDocumentLanguage(doc, 'wireguard');
  };
  for (const doc of vscode.workspace.textDocuments) relabel(doc);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(relabel));
}
