import type { Packet } from '../../simulate/packet.ts';
import { accepted, decidingRule, evaluateChain } from '../../simulate/evaluate.ts';
import { acceptAtHead } from '../acceptAtHead.ts';
import { refusedInChain } from '../refusedInChain.ts';
import type { LintRule } from '../types.ts';
import { EPHEMERAL_PORT } from '../../knowledge/values/ports.ts';

/** The ports a host's resolver asks a name server on: UDP first, TCP for answers too big for a datagram. */
const DNS = [
  { proto: 'udp', port: 53 },
  { proto: 'tcp', port: 53 },
] as const;

/** A new packet of the host's own leaving through a link (not `lo`), of `proto` to `dport` when given. */
function outgoing(proto?: string, dport?: number): Packet {
  const p: Packet = { family: 'ipv4', state: 'NEW', origin: 'local', offLoopback: true, local: [] };
  if (proto) {
    p.proto = proto;
    p.sport = EPHEMERAL_PORT;
  }
  if (dport !== undefined) p.dport = dport;
  return p;
}

export const missingDnsAccept: LintRule = {
  code: 'missing-dns-accept',
  severity: 'warning',
  summary: 'OUTPUT lets the host\'s connections out but drops its DNS queries: it resolves no names, so whatever it reaches by name fails.',
  docs: {
    description: 'Follows a DNS query of the host (a new UDP packet to port 53, leaving through a link, to any name server) through filter OUTPUT, and reports the rule or policy where every way through drops or rejects it, when OUTPUT lets some other new connection of the host out (`-A OUTPUT -p tcp --dport 443 -j ACCEPT`, named in the related information). A query over TCP to port 53 is named beside it when it is dropped too. Left alone: an OUTPUT that lets no new connection out (a host that only answers), one that may let the query through (an accept of one name server\'s address, of a user, of an expansion the script decides at run time), and IPv6, whose name servers most hosts reach over IPv4. Quick fix: accepts of udp and tcp port 53 at the head of OUTPUT.',
    rationale: 'Closing OUTPUT and opening the ports the host needs (80 and 443 for package updates, 123 for time) is a common hardening step, and DNS is the port most often forgotten: the host then resolves no names, so every one of those connections fails before it starts, with errors that name the resolver ("Temporary failure in name resolution"), not the firewall. A local resolver does not help: systemd-resolved, dnsmasq or unbound on 127.0.0.1 is reached over `lo`, but asks its own name servers through OUTPUT on port 53. A host that resolves names only over TLS (port 853) or HTTPS can turn the check off.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n:OUTPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n:OUTPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -p udp --dport 53 -j ACCEPT\n-A OUTPUT -p tcp --dport 53 -j ACCEPT\n-A OUTPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const chain = rs.tables.get('ipv4:filter')?.chains.get('OUTPUT');
    if (!chain) return;
    const refused = refusedInChain(rs, chain, DNS, (q) => outgoing(q.proto, q.port));
    // the UDP query decides: TCP alone dropped is a smaller loss (answers too big for a datagram)
    if (!refused || refused.lost[0] !== DNS[0]) return;
    // a host that opens no connection of its own has nothing to resolve names for
    const out = evaluateChain(rs, 'filter', 'OUTPUT', outgoing(), accepted).find((o) => accepted(o.verdict));
    if (!out) return;
    const opener = decidingRule(out);
    const { lost, rule, span } = refused;
    ctx.report({
      span,
      message: `OUTPUT ${refused.verdict === 'REJECT' ? 'rejects' : 'drops'} the host's DNS queries (${lost.map((q) => `${q.proto}/${q.port}`).join(', ')}) but lets other connections out: the host resolves no names, so those it makes by name fail too (package updates, time servers, anything configured by host name). Accept ${lost.map((q) => `-p ${q.proto} --dport ${q.port}`).join(' and ')} in OUTPUT.`,
      ...(opener ? { related: [{ span: opener.span, message: 'This rule lets the host\'s connections out.' }] } : {}),
      fixes: acceptAtHead(ctx, chain, rule, lost.map((q) => `-p ${q.proto} --dport ${q.port} -j ACCEPT`), 'Accept DNS queries in OUTPUT'),
    });
  },
};
