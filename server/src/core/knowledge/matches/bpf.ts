import type { ExtensionSpec } from '../types.ts';

export const bpf: ExtensionSpec = {
  kind: 'match',
  name: 'bpf',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--bytecode', '--object-pinned']],
  exclusive: [['--bytecode', '--object-pinned']],
  hostDependent: 'with --object-pinned the eBPF program must be pinned on the host (in /sys/fs/bpf)',
  summary: 'Match with a BPF program: classic bytecode in the rule, or an eBPF program pinned in the bpf filesystem.',
  doc: 'The program sees the packet from the IP header on (no link layer). Bytecode is what `nfbpf_compile RAW \'expr\'` prints, or `tcpdump -ddd` on a RAW-link device with the lines joined by commas.',
  example: 'iptables -A OUTPUT -m bpf --bytecode "4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0" -j ACCEPT',
  mistakes: ['The first number is the count of instructions that follow; iptables refuses the rule when it does not agree.'],
  options: [
    {
      name: '--bytecode', negation: 'none',
      args: [{ name: 'code', type: 'bpf-bytecode' }],
      summary: 'A classic BPF program: the instruction count, then each instruction as four decimal numbers, comma-separated.',
      example: '--bytecode "1,6 0 0 1"',
    },
    {
      name: '--object-pinned', negation: 'none',
      args: [{ name: 'path', type: 'string' }],
      summary: 'The path of an eBPF program pinned in the bpf filesystem.',
      example: '--object-pinned /sys/fs/bpf/web-filter',
    },
  ],
};
