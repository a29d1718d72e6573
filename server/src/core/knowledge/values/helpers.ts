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
 * A helper name neither the kernel nor conntrackd has. `-j CT --helper`: iptables takes any name
 * and the kernel refuses the rule when it is loaded unless a helper of that name is registered.
 * The helper match (`onConnection`) takes any name too, and a helper following another port than
 * its own is named with it (`ftp-2121`); a name no helper has never matches. Warnings both.
 */
export function checkHelperName(value: string, onConnection = false): ValueProblem | undefined {
  const port = onConnection ? /-\d{1,5}$/.exec(value)?.[0] ?? '' : '';
  const name = value.slice(0, value.length - port.length);
  if (conntrackHelper(name) || userspaceHelperNames.includes(name)) return undefined;
  const list = 'ftp, tftp, sip, irc, pptp, RAS, Q.931, amanda, sane, netbios-ns, snmp, snmp_trap';
  const outcome = onConnection ? 'the rule never matches' : 'the rule fails when loaded';
  if (/^h\.?323$/i.test(name)) return warning(`'${value}' is no helper's name: H.323 has two, RAS (udp, port 1719) and Q.931 (tcp, port 1720), each with a rule of its own.`, `Q.931${port}`);
  const sameLetters = KNOWN.find((n) => n.toLowerCase() === name.toLowerCase());
  const near = sameLetters ?? didYouMean(name, KNOWN);
  const suggestion = near === undefined ? undefined : near + port;
  return warning(`'${value}' is not a conntrack helper the kernel has (${list}): ${outcome} unless a userspace helper of that name is registered (nfct add helper).${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, suggestion);
}
