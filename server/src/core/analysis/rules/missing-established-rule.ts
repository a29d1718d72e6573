import { acceptsEstablished, establishedOnly } from '../acceptsEstablished.ts';
import type { Chain, RuleSet } from '../../model/types.ts';
import type { Word } from '../../syntax/nodes.ts';
import { certainlyRefused, evaluateChain } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import type { Fix, LintRule } from '../types.ts';

/**
 * An ICMP error about a connection of the host or one it forwards, the kind path MTU discovery
 * needs (fragmentation-needed, ICMPv6 packet-too-big): conntrack gives it the state RELATED.
 */
function mtuError(family: Chain['family']): Packet {
  return family === 'ipv4'
    ? { family, proto: 'icmp', icmpType: 3, icmpCode: 4, state: 'RELATED', origin: 'remote', local: [] }
    : { family, proto: 'ipv6-icmp', icmpType: 2, icmpCode: 0, state: 'RELATED', origin: 'remote', local: [] };
}

/** Every way through the chain drops or rejects that ICMP error. */
function dropsRelated(rs: RuleSet, chain: Chain): boolean {
  return certainlyRefused(evaluateChain(rs, 'filter', chain.name, mtuError(chain.family))) !== undefined;
}

export const missingEstablishedRule: LintRule = {
  code: 'missing-established-rule',
  severity: 'warning',
  summary: 'A DROP policy on INPUT or FORWARD with no rule accepting ESTABLISHED,RELATED traffic.',
  docs: {
    description: 'Reports the policy of filter INPUT or FORWARD when it is DROP and no rule of the chain (or of a chain it jumps to) accepts packets in state ESTABLISHED. Where ESTABLISHED packets are accepted but an ICMP error about a connection (state RELATED: fragmentation-needed, ICMPv6 packet-too-big) is dropped, the accept of ESTABLISHED is reported, with a fix that adds RELATED to it.',
    rationale: 'Without it, replies to connections the host or the network opened are dropped: DNS answers, downloads and forwarded sessions hang, and each service needs rules for both directions. Without RELATED, the ICMP errors about those connections are dropped: path MTU discovery fails, and transfers stall once packets grow beyond a smaller link on the way (a VPN, PPPoE, most of all over IPv6, where routers never fragment).',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const t of rs.tables.values()) {
      if (t.name !== 'filter') continue;
      for (const name of ['INPUT', 'FORWARD']) {
        const chain = t.chains.get(name);
        if (!chain || chain.policy !== 'DROP' || !chain.policySpan) continue;
        if (!acceptsEstablished(rs, chain)) {
          ctx.report({ span: chain.policySpan, message: `${name} drops by default but no rule accepts ESTABLISHED,RELATED packets: replies to ${name === 'INPUT' ? 'the host\'s own' : 'forwarded'} connections are dropped. Add -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT first.` });
          continue;
        }
        // the evaluation first: where RELATED is accepted (nearly always) it ends at that rule
        if (!dropsRelated(rs, chain)) continue;
        const only = establishedOnly(rs, chain);
        if (!only) continue;
        ctx.report({
          span: only.span,
          message: `${name} accepts ESTABLISHED but not RELATED packets: ICMP errors about ${name === 'INPUT' ? 'the host\'s' : 'forwarded'} connections (${t.family === 'ipv4' ? 'fragmentation-needed' : 'packet-too-big'}) are dropped, so path MTU discovery fails and large transfers stall. Accept ESTABLISHED,RELATED.`,
          fixes: relatedFix(only),
        });
      }
    }
  },
};

/** `ESTABLISHED` (or `"ESTABLISHED"`) becomes `ESTABLISHED,RELATED`; a value read from a variable is fixed where it is set. */
function relatedFix(w: Word): Fix[] | undefined {
  if (w.text.includes('$')) return undefined;
  const quoted = /^(["'])(.*)\1$/.exec(w.text);
  return [{ title: 'Accept RELATED too', edits: [{ span: w.span, text: quoted ? `${quoted[1]}${quoted[2]},RELATED${quoted[1]}` : `${w.text},RELATED` }] }];
}
