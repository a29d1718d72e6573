import { arg, t, target } from '../define.ts';

/** Targets that record packets and let them continue. */

export const LOG = target({
  name: 'LOG',
  terminating: false,
  summary: 'Write the packet\'s headers to the kernel log, then continue with the next rule.',
  doc: 'LOG does not decide anything: put the DROP or ACCEPT after it. Limit it (`-m limit`) to avoid flooding the log.',
  example: 'iptables -A INPUT -m limit --limit 5/min -j LOG --log-prefix "INPUT drop: " --log-level 4',
  mistakes: ['The prefix is at most 29 characters; end it with a space to keep the log readable.'],
  options: [
    t('--log-level', [arg('log-level', 'level')], 'Syslog level: emerg, alert, crit, error, warning, notice, info, debug, or 0–7.'),
    t('--log-prefix', [arg('string', 'prefix')], 'Text in front of each log line (up to 29 characters).'),
    t('--log-tcp-sequence', [], 'Log TCP sequence numbers (readable by other users of the log).'),
    t('--log-tcp-options', [], 'Log TCP header options.'),
    t('--log-ip-options', [], 'Log IP header options.'),
    t('--log-uid', [], 'Log the user id of the sending process.'),
    t('--log-macdecode', [], 'Decode the MAC header.'),
  ],
});

export const NFLOG = target({
  name: 'NFLOG',
  terminating: false,
  summary: 'Send the packet to a userspace logger (ulogd, tcpdump -i nflog) and continue.',
  doc: 'The netlink group ties the rule to the listening program.',
  example: 'iptables -A INPUT -j NFLOG --nflog-group 5 --nflog-prefix "in"',
  options: [
    t('--nflog-group', [arg('integer', 'nlgroup', { max: 65535 })], 'The netlink group (0–65535).'),
    t('--nflog-prefix', [arg('string', 'prefix')], 'Text attached to the message (up to 64 characters).'),
    t('--nflog-range', [arg('integer', 'size')], 'Bytes of the packet to copy (deprecated; use --nflog-size).'),
    t('--nflog-size', [arg('integer', 'size')], 'Bytes of the packet to copy.'),
    t('--nflog-threshold', [arg('integer', 'size', { max: 65535 })], 'Queue this many packets before sending them.'),
  ],
});

export const ULOG = target({
  name: 'ULOG',
  families: ['ipv4'],
  terminating: false,
  deprecatedBy: 'NFLOG',
  hostDependent: 'removed from current kernels',
  summary: 'Old userspace logging target, replaced by NFLOG.',
  doc: 'Kernels since 3.17 no longer have it; iptables answers "missing kernel module".',
  example: 'iptables -A INPUT -j ULOG --ulog-nlgroup 1',
  options: [
    t('--ulog-nlgroup', [arg('integer', 'nlgroup')], 'The netlink group (1–32).'),
    t('--ulog-prefix', [arg('string', 'prefix')], 'Text attached to the message.'),
    t('--ulog-cprange', [arg('integer', 'size')], 'Bytes of the packet to copy.'),
    t('--ulog-qthreshold', [arg('integer', 'size')], 'Queue this many packets before sending.'),
  ],
});

export const AUDIT = target({
  name: 'AUDIT',
  needsOneOf: [['--type']],
  terminating: false,
  summary: 'Record the packet in the kernel audit log (auditd) and continue.',
  doc: 'For compliance logging; the record type says what the following rule does.',
  example: 'iptables -A INPUT -j AUDIT --type drop',
  options: [t('--type', [arg('enum', 'accept|drop|reject', { values: ['accept', 'drop', 'reject'] })], 'The kind of record.')],
});

export const TRACE = target({
  name: 'TRACE',
  terminating: false,
  summary: 'Trace the packet: every rule it then meets is logged (see with `xtables-monitor --trace`).',
  doc: 'Normally placed in the raw table, before connection tracking.',
  example: 'iptables -t raw -A PREROUTING -p tcp --dport 80 -j TRACE',
  options: [],
});
