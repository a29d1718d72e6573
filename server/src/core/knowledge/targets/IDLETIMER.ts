import type { ExtensionSpec } from '../types.ts';

export const IDLETIMER: ExtensionSpec = {
  kind: 'target',
  name: 'IDLETIMER',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--timeout'], ['--label']],
  summary: 'Restart a named timer on every matching packet; userspace is notified when no packet came for the timeout.',
  doc: 'Each label is one timer, visible in /sys/class/xt_idletimer/timers/LABEL; rules sharing a label restart the same timer. Used on phones and laptops to power down idle radios.',
  example: 'iptables -A OUTPUT -o wlan0 -j IDLETIMER --timeout 60 --label wlan0',
  options: [
    // measured (1.8.9, both backends): the kernel refuses 0 and from 2147483 on (Invalid argument)
    { name: '--timeout', negation: 'none', required: true, args: [{ name: 'seconds', type: 'integer', min: 1, max: 2147482 }], summary: 'Seconds without traffic before the notification (1 to 2147482, about 24 days).' },
    { name: '--label', negation: 'none', required: true, args: [{ name: 'string', type: 'string', truncateAt: 27, fileIn: '/sys/class/xt_idletimer/timers' }], summary: 'The timer\'s name (up to 27 characters).' },
    { name: '--alarm', negation: 'none', args: [], summary: 'Use an alarm timer, which also fires while the system is suspended.' },
  ],
};
