import { checkInteger, parseBigNumber } from './integers.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/**
 * Marks and other `value[/mask]` numbers: decimal, 0x hex or 0-octal, each part within the
 * field's width (32 bits for marks, 8 for TOS).
 */
export function checkMaskedValue(value: string, bits = 32, what = 'mark'): ValueProblem | undefined {
  const max = (1n << BigInt(bits)) - 1n;
  const parts = value.split('/');
  if (parts.length > 2) return error(`'${value}' has more than one '/': write value or value/mask.`);
  for (const [i, p] of parts.entries()) {
    const label = i === 0 ? 'value' : 'mask';
    if (p === '') return error(`The ${what} ${label} is missing in '${value}'.`);
    const n = parseBigNumber(p);
    if (n === undefined) return error(`'${p}' is not a number: a ${what} ${label} is decimal or 0x hex.`);
    if (n > max) return error(`${p} does not fit in the ${bits}-bit ${what}: the largest ${label} is 0x${max.toString(16)}.`);
  }
  return undefined;
}

export function checkMark(value: string): ValueProblem | undefined {
  return checkMaskedValue(value, 32, 'mark');
}

/**
 * A valid `value/mask` whose value has bits outside the mask, for a match that compares the
 * field ANDed with the mask: that can never equal the value. No fix: which of the two is
 * wrong is not known.
 */
export function maskedOutBits(value: string, what: string): ValueProblem | undefined {
  if (!value.includes('/')) return undefined;
  const [v, m] = value.split('/').map(parseBigNumber);
  if (v === undefined || m === undefined || (v & ~m) === 0n) return undefined;
  const hex = (n: bigint) => `0x${n.toString(16)}`;
  return warning(`${value} never matches: the ${what} ANDed with ${hex(m)} keeps only those bits, and ${hex(v)} has others (${hex(v & ~m)}). With !, it always matches.`);
}

/** A single number within `bits` (no mask): --and-mark, --or-tos, --ctmask... */
export function checkBits(value: string, bits = 32, what = 'value'): ValueProblem | undefined {
  if (value.includes('/')) return error(`'${value}': this option takes a single ${what}, without /mask.`, value.split('/')[0]);
  const max = (1n << BigInt(bits)) - 1n;
  return checkInteger(value, 0, max) ? error(`'${value}' is not a ${bits}-bit ${what} (0–0x${max.toString(16)}, decimal or 0x hex).`) : undefined;
}

/**
 * A name from a host file (/etc/iproute2/group, rt_realms) or `value[/mask]`. A name cannot
 * take a mask; whether the name exists is only known on the host.
 */
export function checkNameOrMark(value: string, what: string): ValueProblem | undefined {
  if (/^[0-9+]/.test(value)) return checkMaskedValue(value, 32, what);
  const [name, mask] = value.split('/');
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) return error(`'${name}' is neither a number nor a ${what} name.`);
  if (mask !== undefined) return error(`A ${what} name cannot take a mask; write the number instead of '${name}' to use /${mask}.`);
  return undefined;
}
