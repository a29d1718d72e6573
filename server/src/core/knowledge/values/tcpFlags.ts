import { checkEnumList, type Named } from './enums.ts';
import { checkInteger } from './integers.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/** TCP flags (--tcp-flags) and TCP options (--tcp-option, TCPOPTSTRIP). */

export const tcpFlags: Named = [
  ['SYN', 'Synchronise: opens a connection.'],
  ['ACK', 'Acknowledgement.'],
  ['FIN', 'The sender has finished.'],
  ['RST', 'Reset the connection.'],
  ['URG', 'The urgent pointer is valid.'],
  ['PSH', 'Push the data to the application.'],
  ['ALL', 'All six flags above.'],
  ['NONE', 'No flag.'],
];

/** iptables knows the six classic flags only: ECE and CWR are matched with -m ecn. */
export function checkTcpFlags(value: string): ValueProblem | undefined {
  const ecn = value.split(',').find((f) => /^(ECE|CWR)$/i.test(f));
  if (ecn) return error(`--tcp-flags does not know ${ecn.toUpperCase()}: match it with -m ecn --ecn-tcp-${ecn.toLowerCase()}.`);
  return checkEnumList(value, tcpFlags, 'TCP flag', { ignoreCase: true, allowEmpty: true });
}

const SIX = ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH'];

/** The flags a `--tcp-flags` list names (`ALL` for the six, `NONE` for none), upper case. */
export function tcpFlagSet(list: string): string[] {
  const out = new Set<string>();
  for (const f of list.toUpperCase().split(',')) {
    if (f === 'ALL') for (const x of SIX) out.add(x);
    else if (SIX.includes(f)) out.add(f);
  }
  return [...out];
}

/**
 * `--tcp-flags MASK COMP` matches when the flags MASK examines are set exactly as COMP
 * lists: a flag in COMP but not in MASK can never be found set, so no packet matches
 * (iptables takes the rule all the same).
 */
export function checkTcpFlagPair(mask: string, comp: string): ValueProblem | undefined {
  const examined = tcpFlagSet(mask);
  const outside = tcpFlagSet(comp).filter((f) => !examined.includes(f));
  if (!outside.length) return undefined;
  return warning(`compares ${outside.join(',')}, which the mask ${mask} does not examine: no packet matches. Add ${outside.length === 1 ? 'it' : 'them'} to the mask.`, `${mask},${outside.join(',')}`);
}

export const tcpOptionNames: Named = [
  ['mss', '2: maximum segment size.'],
  ['wscale', '3: window scale.'],
  ['sack-permitted', '4: selective acknowledgement permitted.'],
  ['sack', '5: selective acknowledgement blocks.'],
  ['timestamp', '8: timestamps.'],
  ['md5', '19: MD5 signature.'],
];

/** --tcp-option: a number 1–255 (names are not accepted here). */
export function checkTcpOptionNumber(value: string): ValueProblem | undefined {
  const named = tcpOptionNames.find(([n]) => n === value.toLowerCase());
  if (named) return error(`--tcp-option takes a number, not a name: ${value} is ${named[1].split(':')[0]}.`, named[1].split(':')[0]);
  return checkInteger(value, 1, 255) ? error(`'${value}' is not a TCP option number: use 1–255.`) : undefined;
}

/** TCPOPTSTRIP --strip-options: names or numbers 2–255 (0 and 1 are end-of-list and padding). */
export function checkTcpOptionList(value: string): ValueProblem | undefined {
  for (const o of value.split(',')) {
    if (tcpOptionNames.some(([n]) => n === o)) continue;
    if (/^\d+$/.test(o)) {
      const n = Number(o);
      if (n === 0 || n === 1) return error(`TCP option ${o} cannot be stripped: 0 and 1 are end-of-list and no-operation.`);
      if (n > 255) return error(`${o} is not a TCP option number (2–255).`);
      continue;
    }
    const p = checkEnumList(o, tcpOptionNames, 'TCP option name');
    return p ? { ...p, message: `${p.message} Numbers 2–255 are accepted too.`, suggestion: p.suggestion ? value.replace(o, p.suggestion) : undefined } : error(`'${o}' is not a TCP option.`);
  }
  return undefined;
}
