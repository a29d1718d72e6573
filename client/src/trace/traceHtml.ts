import type { DiagramBranch, DiagramNode, DiagramStep, PathModel } from './pathModel.ts';
import type { LspRange } from '../../../server/src/lsp/traceProtocol.ts';

/**
 * The trace view's page, drawn from the path model only. Strict CSP: nothing remote, no
 * inline style attributes, one style block and one script, both with the page's nonce.
 * The script only turns clicks on a rule into a `reveal` message for the extension.
 */

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function rangeAttrs(r: LspRange): string {
  return `data-sl="${r.start.line}" data-sc="${r.start.character}" data-el="${r.end.line}" data-ec="${r.end.character}"`;
}

const gridCol = (col: number) => `gc${2 * col + 1}`;
const gridRow = (row: number) => `gr${row + 1}`;

function stepHtml(s: DiagramStep): string {
  const place = s.line !== undefined ? `line ${s.line}` : s.where;
  const body = `<span class="label">${escape(s.label)}</span>${place ? ` <span class="line">${escape(place)}</span>` : ''}<span class="detail">${escape(s.detail)}</span>${s.rewrite ? `<span class="rewrite">${escape(s.rewrite)}</span>` : ''}`;
  const cls = `step kind-${s.kind}`;
  return s.range ? `<button type="button" class="${cls}" ${rangeAttrs(s.range)} title="Show line ${s.line} in the editor">${body}</button>` : `<div class="${cls}">${body}</div>`;
}

function nodeHtml(n: DiagramNode, verdict: string): string {
  const decided = n.state === 'decided' ? ` <span class="verdict v-${escape(verdict)}">${escape(verdict)}</span>` : '';
  const steps = n.steps.map(stepHtml).join('');
  const note = n.note ? `<div class="note">${escape(n.note)}</div>` : '';
  return `<div class="node ${n.kind} ${n.state} ${gridCol(n.col)} ${gridRow(n.row)}"><div class="title">${escape(n.title)}${decided}</div>${note}${steps}</div>`;
}

function branchHtml(b: DiagramBranch, i: number, count: number): string {
  const where = new Map(b.nodes.map((n) => [n.id, n]));
  const arrows = b.edges.map((e) => {
    const from = where.get(e.from)!;
    const to = where.get(e.to)!;
    const glyph = from.row === to.row ? '→' : to.row < from.row ? '↗' : '↘';
    return `<div class="arrow ${e.taken ? 'taken' : 'idle'} gc${2 * from.col + 2} ${gridRow(to.row)}" aria-hidden="true">${glyph}</div>`;
  });
  const conditions = b.conditions.length
    ? `<ul class="conditions">${b.conditions.map((c) => `<li>if ${c.range ? `<button type="button" class="cond" ${rangeAttrs(c.range)}>line ${c.line}</button>` : `<span class="cond">${escape(c.where ?? 'a rule ufw writes')}</span>`} ${c.matched ? 'matches' : 'does not match'} <code>${escape(c.rule)}</code></li>`).join('')}</ul>`
    : '';
  const heading = count > 1 ? `<h2>Branch ${i + 1} of ${count}: <span class="verdict v-${escape(b.verdict)}">${escape(b.verdict)}</span></h2>` : '';
  const rewrites = b.rewrites.length ? `<p class="rewrites">NAT: ${b.rewrites.map(escape).join(', ')}</p>` : '';
  return `<section class="branch">${heading}${conditions}<div class="flow">${b.nodes.map((n) => nodeHtml(n, b.verdict)).join('')}${arrows.join('')}</div>${rewrites}</section>`;
}

function styles(): string {
  const cols = Array.from({ length: 12 }, (_, i) => `.gc${i + 1}{grid-column:${i + 1}}`).join('');
  return `${cols}.gr1{grid-row:1}.gr2{grid-row:2}
body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);background:var(--vscode-editor-background);padding:0 1em 2em}
code{font-family:var(--vscode-editor-font-family)}
.packet code{padding:2px 4px;background:var(--vscode-textCodeBlock-background)}
.verdict{font-weight:bold;padding:1px 6px;border-radius:3px;border:1px solid currentColor}
.v-ACCEPT{color:var(--vscode-testing-iconPassed,#3c3)}.v-DROP,.v-REJECT{color:var(--vscode-errorForeground)}.v-UNCERTAIN,.v-UNKNOWN{color:var(--vscode-editorWarning-foreground)}
.flow{display:grid;grid-template-rows:auto auto;gap:8px 4px;align-items:center;margin:1em 0;overflow-x:auto}
.node{border:1px solid var(--vscode-panel-border,#888);border-radius:4px;padding:6px;min-width:min-content;max-width:22em;align-self:stretch}
.node.end{border-style:dotted;text-align:center;min-width:5em;align-self:center}
.node.decision{border-radius:16px;text-align:center}
.node.decided{border:2px solid var(--vscode-errorForeground)}
.node.skipped,.node.unreached{opacity:.45;border-style:dashed}
.title{font-weight:bold;margin-bottom:4px}
.note{font-size:90%;opacity:.8;margin-bottom:4px}
.step{display:block;width:100%;text-align:left;margin:3px 0;padding:4px;border:1px solid transparent;border-radius:3px;background:var(--vscode-editor-inactiveSelectionBackground);color:inherit;font:inherit}
button.step,button.cond{cursor:pointer}
button.step:hover,button.step:focus{border-color:var(--vscode-focusBorder)}
button.cond{background:none;border:none;color:var(--vscode-textLink-foreground);padding:0;font:inherit;text-decoration:underline}
.step .label{font-weight:bold}.step .line{opacity:.8}
.step .detail{display:block;font-family:var(--vscode-editor-font-family);font-size:90%;overflow-wrap:break-word}
.step .rewrite{display:block;color:var(--vscode-textLink-foreground);overflow-wrap:break-word}
.kind-policy{font-style:italic}
.arrow{text-align:center;font-size:150%;opacity:.35}.arrow.taken{opacity:1;font-weight:bold}
.branch{border-top:1px solid var(--vscode-panel-border,#888);margin-top:1em}
h2{font-size:110%}`;
}

export function traceHtml(model: PathModel, page: { nonce: string; cspSource: string }): string {
  const { nonce } = page;
  const csp = `default-src 'none'; style-src ${page.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${page.cspSource}`;
  const n = model.branches.length;
  const summary = model.certain
    ? `<p>Verdict: <span class="verdict v-${escape(model.verdict)}">${escape(model.verdict)}</span></p>`
    : `<p>Verdict: <span class="verdict v-UNCERTAIN">uncertain</span> — some rules cannot be decided for this packet (a field is unknown or a test is not modelled). ${n} branches follow, each with what it assumes.</p>`;
  const body = model.branches.map((b, i) => branchHtml(b, i, n)).join('');
  const script = `const vscode=acquireVsCodeApi();
document.addEventListener('click',(e)=>{const el=e.target instanceof Element?e.target.closest('[data-sl]'):null;if(!el)return;
const n=(k)=>Number(el.getAttribute(k));
vscode.postMessage({type:'reveal',range:{start:{line:n('data-sl'),character:n('data-sc')},end:{line:n('data-el'),character:n('data-ec')}}});});`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Packet trace</title>
<style nonce="${nonce}">${styles()}</style>
</head><body>
<p class="packet">Packet: <code>${escape(model.packet)}</code></p>
${summary}
${body}
<script nonce="${nonce}">${script}</script>
</body></html>`;
}
