import type { ArgSpec, Family } from '../knowledge/types.ts';
import { valueCompletions } from '../knowledge/values/index.ts';
import { logLevels } from '../knowledge/values/enums.ts';
import { icmpTypes, icmpv6Types, readIcmpType } from '../knowledge/values/icmp.ts';
import { portNumber } from '../knowledge/values/ports.ts';
import { readRate } from '../knowledge/values/rates.ts';
import { services } from '../knowledge/values/services.ts';

/**
 * What a value means: each item of an enumerated value (`ESTABLISHED,RELATED`, `SYN,ACK`,
 * `echo-request`), and the numbers iptables also takes for them (`--icmp-type 8`,
 * `--log-level 4`); the ports of a port, range or list with the services listed for them; a
 * rate as the time between packets.
 */
export function valueHover(arg: ArgSpec, value: string, family: Family = 'ipv4'): string | undefined {
  switch (arg.type) {
    case 'port': case 'port-range': case 'port-range-loose': case 'port-list':
      return portsHover(value, arg.serviceProtocol);
    case 'rate':
      return rateHover(value);
    case 'interface':
      return interfaceHover(value);
    case 'icmp-type': case 'icmpv6-type':
      if (/^[0-9]/.test(value)) return icmpNumberHover(value, arg.type === 'icmp-type' ? 'ipv4' : 'ipv6');
      break;
    case 'log-level':
      if (/^[0-7]$/.test(value)) {
        const level = logLevels.find(([, doc]) => doc.startsWith(`${value}:`));
        if (level) return `**${value}** — the level \`${level[0]}\`: ${level[1].slice(3)}`;
      }
      break;
  }
  const known = valueCompletions(arg.type, { family, arg });
  if (!known.length) return undefined;
  const lines: string[] = [];
  for (const part of value.split(',')) {
    const hit = known.find((k) => k.label === part) ?? known.find((k) => k.label.toLowerCase() === part.toLowerCase());
    if (hit) lines.push(`**${hit.label}** — ${hit.detail}`);
  }
  return lines.length ? lines.join('\n\n') : undefined;
}

/** The service names /etc/services lists for a port (for `protocol` where given), a few at most. */
function servicesOn(port: number, protocol: string | undefined): string[] {
  const out: string[] = [];
  for (const [name, s] of services) if (s.port === port && (!protocol || s.protocols.includes(protocol))) out.push(name);
  return out.slice(0, 3);
}

/** One port as written: its number, and what is listed for it (a name: the number it stands for). */
function portLine(written: string, protocol: string | undefined): string | undefined {
  const n = portNumber(written);
  if (n === undefined) return undefined;
  if (!/^[0-9]+$/.test(written)) return `**${written}** — port ${n}`;
  const names = servicesOn(n, protocol);
  return `**${n}**${names.length ? ` — ${names.join(', ')}` : ''}`;
}

/** Each item of a port, a `first:last` range or a comma list of them. */
function portsHover(value: string, protocol: string | undefined): string | undefined {
  const lines: string[] = [];
  for (const part of value.split(',')) {
    const colon = part.indexOf(':');
    if (colon === -1) {
      const line = portLine(part, protocol);
      if (line) lines.push(line);
      continue;
    }
    // either end may be left out: 0 and 65535
    const first = colon === 0 ? 0 : portNumber(part.slice(0, colon));
    const last = colon === part.length - 1 ? 65535 : portNumber(part.slice(colon + 1));
    if (first === undefined || last === undefined) continue;
    lines.push(first <= last ? `**${part}** — ports ${first} to ${last} (${last - first + 1} ports)` : `**${part}** — reversed: ${first} is above ${last}`);
  }
  return lines.length ? lines.join('\n\n') : undefined;
}

/** A rate as packets per unit and the time between them, with the burst the limit match allows. */
function rateHover(value: string): string | undefined {
  const rate = readRate(value);
  if (!rate) return undefined;
  const { count, unit } = rate;
  const seconds = unit[1] / count;
  const every = seconds >= 1 ? `${+seconds.toFixed(2)} s` : `${+(seconds * 1000).toFixed(2)} ms`;
  return `**${value}** — on average ${count} packet${count === 1 ? '' : 's'} a ${unit[0]}, one every ${every}; more at once only up to the burst (\`--limit-burst\`, 5 unless given), which refills at the same pace.`;
}

/** A numeric ICMP type (`8`, `3/4`, `3/0:3`) with the names iptables gives it. */
function icmpNumberHover(value: string, family: 'ipv4' | 'ipv6'): string | undefined {
  const read = readIcmpType(value, family);
  if (!read || read.type === undefined) return undefined;
  const list = family === 'ipv4' ? icmpTypes : icmpv6Types;
  const type = list.find((t) => t.type === read.type && t.code === undefined && !t.aliasOf);
  const code = read.codes && read.codes[0] === read.codes[1] ? list.find((t) => t.type === read.type && t.code === read.codes![0] && !t.aliasOf) : undefined;
  const named = code ?? type;
  if (!named) return `**${value}** — ICMP${family === 'ipv6' ? 'v6' : ''} type ${read.type}${read.codes ? `, codes ${read.codes[0]} to ${read.codes[1]}` : ''}`;
  return `**${value}** — ${named.name}: ${named.doc}`;
}

/** An interface name: exact, or with `+` every interface whose name starts so. */
function interfaceHover(value: string): string | undefined {
  if (value === '+') return '**+** — every interface';
  if (value.endsWith('+')) return `**${value}** — every interface whose name starts with \`${value.slice(0, -1)}\` (${value.slice(0, -1)}0, ${value.slice(0, -1)}1…; \`+\` only works at the end)`;
  if (value === 'lo') return '**lo** — the loopback interface: the host talking to itself';
  return `**${value}** — the interface of exactly that name (\`${value}+\` would take every one whose name starts so)`;
}
