import { getMatch, getTarget, matches, targets } from '../../server/src/core/knowledge/index.ts';
import type { ArgSpec, ExtensionSpec, OptionSpec } from '../../server/src/core/knowledge/types.ts';

/**
 * Variations of each extension's example (the command its hover shows), to be run by the real
 * iptables and linted: the knowledge base says which options an extension takes, which it needs,
 * which exclude each other, where it may be used, in which family, with which protocols and
 * values; each variation asks iptables whether that holds. The examples are ours (the knowledge
 * base's), so a new extension or option is swept as soon as it has an example.
 */
export interface Variation {
  /** `ext option: what was changed`, for the report. */
  label: string;
  ext: ExtensionSpec;
  option?: OptionSpec;
  tool: 'iptables' | 'ip6tables';
  /** The arguments after the tool's name. */
  args: string;
}

/** A value iptables takes for an argument of this type, for options the example does not give. */
const TYPICAL: Partial<Record<ArgSpec['type'], string>> = {
  address: '10.200.0.1', 'address-list': '10.200.0.1', host: '10.200.0.1', 'address-range': '10.200.0.1-10.200.0.9', 'address-or-range': '10.200.0.1',
  'host-mask': '255.255.255.0', 'plen-or-mask': '24', 'prefix-length': '24', interface: 'eth0', protocol: 'tcp', port: '80', 'port-range': '80:90',
  'port-range-loose': '80:90', 'queue-range': '1:3', probability: '0.5', zone: '1', 'rate-or-bytes': '5/sec', 'port-list': '80,443',
  'nat-destination': '10.200.0.1:80', 'port-or-range-dash': '1000-2000', 'ctstate-list': 'NEW', 'state-list': 'NEW', 'ctstatus-list': 'ASSURED',
  ctdir: 'ORIGINAL', 'tcp-flag-list': 'SYN', 'tcp-option-number': '2', 'tcp-option-list': 'mss', 'icmp-type': 'echo-request', 'icmpv6-type': 'echo-request',
  mark: '0x1', rate: '5/min', integer: '3', 'integer-range': '3', 'hex-integer': '0x3', string: 'abc', 'hex-string': 'abc', chain: 'INPUT', 'target-name': 'ACCEPT',
  table: 'filter', 'log-level': '4', 'reject-with': 'icmp-port-unreachable', time: '10:00', date: '2026-01-01', weekdays: 'Mon', monthdays: '1', dscp: '1',
  'dscp-class': 'EF', tos: '0x10', ttl: '64', 'length-range': '100:200', 'mac-address': '00:11:22:33:44:55', 'set-flags': 'src', 'owner-id': '0',
  'group-or-mark': '1', connlabel: '1', 'tc-class': '1:1', bandwidth: '1mbit', duration: '250ms', burst: '5', 'led-delay': '100', 'mh-type': '1',
  'sctp-chunk-list': 'DATA', 'ipv6-option-list': '1', 'ipv6-address-list': '::1', pkttype: 'unicast', 'addrtype-list': 'LOCAL', 'ct-helper': 'ftp', 'helper-name': 'ftp',
};

function typical(a: ArgSpec): string {
  if (a.type === 'enum' || a.type === 'enum-list') return a.values![0];
  if (a.type === 'integer' && a.min !== undefined && a.min > 3) return String(a.min);
  if (a.type === 'integer' && a.max !== undefined && a.max < 3) return String(a.max);
  return TYPICAL[a.type] ?? 'x';
}

/** The option with a value: its example's, or a typical one per argument. */
function withValues(o: OptionSpec): string {
  const values = o.example ? o.example.replace(/^\S+\s*/, '') : o.args.filter((a) => !a.optional).map(typical).join(' ');
  return values ? `${o.name} ${values}` : o.name;
}

const BUILTIN: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};
const PROTOCOLS = ['tcp', 'udp', 'sctp', 'dccp', 'udplite', 'icmp', 'ipv6-icmp', 'esp', 'all', '', '6'];

/** Every variation of every example that runs on a bare host (examples that jump to or add to a chain of their own are left out). */
export function variations(): Variation[] {
  const out: Variation[] = [];
  for (const ext of [...matches, ...targets]) {
    const ex = ext.example;
    if (!/^ip6?tables /.test(ex) || /-j (DOCKER|KUBE|[a-z])|-A (?!(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)\b)/.test(ex)) continue;
    const tool = ex.startsWith('ip6tables') ? 'ip6tables' : 'iptables';
    const words = ex.split(' ').slice(1);
    const rest = words.join(' ');
    const push = (label: string, args: string, option?: OptionSpec, t: Variation['tool'] = tool) => out.push({ label: `${ext.name} ${label}`, ext, option, tool: t, args });
    const own = ext.kind === 'match' ? new RegExp(`(-m ${ext.name}\\b|-p ${ext.implicitForProtocol ?? '\\0'}\\b)`) : new RegExp(`(-j ${ext.name}\\b)`);
    if (!own.test(rest)) continue;
    const given = (o: OptionSpec) => words.indexOf(o.name);
    for (const o of ext.options) {
      const at = given(o);
      if (at === -1) {
        // one more option, plain and negated
        push(`+${o.name}`, rest.replace(own, `$1 ${withValues(o)}`), o);
        push(`+! ${o.name}`, rest.replace(own, `$1 ! ${withValues(o)}`), o);
        continue;
      }
      // one option less, and negated where the example does not
      let n = 1;
      while (at + n < words.length && !words[at + n].startsWith('-') && words[at + n] !== '!') n++;
      const start = words[at - 1] === '!' ? at - 1 : at;
      push(`-${o.name}`, [...words.slice(0, start), ...words.slice(at + n)].join(' '), o);
      if (words[at - 1] !== '!') push(`! ${o.name}`, [...words.slice(0, at), '!', ...words.slice(at)].join(' '), o);
      // one past the largest value the knowledge base allows
      const a = o.args[0];
      if (o.args.length === 1 && a.type === 'integer' && a.max !== undefined && a.max < 4294967295 && n === 2) {
        push(`${o.name} ${a.max + 1}`, [...words.slice(0, at + 1), String(a.max + 1), ...words.slice(at + 2)].join(' '), o);
      }
    }
    // each option alone in the example without the extension's own options
    const names = new Set(ext.options.flatMap((o) => [o.name, ...(o.aliases ?? [])]));
    const bare: string[] = [];
    for (let k = 0; k < words.length; k++) {
      if (names.has(words[k]) || (words[k] === '!' && names.has(words[k + 1]))) {
        if (words[k] === '!') k++;
        while (k + 1 < words.length && !words[k + 1].startsWith('-') && words[k + 1] !== '!') k++;
        continue;
      }
      bare.push(words[k]);
    }
    for (const o of ext.options) push(`only ${o.name}`, bare.join(' ').replace(own, `$1 ${withValues(o)}`), o);
    // every table and built-in chain
    const located = rest.replace(/(^|\s)-t \S+/, '').replace(/-[AI] \S+/, '');
    for (const [table, chains] of Object.entries(BUILTIN)) for (const chain of chains) push(`in ${table} ${chain}`, `-t ${table} -A ${chain}${located.startsWith(' ') ? '' : ' '}${located}`);
    // every protocol, none, and the other family
    if (/ -p \S+/.test(rest)) for (const p of PROTOCOLS) push(`-p ${p || '(none)'}`, p === '' ? rest.replace(/ -p \S+/, '') : rest.replace(/ -p \S+/, ` -p ${p}`));
    push('in the other family', rest, undefined, tool === 'iptables' ? 'ip6tables' : 'iptables');
  }
  return out;
}

/** Options that name an object made on the host beforehand, which a bare namespace lacks. */
const OBJECT_OPTIONS: readonly [extension: string, option: string, why: string][] = [
  ['CT', '--timeout', 'CT --timeout names a timeout policy made beforehand (nfct add timeout)'],
  ['bpf', '--object-pinned', 'bpf --object-pinned names a program pinned beforehand (bpftool prog pin)'],
];

/**
 * Why iptables may refuse a variation the lint takes: the extension needs something of the host
 * (a kernel module, an ipset, a cgroup, a named object) and its example as written is refused
 * here too (`exampleLoads` false), or an option names an object made beforehand. Undefined: the
 * lint should have reported it.
 */
export function hostReason(v: Variation, exampleLoads: boolean): string | undefined {
  const ext = v.ext;
  if (ext.hostDependent && !exampleLoads) return ext.hostDependent;
  if (ext.removedFromKernel) return `removed from the kernel in Linux ${ext.removedFromKernel}`;
  // another extension of the example that needs something of the host (a target's example with `-m set`)
  const args = ` ${v.args} `;
  for (const m of args.matchAll(/ -m (\S+)/g)) {
    const spec = getMatch(m[1]);
    if (spec && spec !== ext && spec.hostDependent) return spec.hostDependent;
  }
  const j = / -j (\S+)/.exec(args);
  const t = j && getTarget(j[1]);
  if (t && t !== ext && t.hostDependent) return t.hostDependent;
  for (const [name, option, why] of OBJECT_OPTIONS) if (ext.name === name && args.includes(` ${option} `)) return why;
  // the sweep's sets are made for IPv4: which family a set holds is the host's to say, read by undefined-set where the script or the ipsets file makes it
  if (v.tool === 'ip6tables' && /--(match|add|del|map)-set /.test(args)) return 'the sets of this host are made for IPv4';
  return undefined;
}
