import type { ExtensionSpec } from '../types.ts';

export const LOG: ExtensionSpec = {
  kind: 'target',
  name: 'LOG',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  summary: 'Write the packet\'s headers to the kernel log, then continue with the next rule.',
  doc: 'LOG decides nothing: follow it with the rule that drops or accepts the same packets. Rate-limit it (`-m limit`) so a flood cannot fill the disk. Read the lines with `dmesg` or `journalctl -k`. With iptables-nft the log goes through nftables\' log statement.',
  example: 'iptables -A INPUT -m limit --limit 5/min -j LOG --log-prefix "INPUT drop: " --log-level warning',
  mistakes: ['The prefix is cut at 29 characters; end it with a blank so the log line stays readable.'],
  options: [
    {
      name: '--log-level', negation: 'none',
      args: [{ name: 'level', type: 'log-level' }],
      summary: 'The syslog priority: emerg, alert, crit, error, warning, notice, info, debug, or 0–7.',
      default: 'warning (4)',
    },
    {
      name: '--log-prefix', negation: 'none',
      args: [{ name: 'prefix', type: 'string', min: 1, truncateAt: 29 }],
      summary: 'Text in front of each log line, up to 29 characters.',
      example: '--log-prefix "fw-drop: "',
    },
    { name: '--log-tcp-sequence', negation: 'none', args: [], summary: 'Also log TCP sequence numbers (a risk if users can read the log).' },
    { name: '--log-tcp-options', negation: 'none', args: [], summary: 'Also log the TCP header options.' },
    { name: '--log-ip-options', negation: 'none', args: [], summary: 'Also log the IP/IPv6 header options.' },
    { name: '--log-uid', negation: 'none', args: [], summary: 'Also log the user id of the local process that sent the packet.' },
    { name: '--log-macdecode', negation: 'none', args: [], summary: 'Log the MAC addresses and protocol in decoded form.' },
  ],
};
