import type { ArgSpec, ExtensionSpec, GenericOptionSpec, OptionSpec } from './types.ts';

/*
 * The knowledge modules are literals that leave out whatever does not apply, so V8 gives
 * them dozens of hidden classes. The analysis reads `spec.protocols`, `spec.family` or
 * `arg.type` for every option of every rule: with that many shapes each of those reads is
 * megamorphic. Copies written as one literal per kind, every field present and always in
 * the same order, share one shape (a literal, not keys added in a loop: an object grown key
 * by key past a dozen fields falls back to slow dictionary properties). A test checks that
 * no field of any spec is missing from these literals.
 */

export function uniformArg(a: ArgSpec): ArgSpec {
  return {
    name: a.name, type: a.type, values: a.values, min: a.min, max: a.max, maxIpv6: a.maxIpv6, overMax: a.overMax, ordered: a.ordered, optional: a.optional,
    ignoreCase: a.ignoreCase, valueDocs: a.valueDocs, serviceProtocol: a.serviceProtocol, truncateAt: a.truncateAt, fileIn: a.fileIn, maxItems: a.maxItems, comparedUnderMask: a.comparedUnderMask,
  };
}

export function uniformOption(o: OptionSpec): OptionSpec {
  return {
    name: o.name, aliases: o.aliases, args: o.args.map(uniformArg), negation: o.negation, summary: o.summary, doc: o.doc,
    example: o.example, mistakes: o.mistakes, required: o.required, excludes: o.excludes, family: o.family,
    repeatable: o.repeatable, requires: o.requires, needsByValue: o.needsByValue, after: o.after, afterValue: o.afterValue, below: o.below, atMost: o.atMost, maskOf: o.maskOf, acrossMidnight: o.acrossMidnight, averagesOver: o.averagesOver, tables: o.tables, chains: o.chains, chainsUnless: o.chainsUnless, chainsByValue: o.chainsByValue, protocols: o.protocols,
    default: o.default, deprecated: o.deprecated,
  };
}

/** Generic options carry four more fields, after the ones every option has. */
export function uniformGeneric(o: GenericOptionSpec): GenericOptionSpec {
  return { ...uniformOption(o), role: o.role, short: o.short, commands: o.commands, joinedBy: o.joinedBy };
}

export function uniformExtension(e: ExtensionSpec): ExtensionSpec {
  return {
    kind: e.kind, name: e.name, aliases: e.aliases, families: e.families, summary: e.summary, doc: e.doc, example: e.example,
    mistakes: e.mistakes, options: e.options.map(uniformOption), protocols: e.protocols, protocolFamilies: e.protocolFamilies,
    implicitForProtocol: e.implicitForProtocol, tables: e.tables, chains: e.chains, terminating: e.terminating,
    hostDependent: e.hostDependent, deprecatedBy: e.deprecatedBy, removedFromKernel: e.removedFromKernel, needsOneOf: e.needsOneOf, exclusive: e.exclusive,
    legacyTables: e.legacyTables, counterpart: e.counterpart, ignoresNegation: e.ignoresNegation, credits: e.credits,
  };
}
