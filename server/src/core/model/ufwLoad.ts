import type { Family } from '../knowledge/types.ts';
import { SaveDocument } from './saveDocument.ts';
import type { RuleSet } from './types.ts';
import type { Span } from '../text/span.ts';

/**
 * ufw's rules files as `ufw enable` (ufw-init's ufw_start) loads them, read from its source
 * (ufw 0.36): for each family, with `iptables-restore -n` each time, its own chains and the
 * jumps to them from INPUT, OUTPUT and FORWARD; the reject and tracking rules its default
 * policies call for; before.rules, after.rules, user.rules; the jumps into the user chains;
 * the built-in chains' policies last. A rules file alone has neither those policies nor ufw's
 * jumps, so what a packet meets in FORWARD or INPUT is only known from the whole.
 */

export type UfwRole = 'before' | 'after' | 'user';

/** What the front end found around a ufw rules file (see node/ufwFiles.ts). */
export interface UfwSurroundings {
  /** The file being checked: which of the three it is. */
  role: UfwRole;
  /**
   * /etc/default/ufw: where it was found, the forward and input policies it sets (ufw's own
   * default DROP when it sets none), and the sysctl file ufw applies when it starts
   * (IPT_SYSCTL), if any; whether it empties the built-in chains when it stops and reloads
   * (MANAGE_BUILTINS=yes).
   */
  defaults: { file: string; forwardPolicy: UfwPolicy; inputPolicy?: UfwPolicy; sysctl?: string; manageBuiltins?: true };
  /** The other rules files of the same family, as found (a missing one is loaded as empty, as ufw does after reporting it). */
  files: { role: UfwRole; file: string; text: string }[];
}

export type UfwPolicy = 'ACCEPT' | 'DROP' | 'REJECT';

/** ufw's name for a rules file (`before.rules`, `user6.rules`): its role and family. */
export function ufwRulesFile(fileName: string): { role: UfwRole; family: Family } | undefined {
  const m = /(?:^|\/)(before|after|user)(6?)\.rules$/.exec(fileName);
  return m ? { role: m[1] as UfwRole, family: m[2] ? 'ipv6' : 'ipv4' } : undefined;
}

/**
 * The settings of /etc/default/ufw that decide what it loads: the forward and input policies,
 * whether IPv6 is loaded at all, the sysctl file it applies. The file is sourced by sh; its
 * lines are `KEY="value"`.
 */
export function ufwDefaults(text: string): { forwardPolicy: UfwPolicy; inputPolicy: UfwPolicy; ipv6: boolean; sysctl?: string; manageBuiltins: boolean } {
  const values = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*([A-Z_][A-Z0-9_]*)=(?:"([^"]*)"|'([^']*)'|([^\s#;]*))/gm)) values.set(m[1], m[2] ?? m[3] ?? m[4]);
  const policy = (key: string): UfwPolicy => {
    const v = values.get(key)?.toUpperCase();
    return v === 'ACCEPT' || v === 'REJECT' ? v : 'DROP';
  };
  const sysctl = values.get('IPT_SYSCTL');
  return {
    forwardPolicy: policy('DEFAULT_FORWARD_POLICY'),
    inputPolicy: policy('DEFAULT_INPUT_POLICY'),
    ipv6: !/^(no|NO)$/.test(values.get('IPV6') ?? 'yes'),
    // ufw-init-functions compares it with "yes" as written
    manageBuiltins: values.get('MANAGE_BUILTINS') === 'yes',
    ...(sysctl ? { sysctl } : {}),
  };
}

const DIRECTIONS = ['input', 'output', 'forward'] as const;

/** ufw's primary chains, in the order ufw jumps to them from each built-in chain. */
const STAGES = ['before-logging', 'before', 'after', 'after-logging', 'reject', 'track'] as const;

/** The tables as ufw loads them, with the checked file's text at `[from, to)` of `text`. */
export interface UfwLoad {
  family: Family;
  /** Where the forward and input policies were read (/etc/default/ufw), and what they are. */
  defaultsFile: string;
  forwardPolicy: UfwPolicy;
  inputPolicy: UfwPolicy;
  text: string;
  from: number;
  to: number;
  ruleSet: RuleSet;
  /** The part of `text` an offset is in: the checked file, another rules file (its name and line), or ufw's own rules. */
  placeOf(offset: number): { file?: string; line?: number; own: boolean };
  /** Whether a span of `text` lies in the checked file's own text. */
  holds(span: Span): boolean;
  /** A span of the checked file's own text, in the file's offsets. */
  toOwn(span: Span): Span;
}

/**
 * The text ufw feeds iptables-restore for one family, the checked file's own text in its
 * place, read as one input loaded with `--noflush`. The forward and input policies are taken
 * from the defaults (DROP where unknown, as ufw ships them); OUTPUT's is left ACCEPT, which ufw
 * ships too, and only replies of SSH sessions are read there.
 */
export function ufwLoad(ownText: string, family: Family, s: UfwSurroundings): UfwLoad {
  const t = family === 'ipv6' ? '6' : '';
  const chain = (stage: string, dir: string) => `ufw${t}-${stage}-${dir}`;
  const policy = s.defaults.forwardPolicy;
  const input = s.defaults.inputPolicy ?? 'DROP';
  const parts: { text: string; file?: string; own?: boolean }[] = [];
  const ufw = (lines: string[]) => parts.push({ text: `*filter\n${lines.join('\n')}\nCOMMIT\n` });
  ufw([
    ...STAGES.flatMap((stage) => DIRECTIONS.map((dir) => `:${chain(stage, dir)} - [0:0]`)),
    ...DIRECTIONS.flatMap((dir) => STAGES.map((stage) => `-A ${dir.toUpperCase()} -j ${chain(stage, dir)}`)),
  ]);
  for (const [dir, p] of [['input', input], ['forward', policy]] as const) {
    if (p === 'REJECT') ufw([`-A ${chain('reject', dir)} -j REJECT`]);
    if (p === 'ACCEPT') ufw(['tcp', 'udp'].map((proto) => `-A ${chain('track', dir)} -p ${proto} -m conntrack --ctstate NEW -j ACCEPT`));
  }
  ufw([`:ufw${t}-logging-deny - [0:0]`, `:ufw${t}-logging-allow - [0:0]`, ...DIRECTIONS.map((dir) => `:ufw${t}-skip-to-policy-${dir} - [0:0]`), `-A ufw${t}-skip-to-policy-input -j ${input}`, `-A ufw${t}-skip-to-policy-forward -j ${policy}`]);
  const textOf = (role: UfwRole) => s.files.find((f) => f.role === role);
  for (const role of ['before', 'after', 'user'] as const) {
    if (role === 'user') ufw(['input', 'output', 'forward', 'logging-input', 'logging-output', 'logging-forward', 'limit', 'limit-accept'].map((c) => `:ufw${t}-user-${c} - [0:0]`));
    if (role === s.role) parts.push({ text: ownText, own: true });
    else {
      const f = textOf(role);
      if (f) parts.push({ text: f.text, file: f.file });
    }
    if (role === 'user') ufw(DIRECTIONS.map((dir) => `-A ${chain('before', dir)} -j ufw${t}-user-${dir}`));
  }
  // ufw sets the policies last; REJECT is a DROP policy behind the reject chain's rule
  const builtin = (p: UfwPolicy) => (p === 'REJECT' ? 'DROP' : p);
  ufw([`:INPUT ${builtin(input)} [0:0]`, `:FORWARD ${builtin(policy)} [0:0]`]);
  let text = '';
  const starts: number[] = [];
  let from = 0;
  for (const p of parts) {
    starts.push(text.length);
    if (p.own) from = text.length;
    text += p.text;
    // a file without its last newline would run into the next part's first line
    if (!p.text.endsWith('\n')) text += '\n';
  }
  const doc = new SaveDocument(text, family);
  doc.blocksAddUp = true;
  const ruleSet = doc.toRuleSet();
  return {
    family,
    defaultsFile: s.defaults.file,
    forwardPolicy: s.defaults.forwardPolicy,
    inputPolicy: input,
    text,
    from,
    to: from + ownText.length,
    ruleSet,
    holds: (span) => span.start >= from && span.end <= from + ownText.length,
    toOwn: (span) => ({ start: span.start - from, end: span.end - from }),
    placeOf(offset) {
      let i = starts.length - 1;
      while (i > 0 && starts[i] > offset) i--;
      const p = parts[i];
      if (p.own) return { own: true };
      if (!p.file) return { own: false };
      let line = 1;
      for (let at = text.indexOf('\n', starts[i]); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
      return { file: p.file, line, own: false };
    },
  };
}
