import type { Family } from '../core/knowledge/types.ts';
import { BUILTIN_CHAINS } from '../core/model/builtinChains.ts';

/** One table of an iptables-save / iptables-restore text, reduced to what the kernel keeps. */
export interface SaveTable {
  name: string;
  /** Declared chains in order: built-in ones carry a policy, user chains `-`. */
  chains: { name: string; policy: string }[];
  /** `-A CHAIN …` lines without counters, in order. */
  rules: string[];
}

const TABLE_ORDER = ['raw', 'mangle', 'nat', 'filter', 'security'];
const BUILTIN_ORDER = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/**
 * Reads the tables of a save or restore text: `*table`, `:CHAIN POLICY [p:b]`, `-A` (and
 * `-I`, kept in place) rule lines, `COMMIT`. Comments, blank lines and counters are dropped.
 */
export function parseSave(text: string): SaveTable[] {
  const out: SaveTable[] = [];
  let cur: SaveTable | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      cur = { name: line.slice(1).trim(), chains: [], rules: [] };
      out.push(cur);
    } else if (!cur) continue;
    else if (line === 'COMMIT') cur = undefined;
    else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(/\s+/);
      if (name) cur.chains.push({ name, policy: policy ?? '-' });
    } else {
      const rule = line.replace(/^\[\d+:\d+\]\s+/, '');
      const declare = /^(-N|--new-chain)\s+(\S+)$/.exec(rule);
      if (declare) {
        cur.chains.push({ name: declare[2], policy: '-' });
        continue;
      }
      const insert = /^(-I|--insert)\s+(\S+)(?:\s+(\d+))?\s*(.*)$/.exec(rule);
      if (insert) {
        // -I CHAIN [n] at that position among the chain's rules so far
        const chain = insert[2];
        const own = cur.rules.map((r, i) => [r, i] as const).filter(([r]) => chainOf(r) === chain);
        const pos = Math.max(1, Number(insert[3] ?? 1));
        const at = own[pos - 1]?.[1] ?? (own.length ? own[own.length - 1][1] + 1 : cur.rules.length);
        cur.rules.splice(at, 0, `-A ${chain} ${insert[4]}`.trimEnd());
      } else cur.rules.push(rule.replace(/^--append\s/, '-A '));
    }
  }
  return out;
}

function chainOf(rule: string): string {
  return rule.split(/\s+/)[1] ?? '';
}

function tableRank(name: string): number {
  const i = TABLE_ORDER.indexOf(name);
  return i < 0 ? TABLE_ORDER.length : i;
}

/**
 * One text per rule set whatever wrote it: tables in a fixed order, built-in chains in hook
 * order then user chains sorted (iptables-save sorts them, input files need not), each
 * chain's rules together in chain order. Counters and comments are gone.
 */
export function canonicalSave(tables: SaveTable[]): string {
  const sorted = [...tables].sort((a, b) => tableRank(a.name) - tableRank(b.name) || a.name.localeCompare(b.name));
  let out = '';
  for (const t of sorted) {
    const builtin = t.chains.filter((c) => c.policy !== '-').sort((a, b) => BUILTIN_ORDER.indexOf(a.name) - BUILTIN_ORDER.indexOf(b.name));
    const user = t.chains.filter((c) => c.policy === '-').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const chains = [...builtin, ...user];
    out += `*${t.name}\n`;
    for (const c of chains) out += `:${c.name} ${c.policy}\n`;
    const seen = new Set(chains.map((c) => c.name));
    for (const c of chains) for (const r of t.rules) if (chainOf(r) === c.name) out += `${r}\n`;
    // rules of undeclared chains (an input the real iptables would refuse) stay visible
    for (const r of t.rules) if (!seen.has(chainOf(r))) out += `${r}\n`;
    out += 'COMMIT\n';
  }
  return out;
}

/** Tables named in a restore text: exactly those iptables-restore replaces. */
export function tablesNamed(text: string): string[] {
  return [...new Set(parseSave(text).map((t) => t.name))];
}

/** What the host holds after restoring `incoming` over `loaded`: named tables replaced, others kept. */
export function afterRestore(loaded: SaveTable[], incoming: SaveTable[]): SaveTable[] {
  const replaced = new Set(incoming.map((t) => t.name));
  return [...loaded.filter((t) => !replaced.has(t.name)), ...incoming];
}

/** A table with no rules, no user chains and only ACCEPT policies changes nothing. */
export function isEmptyTable(t: SaveTable): boolean {
  return !t.rules.length && t.chains.every((c) => c.policy === 'ACCEPT');
}

/** Without tables that change nothing: legacy keeps an emptied table, nf_tables removes it. */
export function withoutEmptyTables(tables: SaveTable[]): SaveTable[] {
  return tables.filter((t) => !isEmptyTable(t));
}

// Looked up by every word of a rule (a comment may say `constructor`): Maps, not plain objects
const LONG_TO_SHORT = new Map([
  ['--source', '-s'], ['--src', '-s'], ['--destination', '-d'], ['--dst', '-d'], ['--in-interface', '-i'], ['--out-interface', '-o'],
  ['--protocol', '-p'], ['--match', '-m'], ['--jump', '-j'], ['--goto', '-g'], ['--fragment', '-f'],
  ['--destination-port', '--dport'], ['--source-port', '--sport'], ['--destination-ports', '--dports'], ['--source-ports', '--sports'],
]);
const GENERIC_ORDER = ['-s', '-d', '-i', '-o', '-p', '-f'];
const PROTO_MATCH_OPTIONS = new Map([
  ['tcp', ['--dport', '--sport', '--tcp-flags', '--syn', '--tcp-option']],
  ['udp', ['--dport', '--sport']],
  ['udplite', ['--dport', '--sport']],
  ['sctp', ['--dport', '--sport', '--chunk-types']],
  ['dccp', ['--dport', '--sport', '--dccp-types', '--dccp-option']],
  ['icmp', ['--icmp-type']],
  ['ipv6-icmp', ['--icmpv6-type']],
  ['icmpv6', ['--icmpv6-type']],
]);

/** Splits a rule line into words, keeping quoted values whole. */
function words(rule: string): string[] {
  return rule.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

/**
 * An approximation of what iptables-save would print for a rule, used only when the host
 * cannot load the rules into a throwaway namespace: long generic options shortened, `/32`
 * (or `/128`) on plain addresses, the address/interface/protocol options first in
 * iptables-save's order, and the implicit `-m tcp`-style match made explicit.
 */
export function approximateSaveRule(rule: string, family: Family): string {
  const w = words(rule).map((x) => LONG_TO_SHORT.get(x) ?? x);
  if (w[0] !== '-A' || w.length < 2) return rule;
  const head = w.slice(0, 2);
  const generic = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 2; i < w.length; i++) {
    const negated = w[i] === '!' && GENERIC_ORDER.includes(w[i + 1] ?? '');
    const opt = negated ? w[i + 1] : w[i];
    if (GENERIC_ORDER.includes(opt) && !rest.some((x) => x === '-j' || x === '-g')) {
      if (opt === '-f') {
        generic.set(opt, negated ? ['!', opt] : [opt]);
        i += negated ? 1 : 0;
        continue;
      }
      let value = w[i + (negated ? 2 : 1)] ?? '';
      if ((opt === '-s' || opt === '-d') && value && !value.includes('/') && !value.includes(',')) value += family === 'ipv6' ? '/128' : '/32';
      generic.set(opt, negated ? ['!', opt, value] : [opt, value]);
      i += negated ? 2 : 1;
    } else rest.push(w[i]);
  }
  const p = generic.get('-p');
  const proto = p?.[p.length - 1];
  const protoOptions = proto === undefined ? undefined : PROTO_MATCH_OPTIONS.get(proto);
  if (proto && protoOptions && p![0] !== '!') {
    const explicit = rest.some((x, i) => x === '-m' && rest[i + 1] === proto);
    const used = rest.some((x) => protoOptions.includes(x));
    if (used && !explicit) rest.unshift('-m', proto);
  }
  return [...head, ...GENERIC_ORDER.flatMap((o) => generic.get(o) ?? []), ...rest].join(' ');
}

/** Our own normalising of a restore text, for hosts without throwaway namespaces. */
export function approximateSave(text: string, family: Family): SaveTable[] {
  return parseSave(text).map((t) => {
    const declared = new Set(t.chains.map((c) => c.name));
    const chains = [...t.chains];
    // iptables-save lists every built-in chain of a table it prints
    for (const name of BUILTIN_CHAINS[t.name] ?? []) if (!declared.has(name)) chains.push({ name, policy: 'ACCEPT' });
    return { name: t.name, chains, rules: t.rules.map((r) => approximateSaveRule(r, family)) };
  });
}

