import type { ArgSpec, ExtensionSpec, OptionSpec, ValueTypeName } from './types.ts';

/**
 * Shorthand for the data files: `arg('port-range', 'port[:port]')`, `m(...)` for a match
 * option (negatable unless told otherwise) and `t(...)` for a target option (never).
 */
export function arg(type: ValueTypeName, name: string, extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name, type, ...extra };
}

export function m(name: string, args: ArgSpec[], summary: string, extra: Partial<OptionSpec> = {}): OptionSpec {
  return { name, args, negation: 'prefix', summary, ...extra };
}

/** A match option that iptables does not let you negate. */
export function mFixed(name: string, args: ArgSpec[], summary: string, extra: Partial<OptionSpec> = {}): OptionSpec {
  return { name, args, negation: 'none', summary, ...extra };
}

export function t(name: string, args: ArgSpec[], summary: string, extra: Partial<OptionSpec> = {}): OptionSpec {
  return { name, args, negation: 'none', summary, ...extra };
}

export function match(spec: Omit<ExtensionSpec, 'kind' | 'families'> & { families?: ExtensionSpec['families'] }): ExtensionSpec {
  return { kind: 'match', families: ['ipv4', 'ipv6'], ...spec };
}

export function target(spec: Omit<ExtensionSpec, 'kind' | 'families'> & { families?: ExtensionSpec['families'] }): ExtensionSpec {
  return { kind: 'target', families: ['ipv4', 'ipv6'], ...spec };
}
