import type { Connection, InlayHint } from 'vscode-languageserver';
import { ruleNumbersIn, type RuleNumber } from '../core/services/ruleNumbers.ts';
import type { DocumentStore, OpenDocument } from './documentStore.ts';

/** What the number means and what it is for, in the hint's tooltip. */
function tooltip(n: RuleNumber): string {
  const which = n.first === n.last ? `Rule ${n.first}` : `Rules ${n.first}–${n.last}`;
  const when = n.when === 'loaded' ? 'once iptables-restore has loaded this file' : 'once this script has run';
  const split = n.first === n.last ? '' : ' (iptables adds one rule per address of `-s` and `-d`)';
  return `${which} of ${n.chain} ${when}${split}: the number \`iptables -L ${n.chain} --line-numbers\` shows, and \`-D ${n.chain} ${n.first}\`, \`-R\` and \`-I\` count.`;
}

/** Each rule's number in its chain, after `-A CHAIN` (or `-I CHAIN n`), where the file or script says it for certain (see ruleNumbersIn). */
export function registerInlayHints(connection: Connection, store: DocumentStore, shown: (doc: OpenDocument) => boolean): void {
  connection.languages.inlayHint.on((p): InlayHint[] => {
    const doc = store.get(p.textDocument.uri);
    if (!doc || !shown(doc)) return [];
    const lines = doc.model.lines;
    return ruleNumbersIn(doc.model, lines.offsetAt(p.range.start), lines.offsetAt(p.range.end)).map((n) => ({
      position: lines.positionAt(n.offset),
      label: n.first === n.last ? `#${n.first}` : `#${n.first}–${n.last}`,
      paddingLeft: true,
      tooltip: { kind: 'markdown', value: tooltip(n) },
    }));
  });
}
