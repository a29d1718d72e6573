import type { ChainDeclaration, ReplacedBlock, RuleSet, Table } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import { lineEnd, lineStart } from '../moveBefore.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

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
    const report = (b: ReplacedBlock, file: RuleSet) => {
      const what = [b.rules ? `${b.rules} rule${b.rules === 1 ? '' : 's'}` : '', b.chains ? `${b.chains} user chain${b.chains === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ');
      const t = file.tables.get(`${b.family}:${b.table}`);
      const earlier = t && blockPlace(ctx, b.earlier, b.earlierCommit);
      const later = t && blockPlace(ctx, b.header, b.commit);
      const reset = t && earlier && later ? policiesReset(t, earlier, later) : [];
      // built-in chains have ACCEPT or DROP: what is reset was DROP
      const them = reset.length > 1;
      const policies = reset.length
        ? `; iptables-nft also sets ${reset.map((r) => r.chain).join(' and ')} back to the policy ACCEPT (DROP in the block before: this block has no chain line for ${them ? 'them' : 'it'}, and iptables-legacy keeps DROP)`
        : '';
      ctx.report({
        span: b.header,
        message: `A second *${b.table} block: iptables-restore empties the ${b.table} table again here${what ? `, and the ${what} of the block before ${b.rules + b.chains === 1 ? 'is' : 'are'} lost` : ''}${policies}. Merge the blocks, or load the file with --noflush.`,
        related: [{ span: b.earlier, message: `the earlier *${b.table} block` }, ...reset.map((r) => ({ span: r.span, message: `${r.chain}'s DROP policy, which iptables-nft resets at the later block` }))],
        fixes: t && earlier && later ? mergeFix(ctx, file, t, earlier, later) : undefined,
      });
    };
    for (const b of rs.replacedBlocks ?? []) report(b, rs);
    for (const input of rs.restores ?? []) for (const b of input.ruleSet.replacedBlocks ?? []) report(b, input.ruleSet);
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

/** Where a table block's lines are: its `*table` line, the line after it, its COMMIT line and the line after that. */
interface BlockPlace {
  start: number;
  body: number;
  commit: number;
  next: number;
}

/**
 * The lines of the block whose `*table` line holds `header`, closed by the COMMIT line
 * holding `commit`; none where it is left open. Read in small pieces through the context:
 * right after an edit, reading the whole text would copy it, and this runs after every
 * keystroke.
 */
function blockPlace(ctx: RuleContext, header: Span, commit: Span | undefined): BlockPlace | undefined {
  if (!commit) return undefined;
  return { start: lineStart(ctx, header.start), body: nextLine(ctx, header.end), commit: lineStart(ctx, commit.start), next: nextLine(ctx, commit.end) };
}

/** Where the line after the one holding `offset` starts (the text's end after its last line). */
function nextLine(ctx: RuleContext, offset: number): number {
  const { end, newline } = lineEnd(ctx, offset);
  return newline ? end + 1 : end;
}

const inBlock = (d: ChainDeclaration, b: BlockPlace) => d.line.start >= b.start && d.line.start < b.next;

/**
 * The built-in chains the block before gave a policy other than ACCEPT and this block has no
 * line for: iptables-nft gives them ACCEPT again at this block, iptables-legacy keeps the
 * policy (measured with 1.8.9 in a namespace). The model keeps it, as legacy does.
 */
function policiesReset(t: Table, earlier: BlockPlace, later: BlockPlace): { chain: string; span: Span }[] {
  const out: { chain: string; span: Span }[] = [];
  for (const c of t.chains.values()) {
    if (!c.builtin || c.declarations.some((d) => inBlock(d, later))) continue;
    // the last line of a chain in the block before holds
    const last = c.declarations.filter((d) => inBlock(d, earlier)).at(-1);
    if (last?.policy && last.policy.value !== 'ACCEPT') out.push({ chain: c.name, span: last.span });
  }
  return out;
}

/**
 * Moves the later block's lines into the earlier one, before its COMMIT, and removes the later
 * block: the rules of both load. A user chain's line the earlier block has is left out (a
 * second line in one block makes the legacy iptables-restore refuse the file, and iptables-nft
 * empties the chain there, as both do under `--noflush`), so such a chain keeps the rules of
 * both blocks; a built-in chain's second line sets its policy again, which both take, the later
 * one holding. Not meaning-preserving: the earlier block's rules, lost so far, load.
 *
 * Blocks one after the other (two dumps put in one file) are merged where they are, by
 * removing the earlier COMMIT line and the later `*table` line: the later block's lines are
 * not copied, as a kube-proxy dump's block is 15 MB and the fix is made at each keystroke.
 */
function mergeFix(ctx: RuleContext, file: RuleSet, t: Table, earlier: BlockPlace, later: BlockPlace): Fix[] {
  // the later block's lines to leave out, from their line's start to the next line's
  const left: Span[] = [];
  for (const c of t.chains.values()) {
    if (c.builtin || !c.declarations.some((d) => inBlock(d, earlier))) continue;
    for (const d of c.declarations) {
      if (d.line.start >= later.body && d.line.start < later.commit) left.push({ start: lineStart(ctx, d.line.start), end: nextLine(ctx, d.line.end) });
    }
  }
  left.sort((a, b) => a.start - b.start);
  const title = `Merge this block into the *${t.name} block above (the rules of both load)`;
  const between = [...file.tables.values()].some((other) => other.spans.some((h) => h.start > earlier.next && h.start < later.start));
  if (!between) {
    return [{ title, edits: [{ span: { start: earlier.commit, end: earlier.next }, text: '' }, { span: { start: later.start, end: later.body }, text: '' }, ...left.map((span) => ({ span, text: '' }))] }];
  }
  let moved = '';
  let at = later.body;
  for (const l of left) {
    moved += ctx.read(at, l.start);
    at = l.end;
  }
  moved += ctx.read(at, later.commit);
  return [
    {
      title,
      edits: [
        { span: { start: earlier.commit, end: earlier.commit }, text: moved },
        { span: { start: later.start, end: later.next }, text: '' },
      ],
    },
  ];
}
