/**
 * The shape of what the product knows about iptables. One typed data set feeds the model
 * binder (which option belongs to which extension, how many values it takes), validation,
 * hover and completion. All prose in it is our own wording.
 */

export type Family = 'ipv4' | 'ipv6';

export type TableName = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';

export type BuiltinChainName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/**
 * Names of value types. Each has a checker in `values/` (what is valid, what the message
 * says when not) and, where the set is closed, the list of values for completion.
 */
export type ValueTypeName =
  | 'address' // host or network: 10.0.0.1, 10.0.0.0/8, 10.0.0.0/255.0.0.0, a hostname; IPv6 alike
  | 'address-list' // comma-separated addresses (-s a,b,c)
  | 'host' // one address or host name, no mask (TEE --gateway, TPROXY --on-ip)
  | 'address-range' // a.b.c.d-e.f.g.h (iprange)
  | 'address-or-range' // an address or a range (SNAT/DNAT --to-*)
  | 'host-mask' // a mask written as an address: 255.255.255.0, ffff:ffff:: (recent --mask: a number is an address)
  | 'plen-or-mask' // a prefix length or a mask written as an address (connlimit --connlimit-mask)
  | 'prefix-length' // 0..32 (ipv4) or 0..128 (ipv6)
  | 'npt-prefix' // an IPv6 prefix with its length, 1..64, no bits after it (DNPT/SNPT)
  | 'interface' // eth0, eth+, wg0; '+' wildcard suffix
  | 'protocol' // tcp, udp, icmp, all, 6, ...
  | 'port' // 0-65535 or a service name
  | 'port-range' // port[:port] (tcp/udp --sport/--dport)
  | 'port-range-loose' // the same, a reversed range being swapped silently (conntrack, dccp, sctp)
  | 'queue-range' // first:last with first < last (NFQUEUE --queue-balance)
  | 'probability' // 0..1
  | 'zone' // conntrack zone id 0..65535 or 'mark'
  | 'rate-or-bytes' // N/unit or N(b|kb|mb)/unit (hashlimit)
  | 'port-list' // multiport: up to 15 ports, ranges count as two
  | 'nat-destination' // [ipaddr[-ipaddr]][:port[-port]] for DNAT/SNAT
  | 'port-or-range-dash' // port[-port] (MASQUERADE/REDIRECT --to-ports)
  | 'ctstate-list' // INVALID,NEW,ESTABLISHED,RELATED,UNTRACKED,SNAT,DNAT
  | 'state-list' // INVALID,ESTABLISHED,NEW,RELATED,UNTRACKED
  | 'ctstatus-list' // NONE,EXPECTED,SEEN_REPLY,ASSURED,CONFIRMED
  | 'ctdir' // ORIGINAL, REPLY
  | 'tcp-flag-list' // SYN,ACK,FIN,RST,URG,PSH,ALL,NONE (comma list)
  | 'tcp-option-number'
  | 'tcp-option-list' // mss, wscale, sack-permitted, sack, timestamp, md5 or numbers 2–255
  | 'icmp-type' // name or type[/code]
  | 'icmpv6-type'
  | 'mark' // value[/mask], decimal or hex
  | 'rate' // N[/second|minute|hour|day], also /s /m /h /d
  | 'integer'
  | 'integer-range' // n[:m]
  | 'hex-integer'
  | 'string'
  | 'hex-string' // text with |hex| sections
  | 'chain' // a chain name
  | 'target-name'
  | 'table'
  | 'log-level' // emerg..debug or 0..7
  | 'reject-with' // icmp-port-unreachable, tcp-reset, ...
  | 'time' // hh:mm[:ss]
  | 'date' // YYYY[-MM[-DD[Thh[:mm[:ss]]]]]
  | 'weekdays' // Mon,Tue,... or 1..7
  | 'monthdays' // 1..31 list
  | 'dscp' // 0..63 (decimal or hex)
  | 'dscp-class' // BE, EF, AF11, CS1, ...
  | 'tos' // value[/mask] or a symbolic name
  | 'ttl' // 0..255
  | 'length-range' // length[:length]
  | 'mac-address'
  | 'set-flags' // src,dst,... (ipset flags)
  | 'enum' // one of ArgSpec.values
  | 'enum-list' // comma-separated values of ArgSpec.values
  | 'owner-id' // user or group name, or id[-id] (owner match)
  | 'group-or-mark' // a name from /etc/iproute2 (group, rt_realms) or value[/mask]
  | 'connlabel' // a name from connlabel.conf or a bit number 0–127
  | 'tc-class' // major:minor, hexadecimal (CLASSIFY)
  | 'bandwidth' // a rate with a unit: bit, kbit, mbit, Bps, KBps... (rateest)
  | 'duration' // amount with s, ms or us (RATEEST)
  | 'burst' // packets, or bytes with b/kb/mb (hashlimit)
  | 'led-delay' // milliseconds or inf
  | 'mh-type' // name or number, or a range type:type (mh)
  | 'sctp-chunk-list' // CHUNK[:flags][,...] (sctp --chunk-types)
  | 'ipv6-option-list' // type[:length][,...] (dst/hbh options), at most 16
  | 'ipv6-address-list' // plain IPv6 addresses, comma-separated, at most 16 (rt)
  | 'pkttype' // unicast, broadcast, multicast (host, otherhost)
  | 'addrtype-list' // UNICAST,LOCAL,... (addrtype)
  | 'u32-tests' // the u32 test language
  | 'bpf-bytecode' // "N,c t f k,c t f k,..." (bpf)
  | 'ct-helper' // a conntrack helper's name: ftp, sip, Q.931… (CT --helper)
  | 'helper-name' // a connection's helper as the helper match reads it: ftp, or ftp-2121 for a helper on another port
  | 'any'; // accepted as is

export interface ArgSpec {
  /** Placeholder shown in docs and completion, e.g. `port[:port]`. */
  name: string;
  type: ValueTypeName;
  /** For `enum` / `enum-list`: the allowed values. */
  values?: readonly string[];
  /** Numeric bounds iptables enforces (integers and ranges). */
  min?: number;
  max?: number;
  /** The bound ip6tables enforces where it is lower (TCPMSS's MSS: 40 bytes of IPv6 header instead of 20). */
  maxIpv6?: number;
  /**
   * What iptables does with an integer past `max` (up to 2^32-1), which it takes: `wraps` keeps the
   * low bits of the field (SYNPROXY's `--mss 65536` is loaded as 0), `never-matches` keeps the
   * value for a field that cannot hold it (rt's `--rt-type 256`). A warning then, not an error.
   * `clamps`, for an IPv4 address: a prefix length past 32 (up to 2^32-1) is read as /32 (NETMAP's
   * `--to 10.0.0.1/33` is loaded as 10.0.0.1/32; ip6tables refuses /129).
   */
  overMax?: 'wraps' | 'never-matches' | 'clamps';
  /** A range must not be reversed (`1000:0` is refused rather than swapped). */
  ordered?: boolean;
  /** getopt `optional_argument`: the value may be absent. */
  optional?: boolean;
  /** For `enum` / `enum-list`: iptables compares without regard to case. */
  ignoreCase?: boolean;
  /** Short descriptions of `values`, for completion and hover. */
  valueDocs?: Readonly<Record<string, string>>;
  /** Port names are looked up in /etc/services for this protocol only (`ntp` is udp-only). */
  serviceProtocol?: 'tcp' | 'udp' | 'sctp' | 'dccp';
  /** Text longer than this is cut silently by iptables (a warning, not an error). */
  truncateAt?: number;
  /**
   * The kernel makes a file of this name in this folder (recent's lists, hashlimit's tables,
   * IDLETIMER's timers), and refuses a rule whose name cannot be one: empty, `.`, `..`, or with a
   * `/` (Invalid argument when the rule is loaded; `iptables-restore --test` passes it).
   */
  fileIn?: string;
  /** Lists: the most items iptables takes. */
  maxItems?: number;
  /**
   * A `value/mask` a match compares with the field ANDed with the mask (mark's and connmark's
   * `--mark`, tos's `--tos`, realm's `--realm`): bits of the value outside the mask can never be
   * there, so the test never holds (iptables 1.8.9 takes `--mark 0x10/0xf` and lists it as
   * written, both backends). Not devgroup's groups: the kernel compares only the bits the mask
   * names there.
   */
  comparedUnderMask?: boolean;
}

export interface OptionSpec {
  /** Canonical spelling, the long form where one exists: `--dport`, `--to-destination`. */
  name: string;
  /** Other spellings iptables defines (not prefixes): `--destination-port`, `-s`, `--src`. */
  aliases?: readonly string[];
  /** Values the option takes, in order. Empty for a flag. */
  args: readonly ArgSpec[];
  /**
   * Where `!` may go. `prefix`: `! --opt value` (and the old `--opt ! value`). `none`: not
   * negatable. Most match options are negatable; target options never are.
   */
  negation: 'prefix' | 'none';
  /** One sentence, our words. */
  summary: string;
  /** Longer markdown, our words (optional). */
  doc?: string;
  example?: string;
  /** Common mistakes worth telling the user about in hover. */
  mistakes?: readonly string[];
  /** The option must be given for the extension to load (`--to-destination` for DNAT...). */
  required?: boolean;
  /** Options of the same extension that cannot be combined with this one. */
  excludes?: readonly string[];
  /** Only valid in this family (e.g. IPv6-only options). */
  family?: Family;
  /** May be given more than once in one rule. */
  repeatable?: boolean;
  /** Options of the same extension of which at least one must also be given (`--reap` needs `--seconds`): iptables refuses the rule otherwise (option-combination). */
  requires?: readonly string[];
  /** An option of the same extension this one must follow: iptables reads the options in order, and this one refuses to come first (owner's `--suppl-groups` after `--gid-owner`). */
  after?: string;
  /**
   * Options of the same extension each value of this one needs (statistic's `--mode random` needs
   * `--probability`, `--mode nth` needs `--every` and `--packet`): iptables refuses the rule when
   * none of them is given (one given without its partner is that one's `requires`).
   */
  needsByValue?: Readonly<Record<string, readonly string[]>>;
  /** With `after`: the value that option must have, given without `!` (rt's `--rt-0-res` follows `--rt-type 0`). */
  afterValue?: string;
  /** An integer option of the same extension this one's value must stay below (statistic's `--packet` counts from 0 to `--every` - 1). */
  below?: string;
  /** An integer option of the same extension this one's value must not exceed (cluster's `--cluster-local-node` counts from 1 to `--cluster-total-nodes`). */
  atMost?: string;
  /** A bit mask of nodes, bit 0 the first, whose bits must lie among the count this integer option of the same extension gives (cluster's `--cluster-local-nodemask`). */
  maskOf?: string;
  /** A flag iptables takes only where the span of these two time-of-day options of the same extension runs past midnight (time's `--contiguous`: the stop before the start, or equal); an option left out stands at its `default`. */
  acrossMidnight?: readonly [start: string, stop: string];
  /** A time constant averaging samples taken every so often, given by this option of the same extension (RATEEST's `--rateest-ewmalog` over `--rateest-interval`; see ewmaFits). */
  averagesOver?: string;
  /** Tables in which this option is accepted; absent means wherever the extension is. */
  tables?: readonly TableName[];
  /** Built-in chains (hooks) in which this option is accepted; absent means wherever the extension is. */
  chains?: readonly BuiltinChainName[];
  /** An option of the same extension that, given without `!`, lets this one into every chain (physdev's `--physdev-is-bridged` lets `--physdev-out` into OUTPUT). */
  chainsUnless?: string;
  /** Built-in chains this option works in, by its value (the policy match's `--dir in` is for packets on their way in, `--dir out` on their way out). */
  chainsByValue?: Readonly<Record<string, readonly BuiltinChainName[]>>;
  /** The option needs `-p` to be one of these (`--ecn-tcp-cwr` needs tcp, the rest of ecn does not). */
  protocols?: readonly string[];
  /** What iptables assumes when the option is left out. */
  default?: string;
  /** Still accepted, but should not be used (and why). */
  deprecated?: string;
}

export interface ExtensionSpec {
  kind: 'match' | 'target';
  /** As written after `-m` / `-j`: `conntrack`, `DNAT`. */
  name: string;
  /** Other names that load the same extension (e.g. `NOTRACK`). */
  aliases?: readonly string[];
  families: readonly Family[];
  /**
   * The extension that does the same in the other family (icmp and icmp6, ttl and hl, TTL and
   * HL), with its option for each of ours: what to write when a rule moves between iptables
   * and ip6tables.
   */
  counterpart?: { name: string; options: Readonly<Record<string, string>> };
  summary: string;
  doc: string;
  example: string;
  mistakes?: readonly string[];
  options: readonly OptionSpec[];
  /** Matches that need a protocol: `-p` must be one of these (tcp/udp for `--dport`...). */
  protocols?: readonly string[];
  /** Families in which `protocols` is enforced (IPv6's ah match reads the header without `-p ah`). */
  protocolFamilies?: readonly Family[];
  /** Loaded implicitly by `-p NAME` (tcp, udp, icmp, sctp, dccp, udplite, icmp6). */
  implicitForProtocol?: string;
  /** Tables the extension may be used in; absent means any. */
  tables?: readonly TableName[];
  /** Built-in chains (hooks) the extension may be reached from; absent means any. */
  chains?: readonly BuiltinChainName[];
  /** Targets only: ends rule traversal for the packet (ACCEPT, DROP, DNAT...). */
  terminating?: boolean;
  /** The extension needs something outside the rules (a kernel module, an ipset, a
   * cgroup): iptables may reject it on a host that lacks it. */
  hostDependent?: string;
  /** Superseded by another extension (`state` → `conntrack`). */
  deprecatedBy?: string;
  /** The Linux version whose kernel no longer has it: rules using it fail to load there and after. */
  removedFromKernel?: string;
  /** Groups of options of which at least one must be given (`-m conntrack` needs some option). */
  needsOneOf?: readonly (readonly string[])[];
  /** Groups of options of which at most one may be given (`--hl-set`/`--hl-inc`/`--hl-dec`). */
  exclusive?: readonly (readonly string[])[];
  /** Stricter table limits that only iptables-legacy (and the man page) apply; iptables-nft accepts more. */
  legacyTables?: readonly TableName[];
  /** iptables reads a `!` before any of its options and drops it (an old-style option parser): the rule is loaded as if it were not there. */
  ignoresNegation?: boolean;
  /**
   * A token bucket whose credits the kernel checks for overflow when the rule is added (see
   * values/credits.ts): the options giving its packet rate and its burst (their defaults are
   * the options' own), and whose arithmetic. `legacyOnly`: iptables-nft loads the rule without
   * the check. `notWith`: an option under which the kernel checks the rate otherwise.
   */
  credits?: { rates: readonly string[]; burst: string; bucket: 'limit' | 'hashlimit'; legacyOnly?: boolean; notWith?: string };
}

export interface TableSpec {
  name: TableName;
  summary: string;
  doc: string;
  chains: readonly BuiltinChainName[];
}

export interface ChainSpec {
  name: BuiltinChainName;
  summary: string;
  /** Markdown including a small diagram of the packet's path marking this chain. */
  doc: string;
  /** Tables that have this built-in chain. */
  tables: readonly TableName[];
}

/**
 * What an invocation does, as far as the options it takes go. `-D` with a rule number is a
 * use of its own: it names a rule by place and takes no rule specification.
 */
export type CommandUse =
  | 'append' | 'insert' | 'replace' | 'delete' | 'delete-number' | 'check' | 'list' | 'list-rules'
  | 'flush' | 'zero' | 'new-chain' | 'delete-chain' | 'rename-chain' | 'policy';

/** A generic (non-extension) option or command of iptables(8). */
export interface GenericOptionSpec extends OptionSpec {
  /** Commands (-A, -I ...) choose what iptables does; parameters describe the rule;
   * other options tune the tool (-w, -v, -n...). */
  role: 'command' | 'parameter' | 'other';
  /** Single-letter form without the dash, for getopt clusters (`-nvL`). */
  short?: string;
  /**
   * The commands that take this option; absent: every command. With any other, iptables
   * refuses the whole invocation ("Illegal option with this command"), and iptables-restore
   * the whole file.
   */
  commands?: readonly CommandUse[];
  /** Its two values may also be written as one word joined by this character (`-c 2,3` for `-c 2 3`). */
  joinedBy?: string;
}
