/** Numbers as iptables parses them: decimal, 0x hex, or 0 octal, within a bound. */
export function parseNumber(s: string): number | undefined {
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s, 16);
  if (/^0[0-7]+$/.test(s)) return parseInt(s, 8);
  if (/^\d+$/.test(s)) return Number(s);
  return undefined;
}

export function checkInteger(value: string, max = 2 ** 32 - 1): string | undefined {
  const n = parseNumber(value);
  if (n === undefined) return `'${value}' is not a number.`;
  // beyond 2^53 doubles lose digits: compare exactly
  if (/^\d{16,}$/.test(value) ? BigInt(value) > BigInt(max > 2 ** 53 ? '18446744073709551615' : max) : n > max) return `${value} is out of range (at most ${max > 2 ** 53 ? '18446744073709551615' : max}).`;
  return undefined;
}

export function checkIntegerRange(value: string, max = 2 ** 32 - 1, ordered = false): string | undefined {
  const parts = value.split(':');
  if (parts.length > 2) return `'${value}' is not a number or range (n or n:m).`;
  for (const p of parts) if (p !== '') {
    const e = checkInteger(p, max);
    if (e) return e;
  }
  if (ordered && parts.length === 2 && parts[0] !== '' && parts[1] !== '' && parseNumber(parts[0])! > parseNumber(parts[1])!) return `The range ${value} is reversed: write ${parts[1]}:${parts[0]}.`;
  return undefined;
}

/** `value[/mask]`, 32-bit, decimal or hex. */
export function checkMark(value: string): string | undefined {
  const [v, mask, ...rest] = value.split('/');
  if (rest.length) return `'${value}' has more than one '/'.`;
  for (const p of mask === undefined ? [v] : [v, mask]) {
    const n = parseNumber(p);
    if (n === undefined) return `'${p}' is not a number (decimal or 0x hex).`;
    if (n > 0xffffffff) return `${p} does not fit in 32 bits.`;
  }
  return undefined;
}

const UNITS = ['second', 'sec', 's', 'minute', 'min', 'm', 'hour', 'h', 'day', 'd'];

/** `N[/unit]`: second, minute, hour, day and their abbreviations. */
export function checkRate(value: string): string | undefined {
  const m = /^(\d+)(?:\/(\w+))?$/.exec(value);
  if (!m) return `'${value}' is not a rate (N/second, N/minute, N/hour or N/day).`;
  if (m[2] && !UNITS.some((u) => u.startsWith(m[2]) || m[2] === u)) return `Unknown time unit '${m[2]}': use second, minute, hour or day.`;
  if (Number(m[1]) === 0) return 'A rate of 0 never matches.';
  return undefined;
}

export function checkTime(value: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return `'${value}' is not a time of day (hh:mm[:ss]).`;
  return undefined;
}

export function checkDate(value: string): string | undefined {
  return /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$/.test(value) ? undefined : `'${value}' is not a date (YYYY[-MM[-DD[Thh[:mm[:ss]]]]]).`;
}

export function checkMonthdays(value: string): string | undefined {
  for (const d of value.split(',')) {
    if (!/^\d+$/.test(d) || Number(d) < 1 || Number(d) > 31) return `'${d}' is not a day of the month (1–31).`;
  }
  return undefined;
}
