import { matches } from '../knowledge/index.ts';
import type { ExtensionSpec } from '../knowledge/types.ts';
import { isHostname } from '../knowledge/values/addresses.ts';
import { longWithOneDash } from '../model/optionPool.ts';
import type { Condition, Rule } from '../model/types.ts';
import type { Span } from '../text/span.ts';

/** The matches with an option that takes an address (conntrack's --ctorigsrc and the like). */
const ADDRESS_MATCHES: ReadonlySet<ExtensionSpec> = new Set(matches.filter((m) => m.options.some((o) => o.args[0]?.type === 'address' || o.args[0]?.type === 'address-list')));

/** Names every host resolves from its own hosts file, network or not. */
const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** The host names among the addresses of a value (`a.example.org,10.0.0.0/8`), masks left out. */
export function hostNames(value: string): string[] {
  // most addresses are numbers: a name has a letter past f, a dash or an underscore (see isHostname)
  if (!/[g-zG-Z_-]/.test(value)) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const slash = part.indexOf('/');
    const host = slash === -1 ? part : part.slice(0, slash);
    if (isHostname(host) && !LOCAL_NAMES.has(host.toLowerCase())) out.push(host);
  }
  return out;
}

/**
 * `-s` or `-d`: the value first, as a save line's condition makes its word only when asked (see
 * LineOption). Not a long option written with one dash (`-dport 80` is `-d port`): the syntax
 * error says what was meant, and `port` is no host anyone named.
 */
function condition<T>(c: Condition, letter: string, found: (names: string[], span: Span, arg: T) => void, arg: T): void {
  const names = hostNames(c.value);
  if (!names.length || c.word.dynamic) return;
  if (c.word.span.start === c.span.start + 2 && longWithOneDash(letter + c.word.text)) return;
  found(names, c.word.span, arg);
}

/**
 * Calls `found` for each address of the rule that holds host names, which iptables resolves
 * when it adds the rule: `-s`, `-d` and the address options of matches (values the shell
 * expands are left out). `arg` is handed on, so a caller over 100k rules makes no closure per rule.
 */
export function ruleHostNames<T>(rule: Rule, found: (names: string[], span: Span, arg: T) => void, arg: T): void {
  if (rule.source) condition(rule.source, '-s', found, arg);
  if (rule.destination) condition(rule.destination, '-d', found, arg);
  const matches = rule.matches;
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i];
    // most matches have no address option: their options are not read (a dump has 300k of them)
    if (!m.spec || !ADDRESS_MATCHES.has(m.spec)) continue;
    const options = m.options;
    for (let k = 0; k < options.length; k++) {
      const o = options[k];
      const type = o.spec?.args[0]?.type;
      if (type !== 'address' && type !== 'address-list') continue;
      const value = o.keptValue ?? (o.values.length === 1 && !o.values[0].dynamic ? o.values[0].value : undefined);
      if (value === undefined) continue;
      const names = hostNames(value);
      if (names.length) found(names, o.values[0].span, arg);
    }
  }
}
