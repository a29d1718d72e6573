import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LspRange } from '../../../server/src/lsp/traceProtocol.ts';
import type { PathModel } from './pathModel.ts';
import { RuleHighlights } from './ruleHighlights.ts';
import { traceHtml } from './traceHtml.ts';

const isPosition = (p: unknown): p is { line: number; character: number } =>
  !!p && typeof p === 'object' && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character) && (p as { line: number }).line >= 0 && (p as { character: number }).character >= 0;

/**
 * One trace view at a time: a new trace replaces the page and the editor highlights;
 * closing the view clears them. A click on a rule in the view shows that rule in the editor.
 */
export class TraceView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private readonly highlights = new RuleHighlights();

  show(uri: vscode.Uri, model: PathModel): void {
    this.uri = uri;
    this.highlights.show(uri, model.highlights, model.branches.length);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('iptables.trace', 'Packet Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] });
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.highlights.clear();
      });
    }
    this.panel.title = `Packet Trace: ${model.certain ? model.verdict : 'uncertain'}`;
    this.panel.webview.html = traceHtml(model, { nonce: randomBytes(16).toString('base64'), cspSource: this.panel.webview.cspSource });
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  private async onMessage(m: unknown): Promise<void> {
    const msg = m as { type?: string; range?: LspRange };
    if (msg?.type !== 'reveal' || !this.uri || !isPosition(msg.range?.start) || !isPosition(msg.range?.end)) return;
    const r = msg.range!;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri!.toString());
    const editor = await vscode.window.showTextDocument(this.uri, { viewColumn: open?.viewColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.panel?.dispose();
    this.highlights.dispose();
  }
}
