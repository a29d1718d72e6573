import { protocolNumber } from '../knowledge/protocols.ts';
import type { ArgSpec } from '../knowledge/types.ts';
import { formatIPv4, formatIPv6, ipv4Network, ipv6Network } from '../knowledge/values/addresses.ts';
import { portNumber } from '../knowledge/values/ports.ts';
import type { BoundOption, Condition, Rule } from './types.ts';

/**
 * A rule's specification as iptables compares it for `-D CHAIN spec` (and `-C`): the rule it
 * builds, not the words written. The same rule is found when written differently, as the
 * real iptables finds it (1.8.9, measured): `-p tcp --dport 22` and `-p tcp -m tcp --dport
 * ssh`, `-s 10.0.0.1` and `-s 10.0.0.1/32`, `-s 10.1.2.3/8` and `-s 10.0.0.0/8`, `-p TCP`,
 * `--ctstate RELATED,ESTABLISHED` in either order, the parameters in any order. The
 * matches stay in their order (iptables keeps them so), the options of each are sorted.
 */
export function ruleKey(r: Rule): string {
  const parts = [cond('p', r.protocol, protocolKey), cond('s', r.source, addressesKey), cond('d', r.destination, addressesKey), cond('i', r.inInterface), cond('o', r.outInterface)];
  if (r.fragment) parts.push(r.fragment.negated ? '!f' : 'f');
  for (const m of r.matches) parts.push(`-m ${m.name} ${optionsKey(m.options)}`);
  const t = r.target;
  if (t) parts.push(`${t.goto ? '-g' : '-j'} ${t.name} ${optionsKey(t.options)}`);
  return parts.join(' ');
}

function cond(flag: string, c: Condition | undefined, key: (v: string) => string = (v) => v): string {
  return c ? `${c.negated ? '!' : ''}-${flag} ${key(c.value)}` : '';
}

function optionsKey(options: readonly BoundOption[]): string {
  return options
    .map((o) => `${o.negated ? '!' : ''}${o.name} ${o.values.map((v, i) => valueKey(v.value, o.spec?.args[i])).join(' ')}`)
    .sort()
    .join(' ');
}

/** One value as iptables stores it, for the value types written in more than one way. */
function valueKey(value: string, arg: ArgSpec | undefined): string {
  switch (arg?.type) {
    case 'address':
    case 'address-list':
      return addressesKey(value);
    case 'protocol':
      return protocolKey(value);
    case 'port':
    case 'port-range':
    case 'port-range-loose':
    case 'port-list':
      return value
        .split(',')
        .map((part) => part.split(':').map((p) => (p === '' ? p : String(portNumber(p) ?? p))).join(':'))
        .join(',');
    case 'ctstate-list':
    case 'state-list':
    case 'ctstatus-list':
    case 'tcp-flag-list':
      return value.toUpperCase().split(',').sort().join(',');
    default:
      return value;
  }
}

function protocolKey(value: string): string {
  const n = protocolNumber(value);
  return n === undefined ? value.toLowerCase() : String(n);
}

/** Networks (IPv4, IPv6) with their host bits cleared and the prefix written out; other addresses as written. */
function addressesKey(value: string): string {
  return value
    .split(',')
    .map((part) => {
      const n = ipv4Network(part);
      if (n) return n.bits === undefined ? part.toLowerCase() : `${formatIPv4(n.net)}/${n.bits}`;
      const n6 = ipv6Network(part);
      return !n6 || n6.bits === undefined ? part.toLowerCase() : `${formatIPv6(n6.groups)}/${n6.bits}`;
    })
    .join(',');
}
