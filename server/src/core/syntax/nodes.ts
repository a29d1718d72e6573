import type { Span } from '../text/span.ts';

/**
 * One argument as the tool will receive it. `text` is what the source says (quotes and
 * all); `value` is the argument after the dialect's quote removal. A shell word that holds
 * an expansion (`$WAN`, `$(...)`, backticks) is `dynamic`: its value is not knowable from
 * the file, so nothing may be concluded from it.
 */
export interface Word {
  text: string;
  value: string;
  span: Span;
  quoted: boolean;
  dynamic: boolean;
  /** Written glued to its option (`--dport=22`). */
  attached?: boolean;
  /** A quote opened in the word is never closed (the shell reads on to the end of the file). */
  unterminated?: boolean;
}

/** One `[!] -x|--long [values…]` group of a rule, as the loose grammar sees it. */
export interface OptionItem {
  /** The option as written, without an attached `=value` (`--dport`, `-p`, `-nvL`). */
  written: string;
  nameSpan: Span;
  /** `! -s x` or old-style `-s ! x`. */
  negated: boolean;
  bang?: Span;
  values: Word[];
  /** From the `!` (if before) to the last value. */
  span: Span;
}

export interface SyntaxIssue {
  code: 'syntax-error' | 'missing-commit';
  message: string;
  span: Span;
  severity?: 'error' | 'warning' | 'info';
  /** The text that was meant, where the mistake says it (`-dport` for `--dport`): offered as a quick fix. */
  replace?: { span: Span; text: string };
}

/** The arguments of one iptables invocation, parsed by the shared rule grammar. */
export interface ArgList {
  items: OptionItem[];
  /** Words that belong to no option (before the first option, or a lone `!`). */
  strays: Word[];
  issues: SyntaxIssue[];
  span: Span;
}

// ── iptables-save / iptables-restore lines ──────────────────────────────────────

export interface Counters {
  packets: string;
  bytes: string;
  span: Span;
}

export type SaveLine =
  | { kind: 'blank'; span: Span }
  | { kind: 'comment'; span: Span; text: string }
  | { kind: 'table'; span: Span; name: Word; extra: Word[] }
  | { kind: 'chain'; span: Span; name: Word; policy?: Word; counters?: Word; extra: Word[] }
  | { kind: 'commit'; span: Span; extra: Word[] }
  | { kind: 'rule'; span: Span; counters?: Counters; args: ArgList };

export interface SaveLineResult {
  line: SaveLine;
  issues: SyntaxIssue[];
}
