import { arg, t, target } from '../define.ts';

/** Targets that decide the packet's fate. */

export const ACCEPT = target({
  name: 'ACCEPT',
  terminating: true,
  summary: 'Let the packet through this chain\'s table; the next table or hook still sees it.',
  doc: 'ACCEPT ends the traversal of the current table for this hook only: an accept in mangle does not skip the filter table.',
  example: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
  options: [],
});

export const DROP = target({
  name: 'DROP',
  terminating: true,
  summary: 'Discard the packet silently; the sender gets no answer and waits for a timeout.',
  doc: 'Silent drops slow down scans but also make mistakes slow to diagnose; REJECT answers at once.',
  example: 'iptables -A INPUT -s 198.51.100.0/24 -j DROP',
  options: [],
});

export const RETURN = target({
  name: 'RETURN',
  terminating: true,
  summary: 'Leave this chain: continue in the calling chain after the jump, or apply the policy in a built-in chain.',
  doc: 'In a user chain, RETURN resumes the caller at the rule after the `-j`. In a built-in chain, the chain\'s policy decides.',
  example: 'iptables -A office-in -j RETURN',
  options: [],
});

export const QUEUE = target({
  name: 'QUEUE',
  terminating: true,
  summary: 'Hand the packet to a userspace program on queue 0 (same as NFQUEUE --queue-num 0).',
  doc: 'Without a program listening the packet is dropped.',
  example: 'iptables -A FORWARD -j QUEUE',
  options: [],
});

export const NFQUEUE = target({
  name: 'NFQUEUE',
  terminating: true,
  summary: 'Hand the packet to a userspace program (an IDS, a proxy) on a numbered queue.',
  doc: 'The program returns the verdict. Without a listener the packet is dropped unless `--queue-bypass` is given.',
  example: 'iptables -A FORWARD -j NFQUEUE --queue-num 0 --queue-bypass',
  options: [
    t('--queue-num', [arg('integer', 'value', { max: 65535 })], 'The queue number (0–65535).'),
    t('--queue-balance', [arg('queue-range', 'first:last', { max: 65535 })], 'Spread flows over a range of queues.'),
    t('--queue-bypass', [], 'Accept the packet when no program listens, instead of dropping it.'),
    t('--queue-cpu-fanout', [], 'Pick the queue of the range by CPU.'),
  ],
});

export const REJECT = target({
  name: 'REJECT',
  terminating: true,
  tables: ['filter'],
  chains: ['INPUT', 'FORWARD', 'OUTPUT'],
  summary: 'Drop the packet and answer with an ICMP error or a TCP reset, so the sender learns at once.',
  doc: 'Only in the filter table\'s INPUT, FORWARD and OUTPUT chains (and user chains reached only from them).',
  example: 'iptables -A INPUT -p tcp --dport 25 -j REJECT --reject-with tcp-reset',
  mistakes: ['`--reject-with tcp-reset` needs `-p tcp`.'],
  options: [t('--reject-with', [arg('reject-with', 'type')], 'The answer: icmp-port-unreachable (default), tcp-reset, icmp-admin-prohibited, …')],
});
