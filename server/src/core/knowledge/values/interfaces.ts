import type { ValueProblem } from './problem.ts';

/**
 * Interface names as iptables and the kernel see them. iptables only refuses names of 16
 * characters or more; the kernel never gives an interface a name with `/`, `:` or blanks,
 * or the names `.` and `..`, so rules with those are accepted but can never match.
 */
export const IFNAMSIZ = 16;

export function checkInterface(value: string): ValueProblem | undefined {
  if (value === '') return { message: 'An interface name cannot be empty.' };
  if (value.length > IFNAMSIZ - 1) return { message: `'${value}' is ${value.length} characters long; interface names have at most ${IFNAMSIZ - 1}.` };
  const warn = (message: string, suggestion?: string): ValueProblem => ({ message, suggestion, severity: 'warning' });
  if (/\s/.test(value)) return warn(`'${value}' contains a blank; no interface can have that name, so the rule never matches.`);
  if (value.includes('/')) return warn(`'${value}' contains '/'; no interface can have that name, so the rule never matches.`);
  if (value.includes(':')) return warn(`'${value}' contains ':'; alias labels such as eth0:1 are not interfaces: match the device itself (e.g. '${value.split(':')[0]}').`, value.split(':')[0] || undefined);
  if (value === '.' || value === '..') return warn(`'${value}' is not a possible interface name.`);
  if (value.includes('*')) return warn(`'*' is not a wildcard in interface names: write a '+' at the end instead.`, value.replace(/\*+$/, '+'));
  const plus = value.indexOf('+');
  if (plus !== -1 && plus !== value.length - 1) return warn(`'+' is only a wildcard at the end of the name; inside '${value}' it is taken literally.`);
  return undefined;
}
