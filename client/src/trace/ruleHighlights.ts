import * as vscode from 'vscode';
import type { Highlight } from './pathModel.ts';

/**
 * The deciding rules of the current trace, highlighted in every editor showing the traced
 * document (also editors opened later), until the trace view closes or another trace runs.
 */
export class RuleHighlights implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.wordHighlightStrongBackground'),
    borderWidth: '0 0 0 3px',
    borderStyle: 'solid',
    borderColor: new vscode.ThemeColor('editorInfo.foreground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground') },
  });
  private uri: string | undefined;
  private options: vscode.DecorationOptions[] = [];
  private readonly watch = vscode.window.onDidChangeVisibleTextEditors((editors) => this.apply(editors));

  show(uri: vscode.Uri, highlights: Highlight[], branches: number): void {
    this.clear();
    this.uri = uri.toString();
    this.options = highlights.map((h) => ({
      range: new vscode.Range(h.range.start.line, h.range.start.character, h.range.end.line, h.range.end.character),
      hoverMessage: `Packet trace: decides in ${branches > 1 ? `branch ${h.branches.join(', ')} of ${branches}` : 'the trace'} (${h.label})`,
      renderOptions: { after: { contentText: `◀ trace: ${h.label}` } },
    }));
    this.apply(vscode.window.visibleTextEditors);
  }

  clear(): void {
    const uri = this.uri;
    this.uri = undefined;
    this.options = [];
    for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === uri) e.setDecorations(this.type, []);
  }

  private apply(editors: readonly vscode.TextEditor[]): void {
    if (!this.uri) return;
    for (const e of editors) if (e.document.uri.toString() === this.uri) e.setDecorations(this.type, this.options);
  }

  dispose(): void {
    this.clear();
    this.watch.dispose();
    this.type.dispose();
  }
}
