import type { ArgSpec, Family } from '../knowledge/types.ts';
import { valueCompletions } from '../knowledge/values/index.ts';
import { logLevels } from '../knowledge/values/enums.ts';
import { icmpTypes, icmpv6Types, readIcmpType } from '../knowledge/values/icmp.ts';
import { portNumber } from '../knowledge/values/ports.ts';
import { parseBigNumber } from '../knowledge/values/integers.ts';
import { hashlimitRate, readRate } from '../knowledge/values/rates.ts';
import { secondsOfDay } from '../knowledge/values/time.ts';
import { services } from '../knowledge/values/services.ts';

/** Where a value is written: its option's canonical name and the match or target that has it. */
export interface ValuePlace {
  option?: string;
  extension?: string;
  /** The option belongs to a target (MARK's --set-mark), not a match (mark's --mark). */
  target?: boolean;
}

/**
 * What a value means: each item of an enumerated value (`ESTABLISHED,RELATED`, `SYN,ACK`,
 * `echo-request`), and the numbers iptables also takes for them (`--icmp-type 8`,
 * `--log-level 4`); the ports of a port, range or list with the services listed for them; a
 * rate as the time between packets (hashlimit's per group, or in bytes); a mark with its mask
 * as the test or the change it makes; a time of day in the zone the match reads it in; a
 * probability as one packet in so many; a length range.
 */
export function valueHover(arg: ArgSpec, value: string, family: Family = 'ipv4', place: ValuePlace = {}): string | undefined {
  switch (arg.type) {
    case 'port': case 'port-range': case 'port-range-loose': case 'port-list':
      return portsHover(value, arg.serviceProtocol);
    case 'rate':
      return rateHover(value);
    case 'rate-or-bytes':
      return hashlimitRateHover(value);
    case 'mark':
      return maskedHover(value, place, place.extension?.toLowerCase() === 'connmark' ? "the connection's mark" : "the packet's mark", 32);
    case 'tos':
      if (/^[0-9+]/.test(value)) return maskedHover(value, place, "the packet's TOS byte", 8);
      break;
    case 'time':
      return timeHover(value);
    case 'probability':
      return probabilityHover(value);
    case 'length-range':
      return lengthHover(value);
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
  return `**${value}** — on average ${count} packet${count === 1 ? '' : 's'} a ${unit[0]}, one every ${interval(unit[1] / count)}; more at once only up to the burst (\`--limit-burst\`, 5 unless given), which refills at the same pace.`;
}

/** Seconds between packets in words: `12 s`, `50 ms`. */
function interval(seconds: number): string {
  return seconds >= 1 ? `${+seconds.toFixed(2)} s` : `${+(seconds * 1000).toFixed(2)} ms`;
}

/**
 * A hashlimit rate as iptables reads it (see hashlimitRate: `100KB/s` is packets): packets with
 * the time between them, or bytes a second; either for each group --hashlimit-mode makes.
 */
function hashlimitRateHover(value: string): string | undefined {
  const rate = hashlimitRate(value);
  if (!rate) return undefined;
  const each = 'for each group of packets --hashlimit-mode sorts them into (one group for all without it)';
  if (rate.bytes) {
    const n = rate.amount;
    const scaled = n >= 1048576 ? ` (${+(n / 1048576).toFixed(2)} MiB)` : n >= 1024 ? ` (${+(n / 1024).toFixed(2)} KiB)` : '';
    return `**${value}** — ${n.toLocaleString('en-US')} bytes${scaled} a second ${each}; more at once only up to the burst (\`--hashlimit-burst\`, in bytes).`;
  }
  const perSecond = 1e6 / rate.amount;
  const per = perSecond >= 1 ? `${+perSecond.toFixed(2)} packet${perSecond === 1 ? '' : 's'} a second` : `one packet every ${interval(rate.amount / 1e6)}`;
  return `**${value}** — on average ${per} ${each}${perSecond >= 1 ? `, one every ${interval(rate.amount / 1e6)}` : ''}; more at once only up to the burst (\`--hashlimit-burst\`, 5 unless given).`;
}

/** A number as hex and decimal: `0x10 (16)`. */
function bothBases(n: bigint): string {
  return `0x${n.toString(16)} (${n})`;
}

/**
 * A `value/mask` of a mark or the TOS byte (`whose`, `bits` wide): what a match compares, or
 * what a target does to it. MARK and CONNMARK turn `--set-mark v/m` into clearing the bits of
 * m and v and XORing v in: the bits of m are cleared, those of v set. `--set-xmark`, TPROXY's
 * `--tproxy-mark` and TOS's `--set-tos` clear the bits of m and XOR v in (no mask: all bits).
 */
function maskedHover(value: string, place: ValuePlace, whose: string, bits: number): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2) return undefined;
  const v = parseBigNumber(parts[0]);
  const m = parts.length === 2 ? parseBigNumber(parts[1]) : undefined;
  if (v === undefined || (parts.length === 2 && m === undefined)) return undefined;
  const head = `**${value}** — `;
  if (!place.target) {
    if (m === undefined) return `${head}${whose} is ${bothBases(v)}.`;
    const never = (v & ~m) !== 0n ? ' Never: the value has bits outside the mask.' : '';
    return `${head}${whose} ANDed with ${bothBases(m)} is ${bothBases(v)}.${never}`;
  }
  if (place.option === '--set-mark') {
    if (m === undefined) return `${head}sets ${whose} to ${bothBases(v)}.`;
    return `${head}clears the bits of ${bothBases(m)} in ${whose} and sets those of ${bothBases(v)}; its other bits are kept.`;
  }
  if (place.option === '--set-xmark' || place.option === '--tproxy-mark' || place.option === '--set-tos') {
    if (m === undefined) return `${head}sets ${whose} to ${bothBases(v)} (no mask: all ${bits} bits are cleared first).`;
    return `${head}clears the bits of ${bothBases(m)} in ${whose}, then XORs ${bothBases(v)} into it; its other bits are kept.`;
  }
  return `${head}value ${bothBases(v)}${m === undefined ? '' : `, mask ${bothBases(m)}`}.`;
}

/** A time of day: the time match reads it in UTC unless the rule has --kerneltz. */
function timeHover(value: string): string | undefined {
  const s = secondsOfDay(value);
  if (s === undefined) return undefined;
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return `**${value}** — ${hms} UTC: the time match reads the clock in UTC unless the rule has \`--kerneltz\` (the kernel's time zone, often unset or not moved for daylight saving).`;
}

/** statistic --probability: the chance each packet has, drawn on its own. */
function probabilityHover(value: string): string | undefined {
  const p = Number(value);
  if (!Number.isFinite(p) || p < 0 || p > 1) return undefined;
  if (p === 0) return `**${value}** — no packet is matched.`;
  const one = p === 1 ? 'every packet' : `about one packet in ${+(1 / p).toFixed(2)}`;
  return `**${value}** — ${one} (${+(p * 100).toFixed(4)}%), each drawn on its own: a run of many or none can happen; \`--mode nth\` counts exactly.`;
}

/** The length match's `min[:max]`: the whole IP packet, its header included. */
function lengthHover(value: string): string | undefined {
  const m = /^(\d+)(?::(\d*))?$/.exec(value);
  if (!m) return undefined;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : m[2] === '' ? 65535 : Number(m[2]);
  const what = 'counting the whole IP packet, its header included';
  return low === high ? `**${value}** — packets of exactly ${low} bytes, ${what}.` : `**${value}** — packets of ${low} to ${high} bytes, ${what}.`;
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
  if (value === '%i') return "**%i** — the WireGuard interface: wg-quick puts its name here (the configuration's name, wg0 for wg0.conf) before it runs the line";
  if (value.endsWith('+')) return `**${value}** — every interface whose name starts with \`${value.slice(0, -1)}\` (${value.slice(0, -1)}0, ${value.slice(0, -1)}1…; \`+\` only works at the end)`;
  if (value === 'lo') return '**lo** — the loopback interface: the host talking to itself';
  return `**${value}** — the interface of exactly that name (\`${value}+\` would take every one whose name starts so)`;
}
