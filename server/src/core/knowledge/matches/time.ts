import type { ExtensionSpec } from '../types.ts';

export const time: ExtensionSpec = {
  kind: 'match',
  name: 'time',
  families: ['ipv4', 'ipv6'],
  summary: 'Match by when the packet arrives: time of day, weekdays, days of the month, a date range.',
  doc: 'All given conditions must hold. Times are UTC unless --kerneltz is given, and the kernel time zone is often not set or not updated for daylight saving, so prefer UTC. A daily window that crosses midnight (22:00 to 06:00) needs --contiguous to count as one period with --weekdays.',
  example: 'iptables -A FORWARD -m time --timestart 08:00 --timestop 18:00 --weekdays Mon,Tue,Wed,Thu,Fri -j ACCEPT',
  mistakes: ['Writing local times without --kerneltz: the match compares with UTC.'],
  options: [
    { name: '--datestart', negation: 'none', args: [{ name: 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]', type: 'date' }], summary: 'Match from this moment on (ISO 8601 with T).', default: '1970-01-01' },
    { name: '--datestop', negation: 'none', args: [{ name: 'YYYY[-MM[-DD[Thh[:mm[:ss]]]]]', type: 'date' }], summary: 'Match until this moment, included.', default: '2038-01-19' },
    { name: '--timestart', negation: 'none', args: [{ name: 'hh:mm[:ss]', type: 'time' }], summary: 'Match from this time of day.', example: '--timestart 12:30', default: '00:00:00' },
    { name: '--timestop', negation: 'none', args: [{ name: 'hh:mm[:ss]', type: 'time' }], summary: 'Match until this time of day, included.', default: '23:59:59' },
    { name: '--monthdays', negation: 'prefix', args: [{ name: 'day[,day…]', type: 'monthdays' }], summary: 'Match on these days of the month (1–31).' },
    { name: '--weekdays', negation: 'prefix', args: [{ name: 'day[,day…]', type: 'weekdays' }], summary: 'Match on these weekdays: Mon…Sun (Mo…Su) or 1…7.', example: '--weekdays Sat,Sun' },
    { name: '--contiguous', negation: 'none', args: [], acrossMidnight: ['--timestart', '--timestop'], summary: 'When --timestop is earlier than --timestart, treat the span as one period across midnight.' },
    { name: '--kerneltz', negation: 'none', args: [], summary: 'Use the kernel\'s time zone instead of UTC (discouraged: it is rarely kept up to date).' },
  ],
};
