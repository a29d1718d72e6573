import type { CommandUse, GenericOptionSpec } from './types.ts';

/**
 * The commands that take a rule specification (-s, -p, -j…). Measured against iptables 1.8.9
 * (nft and legacy): `-D` with a rule number refuses them, and so do the listing and chain
 * commands; `-m` and its options pass with any command, `-v` too.
 */
const RULE_COMMANDS: readonly CommandUse[] = ['append', 'insert', 'replace', 'delete', 'check'];
/** How each command use is written, for messages and hover. */
export const COMMAND_WORDS: Readonly<Record<CommandUse, string>> = {
  append: '-A', insert: '-I', replace: '-R', delete: '-D', 'delete-number': '-D with a rule number', check: '-C',
  list: '-L', 'list-rules': '-S', flush: '-F', zero: '-Z', 'new-chain': '-N', 'delete-chain': '-X', 'rename-chain': '-E', policy: '-P',
};
/** Listing options: `-L` alone takes them (`-S` refuses `-n`), also when combined with `-Z`. */
const LIST_ONLY: readonly CommandUse[] = ['list'];

/**
 * Commands and parameters of iptables(8) itself (not of an extension). Short forms are
 * listed as aliases and in `short`, so the binder can split getopt clusters (`-nvL`).
 */
export const genericOptions: readonly GenericOptionSpec[] = [
  // ── commands ───────────────────────────────────────────────────────────────
  {
    name: '--append', short: 'A', aliases: ['-A'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain' }],
    summary: 'Add the rule at the end of a chain.',
    doc: 'Rules are checked top to bottom, so an appended rule only sees packets that no earlier rule in the chain has already decided.',
    example: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
  },
  {
    name: '--check', short: 'C', aliases: ['-C'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain' }],
    summary: 'Test whether an identical rule exists in a chain (exit status 0 when it does).',
    example: 'iptables -C INPUT -p tcp --dport 22 -j ACCEPT || iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
  },
  {
    name: '--delete', short: 'D', aliases: ['-D'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain' }, { name: 'rulenum', type: 'integer', optional: true }],
    summary: 'Remove a rule, given either its position (1 = first) or the same specification it was added with.',
    example: 'iptables -D INPUT 3',
  },
  {
    name: '--insert', short: 'I', aliases: ['-I'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain' }, { name: 'rulenum', type: 'integer', optional: true }],
    summary: 'Insert the rule at a position in a chain (default 1, the top).',
    doc: 'Inserted rules are evaluated before everything already in the chain; scripts that mix `-I` and `-A` end up in an order that differs from the order of the lines.',
    example: 'iptables -I INPUT 1 -i lo -j ACCEPT',
  },
  {
    name: '--replace', short: 'R', aliases: ['-R'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain' }, { name: 'rulenum', type: 'integer' }],
    summary: 'Replace the rule at a position (1 = first) with a new specification.',
    example: 'iptables -R INPUT 2 -p tcp --dport 443 -j ACCEPT',
  },
  {
    name: '--list', short: 'L', aliases: ['-L'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain', optional: true }],
    summary: 'Print the rules of one chain or of every chain in the table.',
    example: 'iptables -t nat -L -n -v',
  },
  {
    name: '--list-rules', short: 'S', aliases: ['-S'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain', optional: true }],
    summary: 'Print the rules as iptables commands (the iptables-save form).',
    example: 'iptables -S INPUT',
  },
  {
    name: '--flush', short: 'F', aliases: ['-F'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain', optional: true }],
    summary: 'Delete every rule in a chain, or in every chain of the table. Policies stay as they are.',
    mistakes: ['Flushing INPUT while its policy is DROP cuts every connection, including the SSH session running the script.'],
    example: 'iptables -F',
  },
  {
    name: '--zero', short: 'Z', aliases: ['-Z'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain', optional: true }, { name: 'rulenum', type: 'integer', optional: true }],
    summary: 'Reset packet and byte counters.',
    example: 'iptables -Z FORWARD',
  },
  {
    name: '--new-chain', short: 'N', aliases: ['-N'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain' }],
    summary: 'Create a user-defined chain. Rules reach it with `-j NAME` or `-g NAME`.',
    example: 'iptables -N LOGDROP',
  },
  {
    name: '--delete-chain', short: 'X', aliases: ['-X'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain', optional: true }],
    summary: 'Delete an empty user-defined chain that nothing references (all of them without a name).',
    example: 'iptables -X LOGDROP',
  },
  {
    name: '--rename-chain', short: 'E', aliases: ['-E'], role: 'command', negation: 'none',
    args: [{ name: 'old-chain', type: 'chain' }, { name: 'new-chain', type: 'chain' }],
    summary: 'Rename a user-defined chain; references to it follow.',
    example: 'iptables -E OLDNAME NEWNAME',
  },
  {
    name: '--policy', short: 'P', aliases: ['-P'], role: 'command', negation: 'none',
    args: [{ name: 'chain', type: 'chain' }, { name: 'target', type: 'enum', values: ['ACCEPT', 'DROP'] }],
    summary: 'Set what happens to packets that reach the end of a built-in chain: ACCEPT or DROP.',
    mistakes: ['`-P INPUT DROP` before the rule that accepts SSH locks a remote administrator out the moment it runs.'],
    example: 'iptables -P FORWARD DROP',
  },
  // ── rule parameters ─────────────────────────────────────────────────────────
  {
    name: '--table', short: 't', aliases: ['-t'], role: 'other', negation: 'none',
    args: [{ name: 'table', type: 'table' }],
    summary: 'The table the command works on (default `filter`).',
    example: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
  },
  {
    name: '--protocol', short: 'p', aliases: ['-p'], role: 'parameter', negation: 'prefix', commands: RULE_COMMANDS,
    args: [{ name: 'protocol', type: 'protocol' }],
    summary: 'Match the layer-4 protocol: tcp, udp, icmp, all, a name from /etc/protocols or a number.',
    doc: 'Names are case-insensitive; 0 and `all` mean every protocol. For tcp, udp, sctp, dccp, icmp, ipv6-icmp (or icmpv6), esp, ah, mh and ipcomp, `-p` also loads the match of the same name, which is what makes `--dport`, `--tcp-flags` or `--icmp-type` available without `-m`. udplite has no match of its own: use `-m multiport` for its ports.',
    mistakes: ['In ip6tables, `-p icmp` is ICMP for IPv4 (never seen in IPv6 packets): write `-p ipv6-icmp`.', '`! -p all` (or `! -p 0`) can never match and is refused.'],
    example: 'iptables -A INPUT -p udp --dport 53 -j ACCEPT',
  },
  {
    name: '--source', short: 's', aliases: ['-s', '--src'], role: 'parameter', negation: 'prefix', commands: RULE_COMMANDS,
    args: [{ name: 'address[/mask][,...]', type: 'address-list' }],
    summary: 'Match the source address: a host, a network with /prefix or /mask, or a comma-separated list (one rule per entry).',
    mistakes: ['A hostname is resolved once, when the rule is added; later DNS changes are not seen.'],
    example: 'iptables -A INPUT -s 192.168.1.0/24 -j ACCEPT',
  },
  {
    name: '--destination', short: 'd', aliases: ['-d', '--dst'], role: 'parameter', negation: 'prefix', commands: RULE_COMMANDS,
    args: [{ name: 'address[/mask][,...]', type: 'address-list' }],
    summary: 'Match the destination address: a host, a network with /prefix or /mask, or a comma-separated list.',
    mistakes: ['In FORWARD after a DNAT, the destination is already the translated (internal) address.'],
    example: 'iptables -A FORWARD -d 192.168.1.100 -j ACCEPT',
  },
  {
    name: '--in-interface', short: 'i', aliases: ['-i'], role: 'parameter', negation: 'prefix', commands: RULE_COMMANDS,
    args: [{ name: 'name[+]', type: 'interface' }],
    chains: ['PREROUTING', 'INPUT', 'FORWARD'],
    summary: 'Match the interface the packet arrived on; a trailing `+` matches every name with that prefix.',
    mistakes: ['There is no input interface in OUTPUT and POSTROUTING: `-i` is refused there.'],
    example: 'iptables -A INPUT -i lo -j ACCEPT',
  },
  {
    name: '--out-interface', short: 'o', aliases: ['-o'], role: 'parameter', negation: 'prefix', commands: RULE_COMMANDS,
    args: [{ name: 'name[+]', type: 'interface' }],
    chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
    summary: 'Match the interface the packet will leave by; a trailing `+` matches every name with that prefix.',
    mistakes: ['There is no output interface yet in PREROUTING and INPUT: `-o` is refused there.'],
    example: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
  },
  {
    name: '--fragment', short: 'f', aliases: ['-f'], role: 'parameter', negation: 'prefix', commands: RULE_COMMANDS, family: 'ipv4',
    args: [],
    summary: 'Match second and later fragments of a fragmented IPv4 packet (they carry no ports).',
    example: 'iptables -A INPUT -f -j DROP',
  },
  {
    name: '--match', short: 'm', aliases: ['-m'], role: 'parameter', negation: 'none', repeatable: true,
    args: [{ name: 'match', type: 'any' }],
    summary: 'Load a match extension, which makes its options available to the rest of the rule.',
    example: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  },
  {
    name: '--jump', short: 'j', aliases: ['-j'], role: 'parameter', negation: 'none', commands: RULE_COMMANDS,
    args: [{ name: 'target', type: 'target-name' }],
    summary: 'What to do with a matching packet: a built-in verdict, a target extension, or a user chain to run.',
    doc: 'When a jump to a user chain returns (RETURN or the end of that chain), evaluation continues with the next rule after the jump.',
    example: 'iptables -A INPUT -p tcp --dport 80 -j ACCEPT',
  },
  {
    name: '--goto', short: 'g', aliases: ['-g'], role: 'parameter', negation: 'none', commands: RULE_COMMANDS,
    args: [{ name: 'chain', type: 'chain' }],
    summary: 'Continue in a user chain without coming back: a RETURN there returns to the chain that jumped to this one.',
    example: 'iptables -A INPUT -i eth0 -g WAN_IN',
  },
  {
    name: '--set-counters', short: 'c', aliases: ['-c'], role: 'other', negation: 'none', commands: ['append', 'insert', 'replace', 'policy'],
    args: [{ name: 'packets', type: 'integer' }, { name: 'bytes', type: 'integer' }], joinedBy: ',',
    summary: 'Start the rule with these packet and byte counters (`-c 2 3`, or `-c 2,3`).',
    example: 'iptables -A INPUT -c 0 0 -j ACCEPT',
  },
  // ── tool options ────────────────────────────────────────────────────────────
  { name: '--verbose', short: 'v', aliases: ['-v'], role: 'other', negation: 'none', args: [], summary: 'Print more detail: counters, interfaces, rule options.' },
  { name: '--numeric', short: 'n', aliases: ['-n'], role: 'other', negation: 'none', commands: LIST_ONLY, args: [], summary: 'Print addresses and ports as numbers (no DNS lookups).' },
  { name: '--exact', short: 'x', aliases: ['-x'], role: 'other', negation: 'none', commands: LIST_ONLY, args: [], summary: 'Print exact counter values instead of rounded K/M/G figures (only with -L).' },
  { name: '--line-numbers', role: 'other', negation: 'none', commands: LIST_ONLY, args: [], summary: 'Number the rules when listing, for use with -D, -I and -R.' },
  { name: '--modprobe', short: 'M', aliases: ['-M'], role: 'other', negation: 'none', args: [{ name: 'command', type: 'string' }], summary: 'The program iptables runs to load kernel modules (written --modprobe=command).' },
  {
    name: '--wait', short: 'w', aliases: ['-w'], role: 'other', negation: 'none',
    args: [{ name: 'seconds', type: 'integer', optional: true }],
    summary: 'Wait for the xtables lock instead of failing when another iptables runs at the same time; with a number, for at most that many seconds.',
    example: 'iptables -w 5 -A INPUT -p tcp --dport 22 -j ACCEPT',
  },
  {
    name: '--wait-interval', short: 'W', aliases: ['-W'], role: 'other', negation: 'none', requires: ['--wait'],
    args: [{ name: 'microseconds', type: 'integer', optional: true }],
    summary: 'How often to retry the xtables lock while waiting (only together with --wait).',
    deprecated: 'iptables 1.8.9 ignores it (it still refuses it without --wait)',
  },
  {
    name: '--ipv4', short: '4', aliases: ['-4'], role: 'other', negation: 'none', args: [],
    summary: 'Mark a rule as IPv4-only: ip6tables-restore silently skips it, iptables ignores the flag (lets one file serve both tools).',
    mistakes: ['Outside a restore file, ip6tables refuses -4 instead of skipping the rule.'],
  },
  {
    name: '--ipv6', short: '6', aliases: ['-6'], role: 'other', negation: 'none', args: [],
    summary: 'Mark a rule as IPv6-only: iptables-restore silently skips it, ip6tables ignores the flag.',
    mistakes: ['Outside a restore file, iptables refuses -6 instead of skipping the rule.'],
  },
  { name: '--version', short: 'V', aliases: ['-V'], role: 'other', negation: 'none', args: [], summary: 'Print the iptables version and backend (nf_tables or legacy).' },
  { name: '--help', short: 'h', aliases: ['-h'], role: 'other', negation: 'none', args: [], summary: 'Print usage.' },
];
