import type { ExtensionSpec } from '../types.ts';

export const LED: ExtensionSpec = {
  kind: 'target',
  name: 'LED',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--led-trigger-id']],
  hostDependent: 'needs the xt_LED kernel module, which many distribution kernels lack',
  summary: 'Light or blink an LED trigger when packets match, then continue.',
  doc: 'Creates the LED trigger `netfilter-ID`; attach it with `echo netfilter-ID > /sys/class/leds/NAME/trigger`.',
  example: 'iptables -A INPUT -p tcp --dport 22 -j LED --led-trigger-id ssh --led-delay 1000',
  options: [
    { name: '--led-trigger-id', negation: 'none', required: true, args: [{ name: 'name', type: 'string' }], summary: 'The trigger name, after the netfilter- prefix.' },
    { name: '--led-delay', negation: 'none', args: [{ name: 'ms|inf', type: 'led-delay' }], summary: 'How long the LED stays on after a packet, in milliseconds; inf keeps it on.', default: '0 (blink)' },
    { name: '--led-always-blink', negation: 'none', args: [], summary: 'Blink on every packet even while the LED is already on.' },
  ],
};
