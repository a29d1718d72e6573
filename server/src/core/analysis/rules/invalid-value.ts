import { protocolNames } from '../../knowledge/index.ts';
import { checkValue } from '../../knowledge/values/index.ts';
import { checkTcpFlagPair } from '../../knowledge/values/tcpFlags.ts';
import { isBuiltinChain } from '../../model/builtinChains.ts';
import { otherFamilyPart } from './address-family-mismatch.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import type { BoundOption } from '../../model/types.ts';
import type { ArgSpec, Family } from '../../knowledge/types.ts';
import type { Word } from '../../syntax/nodes.ts';
import type { Span } from '../../text/span.ts';
import { chainFacts } from '../chainGraph.ts';
import { chainNameProblem } from '../../knowledge/chainNames.ts';
import { reportKept } from '../keptFindings.ts';

const ADDRESS_TYPES = new Set(['address', 'address-list', 'address-range', 'address-or-range', 'nat-destination']);
const PROTOCOLS = new Set(protocolNames.map((p) => p.name));


export const invalidValue: LintRule = {
  code: 'invalid-value',
  severity: 'error',
  summary: 'A value iptables rejects: bad address or prefix, port or range, ctstate, TCP flag, ICMP type, mark, rate, policy…',
  docs: {
    description: 'Checks each option\'s value against its type: addresses and prefix lengths, ports, port ranges and service names, multiport lists (15 ports at most), connection states, TCP flags, ICMP types, marks and masks (32 bits), rates, log levels, reject types, times and dates, interface names (15 characters, `+` only at the end), protocols, chain policies, and chain names where `-N`, a chain line or `-E` gives them (28 characters at most, not starting with `!` or `-`, no blanks, not a target\'s name: `-N LOG` is refused, and iptables-restore refuses a chain line `:ACCEPT`; a rename to such a name succeeds, and is a warning: no rule can jump to the chain, or the saved tables cannot be restored). A list of ports after `--dport` or `--sport` (`22,80,443`) is refused by iptables: the quick fix matches it with `-m multiport --dports`. Values that hold a shell expansion are never judged. The nat table takes no DROP policy (`iptables -t nat -P` refuses it; iptables-restore loads a chain line with it, a warning). A value iptables takes but reads otherwise than it is written is a warning: a reversed range, a weekday 8 or a mark, TOS or realm test whose value has bits outside its mask (`-m mark --mark 0x10/0xf`) that never matches, a log prefix cut at 29 characters, `10.1` read as 10.1.0.0, a rate of `1.5/s` read as 1/s, a netmask that is not contiguous, a port with a leading zero read as octal (`--dport 010` is port 8), a port of udp, dccp, conntrack or TPROXY past 65535 (kept as its low 16 bits: 70000 is port 4464), recent\'s `--mask 24` read as the address 0.0.0.24, connlimit\'s mask past 32 read as an address, an address with bits set after its prefix (`192.168.1.5/24` matches all of 192.168.1.0/24, not the one host; the same for IPv6). `--limit-burst 0` is a warning: the legacy backend refuses it, nf_tables loads it and iptables-save then drops it from the rule (measured with iptables 1.8.9).',
    rationale: 'iptables stops with "invalid port/service", "Bad ctstate", "invalid mask"…: the rule is not added, and a restore file is rejected as a whole.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -s 10.0.0.0/33 -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISED -j ACCEPT\n-A INPUT -p tcp --dport 70000 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 7000 -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    if (cmd.kind === 'policy' && cmd.policy && !cmd.policy.dynamic && !['ACCEPT', 'DROP'].includes(cmd.policy.value)) {
      ctx.report({ span: cmd.policy.span, message: `A policy is ACCEPT or DROP, not '${cmd.policy.value}'.` });
    }
    // measured (1.8.9, nft and legacy): "The "nat" table is not intended for filtering"
    if (cmd.kind === 'policy' && cmd.table === 'nat' && cmd.policy?.value === 'DROP' && !cmd.tableDynamic) {
      ctx.report({ span: cmd.policy.span, message: 'The nat table takes no DROP policy: iptables refuses it (the nat table is not meant for filtering). Drop in the filter table.' });
    }
    if (cmd.position === 0) {
      // the command's own word: `-I CHAIN 0`, `-D CHAIN 0`…
      const zero = cmd.args.items.find((i) => i.values.length > 1 && i.values[0].value === cmd.chain && /^0+$/.test(i.values[1].value))?.values[1];
      if (zero) ctx.report({ span: zero.span, message: `Rule numbers start at 1: iptables refuses ${zero.text}.` });
    }
    // a chain's name where -N makes it or -E renames it (`:NAME` lines: see check)
    const naming = cmd.kind === 'new-chain' ? cmd.chainWord : cmd.kind === 'rename-chain' ? cmd.newName : undefined;
    if (naming && !naming.dynamic) {
      const problem = chainNameProblem(naming.value, cmd.family, cmd.kind === 'new-chain' ? 'new-chain' : 'rename');
      if (problem) ctx.report({ span: naming.span, message: problem.message, severity: problem.severity === 'warning' ? 'warning' : undefined });
    }
    const proto = cmd.rule?.protocol;
    // port names are looked up for the rule's protocol (`ntp` exists for udp only)
    const protocol = proto && !proto.negated && !proto.word.dynamic ? proto.value : undefined;
    const options = cmd.rule?.options;
    if (!options) return;
    for (let i = 0; i < options.length; i++) {
      const o = options[i];
      const spec = o.spec;
      if (!spec) continue;
      // a value kept as text is checked as text: its word is made for a finding only
      const kept = o.keptValue;
      if (kept !== undefined) {
        checkOne(ctx, cmd.family, protocol, o, spec.args[0], kept, undefined);
        continue;
      }
      // read once: an option group keeping one value makes its list when asked (see LineOption)
      const values = o.values;
      for (let i = 0; i < values.length; i++) {
        const w = values[i];
        if (!w.dynamic) checkOne(ctx, cmd.family, protocol, o, spec.args[i], w.value, w);
      }
      if (spec.name === '--tcp-flags' && values.length === 2) checkFlagPair(ctx, o, values[0], values[1]);
    }

  },
  check(ctx) {
    reportKept(ctx, chainFacts(ctx.ruleSet), 'invalid-value', (report) => {
      const rs = ctx.ruleSet;
      // save files: `:CHAIN POLICY` lines
      for (const t of rs.tables.values()) {
        for (const c of t.chains.values()) {
          for (const d of c.declarations) {
            // a `:NAME` line of iptables-restore input (a save file's, a here-document's); -N is a command
            if (ctx.read(d.span.start - 1, d.span.start) === ':') {
              const problem = chainNameProblem(c.name, t.family, 'chain-line');
              if (problem) report({ span: d.span, message: problem.message });
            }
            const p = d.policy;
            if (!p) continue;
            const builtin = isBuiltinChain(t.name, c.name);
            if (builtin && !['ACCEPT', 'DROP'].includes(p.value)) report({ span: p.span, message: `The policy of ${c.name} is ACCEPT or DROP, not '${p.value}'.` });
            // iptables-restore loads it (measured, 1.8.9, both backends) where `iptables -t nat -P` refuses it
            if (builtin && t.name === 'nat' && p.value === 'DROP') {
              report({ span: p.span, severity: 'warning', message: `A DROP policy in the nat table drops every new connection that no rule of ${c.name} accepts or translates: iptables-restore loads it, but iptables -t nat -P refuses it (the nat table is not meant for filtering). Drop in the filter table.` });
            }
            if (!builtin && p.value !== '-' && rs.dialect === 'save' && p.value !== 'ACCEPT' && p.value !== 'DROP') report({ span: p.span, message: `A user chain has no policy: write '-' instead of '${p.value}'.` });
          }
        }
      }
    });
  },
};

/** One value of `o` (`w`, or the value `o` keeps as text when undefined) against its type. */
function checkOne(ctx: RuleContext, family: Family, protocol: string | undefined, o: BoundOption, arg: ArgSpec | undefined, value: string, w: Word | undefined): void {
  if (!arg) return;
  if (o.name === '--protocol') {
    const v = value.toLowerCase();
    if (o.negated && (v === '0' || v === 'all')) ctx.report({ span: valueSpan(o, w), message: `'! -p ${value}' can never match: every packet has some protocol.` });
    if (!PROTOCOLS.has(v) && !(/^\d+$/.test(v) && Number(v) <= 255)) ctx.report({ span: valueSpan(o, w), message: `Unknown protocol '${value}' (tcp, udp, icmp, ipv6-icmp, esp, sctp, gre, all, or a number 0–255).` });
    return;
  }
  // measured (1.8.9): legacy's kernel refuses a burst of 0 ("Numerical result out of range");
  // nf_tables loads it, and iptables-save then writes the rule without it
  if (o.name === '--limit-burst' && /^0+$/.test(value)) {
    ctx.report({
      span: valueSpan(o, w),
      severity: 'warning',
      message: '--limit-burst 0: iptables-legacy refuses the rule (the kernel: "Numerical result out of range"); iptables-nft loads it, but iptables-save writes the rule without its burst, so rules restored from that dump take the default burst of 5. Write at least 1.',
      fixes: [{ title: 'Allow a burst of 1', edits: [{ span: valueSpan(o, w), text: '1' }] }],
    });
    return;
  }
  const problem = checkValue(arg.type, value, { family, arg, protocol, warnings: true });
  if (!problem) return;
  // an address of the other family is address-family-mismatch's finding (asked only
  // once a value is refused: nearly every value is fine)
  if (ADDRESS_TYPES.has(arg.type) && otherFamilyPart(value, family) !== undefined) return;
  const span = valueSpan(o, w);
  ctx.report({
    span,
    message: `${o.item.written} ${problem.message}`,
    // iptables takes the value, but it does not do what it says (a reversed range never matches)
    severity: problem.severity === 'warning' ? 'warning' : undefined,
    // a value read from a script's variable is fixed where the variable is set, not here
    fixes: problem.suggestion && !w?.text.includes('$') ? [{ title: `Change to '${problem.suggestion}'`, edits: [{ span, text: problem.suggestion }] }] : multiportFix(o, value, family, protocol),
  });
}

/** The port matches whose `--dport`/`--sport` take one port or range, where multiport takes a list. */
const MULTIPORT_PROTOCOLS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);
/** Their options (by canonical name) and multiport's for a list of the same ports. */
const PORT_LISTS: Record<string, string> = { '--destination-port': '--dports', '--source-port': '--sports' };

/**
 * `--dport 22,80,443` as `-m multiport --dports 22,80,443` (a `!` goes after `-m multiport`),
 * when the list is one multiport takes: the rule's protocol is one multiport knows, and the
 * list holds at most 15 ports.
 */
function multiportFix(o: BoundOption, value: string, family: Family, protocol: string | undefined): Fix[] | undefined {
  const owner = o.owner;
  const list = PORT_LISTS[o.name];
  if (owner === 'generic' || !MULTIPORT_PROTOCOLS.has(owner.name) || !list || !value.includes(',')) return undefined;
  if (o.values[0]?.dynamic || checkValue('port-list', value, { family, protocol, warnings: false })) return undefined;
  const name = o.item.nameSpan;
  const from = o.negated && o.item.bang ? o.item.bang.start : name.start;
  return [{ title: `Match the list with -m multiport ${list}`, edits: [{ span: { start: from, end: name.end }, text: `-m multiport ${o.negated ? '! ' : ''}${list}` }] }];
}

/** `--tcp-flags MASK COMP` with a compared flag the mask leaves out: at COMP, the fix widens MASK. */
function checkFlagPair(ctx: RuleContext, o: BoundOption, mask: Word, comp: Word): void {
  if (mask.dynamic || comp.dynamic) return;
  const problem = checkTcpFlagPair(mask.value, comp.value);
  if (!problem) return;
  ctx.report({
    span: comp.span,
    message: `${o.item.written} ${problem.message}${o.negated ? ' With ! before it, every packet does.' : ''}`,
    severity: 'warning',
    fixes: problem.suggestion ? [{ title: `Change the mask to '${problem.suggestion}'`, edits: [{ span: mask.span, text: problem.suggestion }] }] : undefined,
  });
}

function valueSpan(o: BoundOption, w: Word | undefined): Span {
  return (w ?? o.values[0]).span;
}
