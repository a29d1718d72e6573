import type { Family } from '../knowledge/types.ts';
import type { Word } from '../syntax/nodes.ts';

/** What a shell command runs, once wrappers (`sudo`, `env`, `$SUDO`…) are looked through. */
export type ToolKind = 'iptables' | 'restore' | 'ipset' | 'sysctl' | 'write' | 'tee' | 'other';

export interface ResolvedTool {
  kind: ToolKind;
  family: Family;
  /** Index of the first argument word (after the tool's own word). */
  argStart: number;
  /** Words a variable like `IPT="iptables -w"` adds before the arguments. */
  prefix: string[];
}

const IPTABLES = /^(ip6?)tables(?:-legacy|-nft)?$/;
const RESTORE = /^(ip6?)tables(?:-legacy|-nft)?-restore$/;
const MULTI = /^xtables(?:-legacy|-nft)?-multi$/;
const VAR4 = /^(?:IPT|IPTABLES|IPT4|IPTABLES4|IPV4TABLES)(?:_?CMD|_?BIN|_?PATH)?$/i;
const VAR6 = /^(?:IPT6|IP6T|IP6TABLES|IPTABLES6|IPV6TABLES)(?:_?CMD|_?BIN|_?PATH)?$/i;
const SUDO_VAR = /^(?:SUDO|DOAS|AS_ROOT)$/i;
const IPSET_VAR = /^IPSET(?:_?CMD|_?BIN|_?PATH)?$/i;
const VARREF = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

/** Variables assigned an iptables or ipset binary (`IPT=/sbin/iptables`, `IPT6=$(command -v ip6tables)`, `IPSET=/usr/sbin/ipset`). */
export type ToolVariables = Map<string, { family: Family; prefix: string[]; restore: boolean; ipset?: true }>;

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? p : p.slice(i + 1);
}

export function toolOfBinary(value: string): { kind: ToolKind; family: Family } | undefined {
  const b = basename(value);
  let m = IPTABLES.exec(b);
  if (m) return { kind: 'iptables', family: m[1] === 'ip6' ? 'ipv6' : 'ipv4' };
  m = RESTORE.exec(b);
  if (m) return { kind: 'restore', family: m[1] === 'ip6' ? 'ipv6' : 'ipv4' };
  if (b === 'ipset') return { kind: 'ipset', family: 'ipv4' };
  if (b === 'sysctl') return { kind: 'sysctl', family: 'ipv4' };
  if (b === 'echo' || b === 'printf') return { kind: 'write', family: 'ipv4' };
  if (b === 'tee') return { kind: 'tee', family: 'ipv4' };
  return undefined;
}

/** Records `NAME=value` assignments that name an iptables binary. */
export function noteAssignment(vars: ToolVariables, word: Word): void {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word.value);
  if (!m) return;
  const [, name, raw] = m;
  // `$(which iptables)`, `$(command -v ip6tables)`, "`which iptables`"
  const sub = /(?:\$\(|`)\s*(?:which|command\s+-v|type\s+-P)\s+([\w./-]+)/.exec(raw);
  const parts = (sub ? sub[1] : raw).trim().split(/\s+/);
  const tool = parts[0] ? toolOfBinary(parts[0]) : undefined;
  if (tool && (tool.kind === 'iptables' || tool.kind === 'restore')) {
    vars.set(name, { family: tool.family, prefix: sub ? [] : parts.slice(1), restore: tool.kind === 'restore' });
  } else if (tool?.kind === 'ipset') vars.set(name, { family: tool.family, prefix: sub ? [] : parts.slice(1), restore: false, ipset: true });
  else vars.delete(name);
}

function skipWrapper(words: Word[], i: number): number {
  const w = words[i].value;
  const b = basename(w);
  if (b === 'sudo' || b === 'doas') {
    i++;
    while (i < words.length && words[i].value.startsWith('-')) {
      // options with a value: -u user, -g group, -C fd, -p prompt
      if (/^-[ugCpDhrtT]$/.test(words[i].value)) i++;
      i++;
    }
    return i;
  }
  if (b === 'env') {
    i++;
    while (i < words.length && (words[i].value.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value))) i++;
    return i;
  }
  if (b === 'nice') {
    i++;
    if (words[i]?.value === '-n') i += 2;
    else if (/^-\d+$/.test(words[i]?.value ?? '')) i++;
    return i;
  }
  if (b === 'timeout') {
    i++;
    while (i < words.length && words[i].value.startsWith('-')) i++;
    return i + 1;
  }
  if (b === 'command' || b === 'exec' || b === 'nohup' || b === 'time' || b === 'builtin') return i + 1;
  const v = VARREF.exec(w);
  if (v && words[i].dynamic && SUDO_VAR.test(v[1])) return i + 1;
  return -1;
}

/** The index of the word a simple command runs, past its assignments and wrappers (`sudo`, `env`, `$SUDO`…); the words' length when there is none. */
export function commandWordAt(words: Word[]): number {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value) && !words[i].quoted) i++;
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    const next = skipWrapper(words, i);
    if (next < 0) break;
    i = next;
  }
  return i;
}

/** Finds the tool a simple command runs, or undefined for anything else. */
export function resolveTool(words: Word[], vars: ToolVariables): ResolvedTool | undefined {
  const i = commandWordAt(words);
  const w = words[i];
  if (!w) return undefined;
  if (w.dynamic) {
    const v = VARREF.exec(w.value);
    if (!v) return undefined;
    const known = vars.get(v[1]);
    if (known) return { kind: known.ipset ? 'ipset' : known.restore ? 'restore' : 'iptables', family: known.family, argStart: i + 1, prefix: known.prefix };
    if (VAR6.test(v[1])) return { kind: 'iptables', family: 'ipv6', argStart: i + 1, prefix: [] };
    if (VAR4.test(v[1])) return { kind: 'iptables', family: 'ipv4', argStart: i + 1, prefix: [] };
    if (IPSET_VAR.test(v[1])) return { kind: 'ipset', family: 'ipv4', argStart: i + 1, prefix: [] };
    return undefined;
  }
  if (MULTI.test(basename(w.value)) && words[i + 1]) {
    const inner = toolOfBinary(words[i + 1].value);
    if (inner && (inner.kind === 'iptables' || inner.kind === 'restore')) return { ...inner, argStart: i + 2, prefix: [] };
    return undefined;
  }
  const tool = toolOfBinary(w.value);
  return tool ? { ...tool, argStart: i + 1, prefix: [] } : undefined;
}
