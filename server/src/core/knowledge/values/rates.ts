import { didYouMean } from '../didYouMean.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/**
 * Rates and amounts: the limit match's `N[/unit]`, hashlimit's packet or byte rates and
 * bursts, rateest's bandwidths, RATEEST's intervals.
 */

/** The units of a rate, with their length in seconds. */
export const RATE_UNITS: readonly (readonly [string, number])[] = [['second', 1], ['minute', 60], ['hour', 3600], ['day', 86400]];

/** The unit a suffix names: any non-empty beginning of second, minute, hour or day, any case. */
export function rateUnit(suffix: string): readonly [string, number] | undefined {
  if (suffix === '') return undefined;
  return RATE_UNITS.find(([u]) => u.startsWith(suffix.toLowerCase()));
}

/**
 * limit --limit: `N[/second|/minute|/hour|/day]`, at most 10000 per second. A number alone is
 * per second (iptables 1.8.9 saves `--limit 7` as `7/sec`); 3/hour is the rate of a limit
 * match without --limit.
 */
export function checkRate(value: string): ValueProblem | undefined {
  const m = /^([^/]*)(?:\/(.*))?$/.exec(value)!;
  const [, count, suffix] = m;
  const unit = suffix === undefined ? (['second', 1] as const) : rateUnit(suffix);
  const usage = 'write N/second, N/minute, N/hour or N/day (s, m, h, d are enough)';
  if (suffix !== undefined && !unit) {
    if (suffix === '') return error(`Nothing after '/' in '${value}': ${usage}.`);
    const meant = RATE_UNITS.find(([u]) => suffix.toLowerCase().startsWith(u)) ?? RATE_UNITS.find(([u]) => didYouMean(suffix.toLowerCase(), [u]) !== undefined);
    return error(`'${suffix}' is not a time unit: ${usage}.`, meant ? `${count}/${meant[0]}` : undefined);
  }
  const int = /^\d+/.exec(count);
  if (!int || Number(int[0]) === 0) return error(`'${value}' is not a rate: ${usage}, N at least 1.`);
  if (Number(int[0]) > 10000 * unit![1]) return error(`${value} is too fast for the limit match: at most ${10000 * unit![1]}/${unit![0]} (10000 per second). Use hashlimit for higher rates.`);
  if (int[0] !== count) return warning(`iptables reads only the whole number at the start of '${count}': this rate is ${int[0]}/${unit![0]}.`, `${int[0]}${suffix === undefined ? '' : `/${suffix}`}`);
  return undefined;
}

/**
 * The limit match's average as the kernel keeps it: the time between packets in units of
 * 1/10000 second, whole (so `60/minute` is `1/second`); undefined for a rate not read here.
 */
export function storedRate(value: string): number | undefined {
  const r = readRate(value);
  return r && Math.floor((10000 * r.unit[1]) / r.count);
}

/** A limit rate as written, `N[/unit]` (a number alone is per second): its count (1 and up) and unit; undefined for one not read here. */
export function readRate(value: string): { count: number; unit: readonly [string, number] } | undefined {
  const m = /^(\d+)(?:\/(.+))?$/.exec(value);
  const unit = m && (m[2] === undefined ? RATE_UNITS[0] : rateUnit(m[2]));
  if (!m || !unit || Number(m[1]) === 0) return undefined;
  return { count: Number(m[1]), unit };
}

/** The unit a rate is written in (a number alone is per second): hashlimit keeps it with the rate (its table's expiry). */
export function writtenRateUnit(value: string): string | undefined {
  const slash = value.indexOf('/');
  return slash === -1 ? RATE_UNITS[0][0] : rateUnit(value.slice(slash + 1))?.[0];
}

/** No prototype: looked up by the unit as written (`5constructor/s` is not a unit). */
const BYTE_UNITS: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, { b: 1, kb: 1024, mb: 1024 * 1024 });

/**
 * A hashlimit rate as iptables 1.8.9 reads it (measured, both backends: `iptables -S` lists
 * what it kept): bytes where the text holds `b/s` (`512kb/s`, `1mb/sec`; a lower-case `k` or
 * `m` just before the `b` multiplies by 1024 or 1048576, any other letter by 1, so `5Kb/s` is
 * 5 bytes a second), packets otherwise, whatever letters stand before the `/`: `100KB/s`, `5kb`
 * and `1mb/m` are 100 packets a second, 5 a second and 1 a minute. Undefined for text iptables
 * does not read as a rate.
 */
function readHashlimitRate(value: string): { count: number; digits: string; letters: string; suffix: string | undefined; bytes: boolean; factor: number } | undefined {
  const m = /^(\d+)([^/]*)(?:\/(.*))?$/.exec(value);
  if (!m) return undefined;
  const [, digits, letters, suffix] = m;
  const at = value.indexOf('b/s');
  const bytes = at !== -1;
  const before = at > 0 ? value[at - 1] : '';
  return { count: Number(digits), digits, letters, suffix, bytes, factor: bytes ? (BYTE_UNITS[`${before}b`] ?? 1) : 1 };
}

const U32 = 2n ** 32n;
/** The fastest byte rate the kernel takes, 32767.99 MiB a second (see byteRateKept). */
export const FASTEST_BYTE_RATE = 34359738351n;

/**
 * What becomes of a hashlimit byte rate (its digits, times the multiplier of its unit). iptables
 * 1.8.9 reads the number as a signed 64-bit one (a larger one is taken as 2^63 − 1), multiplies
 * it in 64 bits, and keeps the rate as UINT32_MAX / (r + 1), r the rate in 16-byte units cut to
 * 32 bits: at r = 2^32 − 1 that divides by zero and iptables (and iptables-restore, --test
 * included) dies of a floating point exception; the kernel refuses the rule (Invalid argument)
 * where the kept value is 1 or less, r at least 2^31 − 1, for every tick rate (its credits come
 * to 0); a rate of 2^32 units and more wraps around to a slower one. `kept`: the rate the
 * kernel then keeps, in bytes a second (what `iptables -S` lists, in units of its choosing).
 * Measured with both backends on Linux 6.18.
 */
export function byteRateKept(digits: string, factor: number): { fate: 'crashes' | 'refused' | 'wraps' | 'kept'; kept: bigint } {
  let n = BigInt(digits);
  if (n > 2n ** 63n - 1n) n = 2n ** 63n - 1n;
  const total = (n * BigInt(factor)) % 2n ** 64n;
  const units = total / 16n;
  const r = units % U32;
  if (r === U32 - 1n) return { fate: 'crashes', kept: 0n };
  const avg = (U32 - 1n) / (r + 1n);
  const kept = ((U32 - 1n) / avg - 1n) * 16n;
  if (r >= U32 / 2n - 1n) return { fate: 'refused', kept };
  return { fate: units >= U32 ? 'wraps' : 'kept', kept };
}

/**
 * hashlimit --hashlimit-upto/-above: packets `N[/unit]` (at most 1000000 per second) or bytes
 * `N(b|kb|mb)/s`. Letters iptables reads otherwise than they look (see readHashlimitRate) warn.
 */
export function checkHashlimitRate(value: string): ValueProblem | undefined {
  const r = readHashlimitRate(value);
  if (!r) return error(`'${value}' is not a hashlimit rate: write N/second (packets) or Nkb/s (bytes).`);
  const { count, letters, suffix, bytes } = r;
  const unit = suffix === undefined ? (['second', 1] as const) : rateUnit(suffix);
  if (!unit) return error(`'${suffix}' is not a time unit: second, minute, hour or day (s, m, h, d).`);
  if (count === 0) return error('A rate of 0 is not accepted.');
  if (bytes) {
    const { fate, kept } = byteRateKept(r.digits, r.factor);
    const fastest = `at most ${FASTEST_BYTE_RATE}b/s (just under 32768mb/s)`;
    if (fate === 'crashes') return error(`iptables crashes on ${value} (a division by zero: it keeps the rate in 16-byte steps in 32 bits, and this one comes to 2^32 − 1 of them): nothing of the command, or of the file given to iptables-restore, is loaded. A byte rate is ${fastest}.`);
    if (fate === 'refused') return error(`The kernel refuses a byte rate this fast when the rule is added (Invalid argument; iptables-restore --test passes it): ${fastest}.`);
    if (fate === 'wraps') return warning(`iptables keeps the rate in 16-byte steps in 32 bits: ${value} wraps around and is loaded as ${kept} bytes a second (iptables -S lists it so). A byte rate is ${fastest}.`);
    if (BYTE_UNITS[letters] !== undefined) return undefined;
    const meant = BYTE_UNITS[letters.toLowerCase()] !== undefined ? `${count}${letters.toLowerCase()}/s` : undefined;
    return warning(`iptables multiplies only by a lower-case k or m before the b: it reads ${value} as ${count} byte${count === 1 ? '' : 's'} a second. ${meant ? `Write ${meant}.` : 'The byte units are b/s, kb/s and mb/s.'}`, meant);
  }
  if (count > 1000000 * unit[1]) return error(`${value} is too fast: hashlimit counts at most 1000000 packets per second.`);
  if (letters !== '') {
    const lower = letters.toLowerCase();
    const meant = BYTE_UNITS[lower] !== undefined && unit[1] === 1 ? `${count}${lower}/s` : undefined;
    return warning(`iptables reads ${value} as ${count} packet${count === 1 ? '' : 's'} a ${unit[0]}: it ignores '${letters}'. A byte rate is written per second with b/s in lower case (512kb/s, 1mb/s).`, meant);
  }
  return undefined;
}

/** hashlimit --hashlimit-burst: packets (1–1000000), or bytes with b/kb/mb (only with a byte rate). */
export function checkBurst(value: string): ValueProblem | undefined {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(value);
  if (!m) return error(`'${value}' is not a burst: a number of packets, or bytes like 1mb.`);
  if (m[2] !== '' && BYTE_UNITS[m[2].toLowerCase()] === undefined) return warning(`'${m[2]}' is not one of the byte units b, kb, mb.`);
  if (m[2] === '' && (Number(m[1]) < 1 || Number(m[1]) > 1000000)) return error(`${value} is out of range: a packet burst is 1–1000000.`);
  return undefined;
}

const BANDWIDTH = /^(\d+(?:\.\d+)?)(bit|[kmgt]bit|[KMGT]ibit|[KMGT]?Bps|[KMGT]iBps|bps)?$/;

/** rateest --rateest-bps: a number with an optional unit bit, kbit, mbit, Kibit, Bps, KBps, KiBps... */
export function checkBandwidth(value: string): ValueProblem | undefined {
  return BANDWIDTH.test(value) ? undefined : error(`'${value}' is not a rate: a number with an optional unit such as bit, kbit, mbit, gbit, Bps, KBps, MBps or Kibit.`);
}

/** RATEEST --rateest-interval / --rateest-ewmalog: an amount with s, ms or us (microseconds without a unit; see durationMicros); `maxMicros`: the longest allowed. */
export function checkDuration(value: string, maxMicros?: number): ValueProblem | undefined {
  const us = durationMicros(value);
  if (us === undefined) return error(`'${value}' is not a time: a number with s, ms or us, such as 250ms.`);
  if (maxMicros !== undefined && us > maxMicros) return error(`${value} is too long: at most ${maxMicros / 1e6} s.`);
  return undefined;
}

const TIME_UNITS: Record<string, number> = { s: 1e6, sec: 1e6, secs: 1e6, ms: 1e3, msec: 1e3, msecs: 1e3, us: 1, usec: 1, usecs: 1 };

/**
 * A time as RATEEST reads it, in microseconds: a decimal number, then a unit (s, ms or us,
 * case ignored; none means microseconds). Undefined when it is not one.
 */
export function durationMicros(value: string): number | undefined {
  const m = /^\+?(\d+\.?\d*|\.\d+)([a-z]*)$/i.exec(value);
  if (!m) return undefined;
  const unit = m[2] === '' ? 1 : TIME_UNITS[m[2].toLowerCase()];
  // iptables keeps the time as a 32-bit count of microseconds
  return unit === undefined ? undefined : Math.trunc(Number(m[1]) * unit) >>> 0;
}

/**
 * Whether RATEEST can average over `ewmaMicros` sampling every `intervalMicros` (measured with
 * iptables 1.8.9, which works it out so): it looks for the smallest weight 1 - 2^-k (k from 1
 * to 30) whose time constant, interval / -ln(weight), is past the one asked for, and keeps
 * k - 1, which must be 1 to 30. So the constant must exceed about 1.44 intervals (k = 2 at
 * least) and stay below 2^30 intervals.
 */
export function ewmaFits(intervalMicros: number, ewmaMicros: number): boolean {
  return ewmaLog(intervalMicros, ewmaMicros) !== undefined;
}

/** The weight's exponent RATEEST keeps (k - 1 above), 1 to 29; undefined when none fits. */
function ewmaLog(intervalMicros: number, ewmaMicros: number): number | undefined {
  for (let k = 1; k <= 30; k++) {
    if (intervalMicros / -Math.log(1 - 1 / 2 ** k) > ewmaMicros) return k > 1 ? k - 1 : undefined;
  }
  return undefined;
}

/**
 * What a RATEEST estimator is made with, as iptables hands it to the kernel: the interval
 * rounded up to 250 ms times a power of two (an index, 0 for 250 ms) and the weight's exponent
 * worked out from the interval as written. The kernel compares these two when a rule names an
 * estimator that exists (measured with iptables 1.8.9: 200ms and 250ms make the same
 * estimator, 250ms/500ms and 250ms/1s do not). Undefined for values iptables refuses.
 */
export function rateestParams(interval: string, ewma: string): { interval: number; ewmaLog: number } | undefined {
  const us = durationMicros(interval);
  const ewmaUs = durationMicros(ewma);
  if (us === undefined || ewmaUs === undefined) return undefined;
  let i = 0;
  while (i <= 5 && us > (1 << i) * 250000) i++;
  const log = ewmaLog(us, ewmaUs);
  return i > 5 || log === undefined ? undefined : { interval: i, ewmaLog: log };
}

/**
 * A hashlimit rate as the kernel's table keeps it, for comparing two rules' rates: a packet
 * rate as the time between packets in millionths of a second (so `300/minute` is `5/second`),
 * a byte rate as bytes per second. Undefined for a rate not read here.
 */
export function hashlimitRate(value: string): { bytes: boolean; amount: number } | undefined {
  const r = readHashlimitRate(value);
  if (!r || r.count === 0) return undefined;
  if (r.bytes) return { bytes: true, amount: r.count * r.factor };
  const unit = r.suffix === undefined ? RATE_UNITS[0] : rateUnit(r.suffix);
  return unit && { bytes: false, amount: Math.floor((1e6 * unit[1]) / r.count) };
}
