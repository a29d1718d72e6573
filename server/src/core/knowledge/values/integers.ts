/**
 * Numbers the way iptables reads them (strtoul with base 0): decimal, `0x` hex, or octal
 * with a leading `0`; an optional `+`, never a `-`. `08` is not a number (bad octal).
 */

const NUMBER = /^\+?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;

/** The value as a bigint (marks and quotas reach 2^64), or undefined when it is no number. */
export function parseBigNumber(s: string): bigint | undefined {
  if (!NUMBER.test(s)) return undefined;
  const t = s.startsWith('+') ? s.slice(1) : s;
  if (/^0[xX]/.test(t)) return BigInt(t);
  if (t.length > 1 && t.startsWith('0')) return BigInt(`0o${t.slice(1)}`);
  return BigInt(t);
}

/** The value as a number; only for values known to be small. */
export function parseNumber(s: string): number | undefined {
  const b = parseBigNumber(s);
  return b === undefined ? undefined : Number(b);
}

export const U16 = 65535;
export const U32 = 4294967295;
export const U64 = 18446744073709551615n;

function why(s: string): string {
  if (s === '') return 'A number is missing.';
  if (/^-/.test(s)) return `'${s}' is negative; only numbers from 0 up are allowed.`;
  if (/^0[0-9]+$/.test(s)) return `'${s}' is read as octal (leading 0) and has a digit 8 or 9: write it without the leading zero.`;
  if (/^\d+\.\d+$/.test(s)) return `'${s}' is not a whole number.`;
  return `'${s}' is not a number (decimal, or hexadecimal with 0x).`;
}

/** A plain decimal of at most 15 digits without a leading zero (exact as a double), or -1. */
function smallDecimal(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15 || (n > 1 && s.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** A whole number within [min, max] (max defaults to 2^32-1). */
export function checkInteger(value: string, min: number | bigint = 0, max: number | bigint = U32): string | undefined {
  // ports, counts and most marks are plain decimals: no bigint needed (a bound above 2^53
  // rounds as a double, but no such decimal comes near it)
  const small = smallDecimal(value);
  if (small !== -1) return small < Number(min) || small > Number(max) ? `${value} is out of range: use ${min}–${max}.` : undefined;
  const n = parseBigNumber(value);
  if (n === undefined) return why(value);
  if (n < BigInt(min) || n > BigInt(max)) return `${value} is out of range: use ${min}–${max}.`;
  return undefined;
}

/**
 * `n`, `n:m`, `:m` or `n:` (an open end means the minimum or maximum). With `ordered`,
 * iptables refuses a reversed range; otherwise it swaps or accepts it.
 */
export function checkIntegerRange(value: string, min: number | bigint = 0, max: number | bigint = U32, ordered = false): string | undefined {
  const parts = value.split(':');
  if (parts.length > 2) return `'${value}' has more than one ':'; a range is first:last.`;
  if (parts.length === 2 && parts[0] === '' && parts[1] === '') return undefined;
  for (const p of parts) {
    if (p === '' && parts.length === 2) continue;
    const e = checkInteger(p, min, max);
    if (e) return /-/.test(p) && parts.length === 1 && /^\d+-\d+$/.test(p) ? `'${value}' uses '-': a range is written first:last.` : e;
  }
  if (ordered && parts.length === 2 && parts[0] !== '' && parts[1] !== '' && parseBigNumber(parts[0])! > parseBigNumber(parts[1])!) {
    return `The range ${value} is reversed: write ${parts[1]}:${parts[0]}.`;
  }
  return undefined;
}

/** A probability: a decimal from 0 to 1 (strtod syntax, so `.5` and `5e-1` pass). */
export function checkProbability(value: string): string | undefined {
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return `'${value}' is not a probability: write a decimal from 0 to 1, such as 0.25.`;
  const p = Number(value);
  return p < 0 || p > 1 ? `${value} is out of range: a probability lies between 0 and 1.` : undefined;
}

/**
 * NFQUEUE --queue-balance `first:last` (an end may be left out: 0 and 65535), first lower
 * than last, at most 65535 queues (so 0:65535 is refused).
 */
export function checkQueueRange(value: string): string | undefined {
  const m = /^([^:]*):([^:]*)$/.exec(value);
  if (!m) return `'${value}' is not a queue range: write first:last, e.g. 0:3.`;
  for (const p of [m[1], m[2]]) {
    const e = p === '' ? undefined : checkInteger(p, 0, U16);
    if (e) return e;
  }
  const a = m[1] === '' ? 0 : parseNumber(m[1])!;
  const b = m[2] === '' ? U16 : parseNumber(m[2])!;
  if (a >= b) return `In ${value} the first queue must be lower than the last.`;
  if (b - a + 1 > U16) return `${value} spans ${b - a + 1} queues; at most 65535 (write ${a}:${b - 1}).`;
  return undefined;
}

/** A prefix length, 0–32 for IPv4 and 0–128 for IPv6. */
export function checkPrefixLength(value: string, max: number): string | undefined {
  if (!/^\d+$/.test(value)) return `'${value}' is not a prefix length (0–${max}).`;
  return Number(value) > max ? `/${value} is too long a prefix: at most ${max}.` : undefined;
}
