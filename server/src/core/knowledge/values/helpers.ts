import { conntrackHelper, conntrackHelpers, userspaceHelperNames } from '../conntrackHelpers.ts';
import { didYouMean } from '../didYouMean.ts';
import type { Family } from '../types.ts';
import type { Named } from './enums.ts';
import { warning, type ValueProblem } from './problem.ts';

/** The helpers of a family, for completion and hover. */
export function helperNames(family: Family): Named {
  return conntrackHelpers.filter((h) => h.families.includes(family)).map((h) => [h.name, `${h.protocols.join('/')} ${h.port}: ${h.summary}`] as const);
}

const KNOWN = [...conntrackHelpers.map((h) => h.name), ...userspaceHelperNames];

/**
 * A helper name neither the kernel nor conntrackd has. iptables takes any name; the kernel refuses
 * the rule when it is loaded unless a helper of that name is registered, so this is a warning.
 */
export function checkHelperName(value: string): ValueProblem | undefined {
  if (conntrackHelper(value) || userspaceHelperNames.includes(value)) return undefined;
  const list = 'ftp, tftp, sip, irc, pptp, RAS, Q.931, amanda, sane, netbios-ns, snmp, snmp_trap';
  if (/^h\.?323$/i.test(value)) return warning(`'${value}' is no helper's name: H.323 has two, RAS (udp, port 1719) and Q.931 (tcp, port 1720), each with a rule of its own.`, 'Q.931');
  const sameLetters = KNOWN.find((n) => n.toLowerCase() === value.toLowerCase());
  const near = sameLetters ?? didYouMean(value, KNOWN);
  return warning(`'${value}' is not a conntrack helper the kernel has (${list}): the rule fails when loaded unless a userspace helper of that name is registered (nfct add helper).${near ? ` Did you mean '${near}'?` : ''}`, near);
}
