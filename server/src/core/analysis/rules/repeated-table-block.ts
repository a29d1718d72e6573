import { isBuiltinChain } from '../../model/builtinChains.ts';
import type { ReplacedBlock } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import type { Fix, LintRule } from '../types.ts';

export const repeatedTableBlock: LintRule = {
  code: 'repeated-table-block',
  severity: 'warning',
  summary: 'A second `*table` block for the same table in a file iptables-restore loads without `--noflush`, or a script\'s restore of a table it filled above: it empties the table again, and the rules before are lost.',
  docs: {
    description: 'Reports a `*filter` (or `*nat`, …) line for a table an earlier block of the same input already filled, where the input is loaded without `--noflush`: a save file (ufw\'s rules files excepted, which ufw loads with `iptables-restore -n`), or a script\'s `iptables-restore` here-document without `-n`. iptables-restore empties a table at the start of each of its blocks, its user chains included (iptables 1.8.9, legacy and nft alike), so only the last block\'s rules and chains are loaded. The analyses read the file the same way: the earlier block\'s rules are not in the tables they check. A built-in chain the block before gave the policy DROP and the later block has no line for is named too: iptables-nft sets it back to ACCEPT there, iptables-legacy keeps DROP (the analyses follow legacy). Blocks of different tables are independent, and with `--noflush` blocks add up. In a script, an `iptables-restore` here-document without `-n` at the top level is such a block too: it is reported where it names a table holding rules the script certainly added above it (not under a condition), which it empties. The quick fix moves a block\'s lines into the block above it, before its COMMIT, leaving out the lines of user chains that block already declares: the rules of both blocks load (a chain declared in both keeps the rules of both, where `--noflush` would empty it at its second line).',
    rationale: 'Two rule sets concatenated into one file (`cat base.rules docker.rules > rules.v4`) load without an error, and the first set is silently gone: the host runs with half its firewall.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // `end`: where the input ends (a here-document's closing line)
    const report = (b: ReplacedBlock, end: number) => {
      const what = [b.rules ? `${b.rules} rule${b.rules === 1 ? '' : 's'}` : '', b.chains ? `${b.chains} user chain${b.chains === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ');
      const reset = policiesReset(ctx.text, b, end);
      // built-in chains have ACCEPT or DROP: what is reset was DROP
      const them = reset.length > 1;
      const policies = reset.length
        ? `; iptables-nft also sets ${reset.map((r) => r.chain).join(' and ')} back to the policy ACCEPT (DROP in the block before: this block has no chain line for ${them ? 'them' : 'it'}, and iptables-legacy keeps DROP)`
        : '';
      ctx.report({
        span: b.header,
        message: `A second *${b.table} block: iptables-restore empties the ${b.table} table again here${what ? `, and the ${what} of the block before ${b.rules + b.chains === 1 ? 'is' : 'are'} lost` : ''}${policies}. Merge the blocks, or load the file with --noflush.`,
        related: [{ span: b.earlier, message: `the earlier *${b.table} block` }, ...reset.map((r) => ({ span: r.span, message: `${r.chain}'s DROP policy, which iptables-nft resets at the later block` }))],
        fixes: mergeFix(ctx.text, b, end),
      });
    };
    for (const b of rs.replacedBlocks ?? []) report(b, ctx.text.length);
    for (const input of rs.restores ?? []) for (const b of input.ruleSet.replacedBlocks ?? []) report(b, input.body.end);
    // a script's restore empties a table its commands filled above (a function called twice restores twice: once)
    const seen = new Set<number>();
    for (const r of rs.restoresReplacing ?? []) {
      if (seen.has(r.header.start)) continue;
      seen.add(r.header.start);
      ctx.report({
        span: r.header,
        message: `This iptables-restore empties the ${r.table} table (no --noflush): the ${r.rules} rule${r.rules === 1 ? '' : 's'} the script added to it above ${r.rules === 1 ? 'is' : 'are'} lost. Put them in the input, add them after it, or restore with --noflush.`,
      });
    }
  },
};

/** A line of the text: where it starts, where the next begins, and what it holds without its line break. */
interface TextLine {
  start: number;
  next: number;
  text: string;
}

function lineAt(text: string, start: number): TextLine {
  const nl = text.indexOf('\n', start);
  const end = nl === -1 ? text.length : nl;
  return { start, next: nl === -1 ? text.length : nl + 1, text: text.slice(start, end).replace(/\r$/, '') };
}

/**
 * The lines of the block whose `*table` line holds `header`, up to its COMMIT line (given last);
 * none where another `*table` line or the end of the input comes first (a block left open).
 */
function blockLines(text: string, header: number, end: number): TextLine[] | undefined {
  const out: TextLine[] = [];
  let line = lineAt(text, text.lastIndexOf('\n', header - 1) + 1);
  for (;;) {
    out.push(line);
    if (line.text.trim() === 'COMMIT') return out;
    if (line.next >= end) return undefined;
    line = lineAt(text, line.next);
    if (line.text.trimStart().startsWith('*')) return undefined;
  }
}

/**
 * The built-in chains the block before gave a policy other than ACCEPT and this block has no
 * line for: iptables-nft gives them ACCEPT again at this block, iptables-legacy keeps the
 * policy (measured with 1.8.9 in a namespace). The model keeps it, as legacy does.
 */
function policiesReset(text: string, b: ReplacedBlock, end: number): { chain: string; span: Span }[] {
  const earlier = blockLines(text, b.earlier.start, end);
  const later = blockLines(text, b.header.start, end);
  if (!earlier || !later) return [];
  const chainLines = (lines: TextLine[]) =>
    lines.flatMap((l) => {
      const m = /^(\s*:)(\S+)\s+(\S+)/.exec(l.text);
      return m && isBuiltinChain(b.table, m[2]) ? [{ chain: m[2], policy: m[3], span: { start: l.start + m[1].length, end: l.start + m[1].length + m[2].length } }] : [];
    });
  const declaredLater = new Set(chainLines(later).map((c) => c.chain));
  // the last line of a chain in the block before holds
  const last = new Map<string, { chain: string; policy: string; span: Span }>();
  for (const c of chainLines(earlier)) if (!declaredLater.has(c.chain)) last.set(c.chain, c);
  return [...last.values()].filter((c) => c.policy !== 'ACCEPT').map(({ chain, span }) => ({ chain, span }));
}

/**
 * Moves the later block's lines into the earlier one, before its COMMIT, and removes the later
 * block: the rules of both load. A user chain's line the earlier block has is left out (a
 * second line in one block makes the legacy iptables-restore refuse the file, and iptables-nft
 * empties the chain there, as both do under `--noflush`), so such a chain keeps the rules of
 * both blocks; a built-in chain's second line sets its policy again, which both take, the later
 * one holding. Not meaning-preserving: the earlier block's rules, lost so far, load.
 */
function mergeFix(text: string, b: ReplacedBlock, end: number): Fix[] | undefined {
  const earlier = blockLines(text, b.earlier.start, end);
  const later = blockLines(text, b.header.start, end);
  if (!earlier || !later) return undefined;
  const chainName = (line: TextLine) => /^\s*:(\S+)/.exec(line.text)?.[1];
  const declared = new Set(earlier.map(chainName).filter((n) => n !== undefined && !isBuiltinChain(b.table, n)));
  const body = later.slice(1, -1).filter((line) => !declared.has(chainName(line) ?? ''));
  const moved = body.map((line) => text.slice(line.start, line.next)).join('');
  const commit = earlier[earlier.length - 1].start;
  const last = later[later.length - 1];
  return [
    {
      title: `Merge this block into the *${b.table} block above (the rules of both load)`,
      edits: [
        { span: { start: commit, end: commit }, text: moved },
        { span: { start: later[0].start, end: last.next }, text: '' },
      ],
    },
  ];
}
