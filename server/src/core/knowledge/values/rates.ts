import { didYouMean } from '../didYouMean.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/**
 * Rates and amounts: the limit match's `N[/unit]`, hashlimit's packet or byte rates and
 * bursts, rateest's bandwidths, RATEEST's intervals.
 */

const UNITS: readonly (readonly [string, number])[] = [['second', 1], ['minute', 60], ['hour', 3600], ['day', 86400]];

/** The unit a suffix names: any non-empty beginning of second, minute, hour or day, any case. */
export function rateUnit(suffix: string): readonly [string, number] | undefined {
  if (suffix === '') return undefined;
  return UNITS.find(([u]) => u.startsWith(suffix.toLowerCase()));
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
    const meant = UNITS.find(([u]) => suffix.toLowerCase().startsWith(u)) ?? UNITS.find(([u]) => didYouMean(suffix.toLowerCase(), [u]) !== undefined);
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
  const m = /^(\d+)(?:\/(.+))?$/.exec(value);
  const unit = m && (m[2] === undefined ? UNITS[0] : rateUnit(m[2]));
  if (!m || !unit || Number(m[1]) === 0) return undefined;
  return Math.floor((10000 * unit[1]) / Number(m[1]));
}

/** The unit a rate is written in (a number alone is per second): hashlimit keeps it with the rate (its table's expiry). */
export function writtenRateUnit(value: string): string | undefined {
  const slash = value.indexOf('/');
  return slash === -1 ? UNITS[0][0] : rateUnit(value.slice(slash + 1))?.[0];
}

/** No prototype: looked up by the unit as written (`5constructor/s` is not a unit). */
const BYTE_UNITS: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, { b: 1, kb: 1024, mb: 1024 * 1024 });

/**
 * hashlimit --hashlimit-upto/-above: packets `N[/unit]` (at most 1000000 per second) or bytes
 * `N(b|kb|mb)[/unit]`. iptables reads other letters leniently, so they only warn.
 */
export function checkHashlimitRate(value: string): ValueProblem | undefined {
  const m = /^(\d+)([a-zA-Z]*)(?:\/(.*))?$/.exec(value);
  if (!m) return error(`'${value}' is not a hashlimit rate: write N/second (packets) or Nkb/s (bytes).`);
  const [, n, bytes, suffix] = m;
  const unit = suffix === undefined ? (['second', 1] as const) : rateUnit(suffix);
  if (!unit) return error(`'${suffix}' is not a time unit: second, minute, hour or day (s, m, h, d).`);
  if (Number(n) === 0) return error('A rate of 0 is not accepted.');
  if (bytes === '' && Number(n) > 1000000 * unit[1]) return error(`${value} is too fast: hashlimit counts at most 1000000 packets per second.`);
  if (bytes !== '' && BYTE_UNITS[bytes.toLowerCase()] === undefined) return warning(`'${bytes}' is not one of the byte units b, kb, mb; write for example ${n}kb/${suffix ?? 's'}.`);
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

/** RATEEST --rateest-interval / --rateest-ewmalog: an amount with s, ms or us (seconds without a unit). */
export function checkDuration(value: string): ValueProblem | undefined {
  return /^\d+(\.\d+)?(s|ms|us|sec|msec|usec|secs)?$/.test(value) ? undefined : error(`'${value}' is not a time: a number with s, ms or us, such as 250ms.`);
}
