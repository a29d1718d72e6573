// Helpers for the checks that run inside VS Code's extension host (code-server's, or a desktop
// VS Code through @vscode/test-electron). Only the `vscode` API: no test framework is loaded there.
import { appendFileSync } from 'node:fs';
import * as vscode from 'vscode';

/** One named check; `when` limits it to a trusted or an untrusted workspace run. */
export interface Check {
  name: string;
  when?: 'trusted' | 'untrusted';
  run(): Promise<void>;
}

export const extensionId = 'iptables-tools.iptables-language-support';

/** Each line goes to the extension host's console and, when the runner names one, to a file it prints. */
export function log(line: string): void {
  console.log(`[iptables suite] ${line}`);
  const file = process.env.IPTABLES_SUITE_LOG;
  if (file) appendFileSync(file, `${line}\n`);
}

export class CheckFailed extends Error {}

export function expect(ok: unknown, what: string): asserts ok {
  if (!ok) throw new CheckFailed(what);
}

/** Polls until `probe` returns a value that is not undefined (the language server answers asynchronously). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new CheckFailed(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  expect(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openExample(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** The position of `word` (its `offset`-th character) on the first line containing `lineText`. */
export function positionOf(doc: vscode.TextDocument, lineText: string | RegExp, word: string, offset = 1): vscode.Position {
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineAt(line).text;
    if (typeof lineText === 'string' ? text.includes(lineText) : lineText.test(text)) {
      const col = text.indexOf(word);
      expect(col >= 0, `'${word}' on line ${line + 1} of ${doc.fileName}`);
      return new vscode.Position(line, col + offset);
    }
  }
  throw new CheckFailed(`no line with ${String(lineText)} in ${doc.fileName}`);
}

export function lineOf(doc: vscode.TextDocument, lineText: string): number {
  return positionOf(doc, lineText, '', 0).line;
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

export function diagnosticsWith(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === code);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export function describe(diagnostics: readonly vscode.Diagnostic[]): string {
  return diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ') || 'none';
}

/** Applies `edit`, runs `body`, then restores the document's text exactly (the workspace is shared by the checks). */
export async function withEdit<T>(doc: vscode.TextDocument, edit: (e: vscode.WorkspaceEdit) => void, body: () => Promise<T>): Promise<T> {
  const original = doc.getText();
  const e = new vscode.WorkspaceEdit();
  edit(e);
  expect(await vscode.workspace.applyEdit(e), 'the edit applies');
  try {
    return await body();
  } finally {
    await restoreText(doc, original);
  }
}

/** Puts the document's text back to `original` and saves it. */
async function restoreText(doc: vscode.TextDocument, original: string): Promise<void> {
  const undo = new vscode.WorkspaceEdit();
  undo.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
  await vscode.workspace.applyEdit(undo);
  await doc.save();
}

/**
 * Runs `check` with the user setting `iptables.<key>` at `value` (the user's settings: a
 * workspace in Restricted Mode keeps its own out), then puts the setting and the document back.
 * VS Code keeps a document's outline and lenses until the document changes: `nudge` types a
 * comment at its end, so that VS Code asks the server again once the setting is in.
 */
export async function withSetting(doc: vscode.TextDocument, key: string, value: unknown, check: (nudge: () => Promise<void>) => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration('iptables');
  const before = doc.getText();
  const nudge = async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().length), '#');
    await vscode.workspace.applyEdit(edit);
  };
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    await check(nudge);
  } finally {
    await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await restoreText(doc, before);
  }
}
