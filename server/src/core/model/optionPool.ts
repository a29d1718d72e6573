import { genericOptions, implicitMatchForProtocol, matches, targets } from '../knowledge/index.ts';
import type { ExtensionSpec, Family, GenericOptionSpec, OptionSpec } from '../knowledge/types.ts';

/**
 * Option lookup the way iptables' getopt_long sees it: the generic options plus those of
 * the extensions loaded so far; an exact spelling wins, otherwise a unique prefix.
 */

const genericByName = new Map<string, GenericOptionSpec>();
const genericByShort = new Map<string, GenericOptionSpec>();
for (const o of genericOptions) {
  for (const n of [o.name, ...(o.aliases ?? [])]) if (n.startsWith('--')) genericByName.set(n, o);
  if (o.short) genericByShort.set(o.short, o);
}

export function genericLong(name: string): GenericOptionSpec | undefined {
  return genericByName.get(name);
}

export function genericShort(letter: string): GenericOptionSpec | undefined {
  return genericByShort.get(letter);
}

const namesCache = new WeakMap<OptionSpec, string[]>();
export function optionNames(o: OptionSpec): string[] {
  let names = namesCache.get(o);
  if (!names) namesCache.set(o, (names = [o.name, ...(o.aliases ?? [])].filter((n) => n.startsWith('--'))));
  return names;
}

export function findOption(ext: ExtensionSpec, name: string): OptionSpec | undefined {
  for (const o of ext.options) if (o.name === name || o.aliases?.includes(name)) return o;
  return undefined;
}

export interface PrefixHit<T> {
  spec: OptionSpec;
  owner: T;
}

/** Unique-prefix resolution over generic options and loaded extensions (`--to`, `--dst-r`). */
export function resolvePrefix<T>(name: string, loaded: { ext: ExtensionSpec; owner: T }[]): { hit?: PrefixHit<T | 'generic'>; ambiguous?: string[] } {
  const hits = new Map<OptionSpec, { owner: T | 'generic'; spelling: string }>();
  for (const o of genericOptions) {
    for (const n of optionNames(o)) if (n.startsWith(name) && !hits.has(o)) hits.set(o, { owner: 'generic', spelling: n });
  }
  for (const { ext, owner } of loaded) {
    for (const o of ext.options) {
      for (const n of optionNames(o)) if (n.startsWith(name) && !hits.has(o)) hits.set(o, { owner, spelling: n });
    }
  }
  if (hits.size === 1) {
    const [[spec, { owner }]] = [...hits];
    return { hit: { spec, owner } };
  }
  if (hits.size > 1) return { ambiguous: [...hits.values()].map((h) => h.spelling) };
  return {};
}

const extensionsByOption = new Map<string, ExtensionSpec[]>();
for (const ext of [...matches, ...targets]) {
  for (const o of ext.options) {
    for (const n of optionNames(o)) {
      const list = extensionsByOption.get(n) ?? [];
      if (!list.includes(ext)) list.push(ext);
      extensionsByOption.set(n, list);
    }
  }
}

/** Extensions that define an option spelled exactly so: for "needs `-m X`" messages. */
export function extensionsWithOption(name: string): ExtensionSpec[] {
  return extensionsByOption.get(name) ?? [];
}

/**
 * A long option written with one dash (`-dport`): getopt reads it as a short option with the
 * rest of the word as its value (`-d port`). The long spelling meant, where one exists.
 */
export function longWithOneDash(written: string): string | undefined {
  if (written.length < 3 || written.charCodeAt(0) !== 45 || written.charCodeAt(1) === 45) return undefined;
  const long = '-' + written;
  return genericByName.has(long) || extensionsByOption.has(long) ? long : undefined;
}

/** The match `-p NAME` loads without `-m`. */
export function implicitMatchFor(protocol: string, family: Family): ExtensionSpec | undefined {
  return implicitMatchForProtocol(protocol, family);
}
