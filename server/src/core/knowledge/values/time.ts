import type { Named } from './enums.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/** The time match: times of day, dates, weekdays and days of the month (UTC unless --kerneltz). */

export const weekdays: Named = [
  ['Mon', '1: Monday.'], ['Tue', '2: Tuesday.'], ['Wed', '3: Wednesday.'], ['Thu', '4: Thursday.'],
  ['Fri', '5: Friday.'], ['Sat', '6: Saturday.'], ['Sun', '7: Sunday.'],
];

const TIME_OF_DAY = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/;

/** A valid `hh:mm[:ss]` as seconds after midnight; undefined for anything else. */
export function secondsOfDay(value: string): number | undefined {
  const m = TIME_OF_DAY.exec(value);
  if (!m || checkTime(value)) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/** `hh:mm[:ss]`, 00:00:00–23:59:59; one-digit parts are fine. */
export function checkTime(value: string): ValueProblem | undefined {
  const m = TIME_OF_DAY.exec(value);
  if (!m) return error(`'${value}' is not a time of day: write hh:mm or hh:mm:ss, such as 08:30.`, /^\d{3,4}$/.test(value) ? `${value.slice(0, -2).padStart(2, '0')}:${value.slice(-2)}` : /^\d{1,2}$/.test(value) ? `${value.padStart(2, '0')}:00` : undefined);
  if (Number(m[1]) > 23) return error(`${value}: hours run 0–23 (a day ends at 23:59:59).`, Number(m[1]) === 24 && Number(m[2]) === 0 ? '23:59:59' : undefined);
  if (Number(m[2]) > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return error(`${value}: minutes and seconds run 0–59.`);
  return undefined;
}

/** `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]` within 1970-01-01 … 2038-01-19T03:14:07. */
export function checkDate(value: string): ValueProblem | undefined {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?)?)?)?$/.exec(value);
  const usage = 'write YYYY[-MM[-DD[Thh[:mm[:ss]]]]], such as 2024-12-24T18:00';
  if (!m) return error(`'${value}' is not a date: ${usage}.`, /^\d{4}-\d{1,2}-\d{1,2} \d/.test(value) ? value.replace(' ', 'T') : undefined);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  if (mo !== undefined && (mo < 1 || mo > 12)) return error(`${value}: months run 1–12.`);
  if (d !== undefined && (d < 1 || d > 31)) return error(`${value}: days run 1–31.`);
  if ((h ?? 0) > 23 || (mi ?? 0) > 59 || (s ?? 0) > 59) return error(`${value}: the time part is out of range.`);
  const t = Date.UTC(y!, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
  if (y! < 1970 || t > Date.UTC(2038, 0, 19, 3, 14, 7)) return error(`${value} is outside what the time match can store: 1970-01-01 to 2038-01-19T03:14:07.`);
  return undefined;
}

/**
 * --weekdays: names (iptables looks at the first two letters: Mo, Tu, We, Th, Fr, Sa, Su,
 * case-sensitive) or numbers 1–7 (1 = Monday).
 */
export function checkWeekdays(value: string): ValueProblem | undefined {
  for (const d of value.split(',')) {
    if (/^\d+$/.test(d)) {
      if (Number(d) === 0) return error('Weekday 0 does not exist: the week runs from 1 (Monday) to 7 (Sunday).', value.split(',').map((x) => (x === '0' ? '7' : x)).join(','));
      if (Number(d) > 7) return warning(`Weekday ${d} does not exist (1 = Monday … 7 = Sunday); iptables accepts it, but it never matches.`);
      continue;
    }
    const hit = weekdays.find(([n]) => d.length >= 2 && d.slice(0, 2) === n.slice(0, 2));
    if (hit) continue;
    const cased = weekdays.find(([n]) => d.length >= 2 && d.slice(0, 2).toLowerCase() === n.slice(0, 2).toLowerCase());
    if (cased) return error(`'${d}': weekday names start with a capital letter here (${cased[0]}).`, value.split(',').map((x) => (x === d ? cased[0] : x)).join(','));
    return error(`'${d}' is not a weekday: use Mon, Tue, Wed, Thu, Fri, Sat, Sun (or Mo…Su, or 1–7).`);
  }
  return undefined;
}

/** --monthdays: 1–31, comma-separated. */
export function checkMonthdays(value: string): ValueProblem | undefined {
  for (const d of value.split(',')) {
    if (!/^\d+$/.test(d)) return error(`'${d}' is not a day of the month (1–31).`);
    if (Number(d) > 31) return error(`${d} is not a day of the month (1–31).`);
    if (Number(d) === 0) return warning('Day 0 does not exist; iptables accepts it, but it never matches.');
  }
  return undefined;
}
