import type { Family, OptionSpec } from './types.ts';
import { checkValue } from './values/index.ts';

/**
 * Whether the values of option `from` mean the same written for `to`, its counterpart in the
 * other family (`family`, the one `to` belongs to): values of the same type do (a TTL is a hop
 * limit), names do where the other type knows them (echo-request), numbers of different types
 * do not (ICMP type 8 is a ping, ICMPv6 type 8 is none).
 */
export function carriesOver(from: OptionSpec, to: OptionSpec, values: readonly string[], family: Family): boolean {
  if (!values.length || values.length > to.args.length) return false;
  return values.every((v, i) => {
    const arg = to.args[i];
    const same = from.args[i]?.type === arg.type;
    return (same || /^[a-z]/i.test(v)) && !checkValue(arg.type, v, { family, arg });
  });
}
