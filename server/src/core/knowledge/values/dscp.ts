import { checkEnum, type Named } from './enums.ts';
import { checkInteger, parseNumber } from './integers.ts';
import { error, type ValueProblem } from './problem.ts';

/** DSCP values and classes, and TOS values and names. */

export const dscpClasses: Named = [
  ['BE', '0: best effort, the default.'],
  ['CS0', '0: class selector 0.'],
  ['CS1', '8: class selector 1 (often "lower effort", bulk).'],
  ['CS2', '16: class selector 2.'],
  ['CS3', '24: class selector 3.'],
  ['CS4', '32: class selector 4.'],
  ['CS5', '40: class selector 5.'],
  ['CS6', '48: class selector 6 (network control).'],
  ['CS7', '56: class selector 7.'],
  ['AF11', '10: assured forwarding class 1, low drop.'],
  ['AF12', '12: assured forwarding class 1, medium drop.'],
  ['AF13', '14: assured forwarding class 1, high drop.'],
  ['AF21', '18: assured forwarding class 2, low drop.'],
  ['AF22', '20: assured forwarding class 2, medium drop.'],
  ['AF23', '22: assured forwarding class 2, high drop.'],
  ['AF31', '26: assured forwarding class 3, low drop.'],
  ['AF32', '28: assured forwarding class 3, medium drop.'],
  ['AF33', '30: assured forwarding class 3, high drop.'],
  ['AF41', '34: assured forwarding class 4, low drop.'],
  ['AF42', '36: assured forwarding class 4, medium drop.'],
  ['AF43', '38: assured forwarding class 4, high drop.'],
  ['EF', '46: expedited forwarding (voice).'],
];

export function checkDscp(value: string): ValueProblem | undefined {
  if (dscpClasses.some(([n]) => n.toLowerCase() === value.toLowerCase())) return error(`'${value}' is a class name: use --dscp-class ${value} (or the number ${dscpClasses.find(([n]) => n.toLowerCase() === value.toLowerCase())![1].split(':')[0]}).`, dscpClasses.find(([n]) => n.toLowerCase() === value.toLowerCase())![1].split(':')[0]);
  return checkInteger(value, 0, 63) ? error(`'${value}' is not a DSCP value: 0–63 (decimal or 0x hex). TOS byte values such as 0x10 are for -m tos.`) : undefined;
}

export function checkDscpClass(value: string): ValueProblem | undefined {
  if (parseNumber(value) !== undefined) return error(`'${value}' is a number: use --dscp for numbers, --dscp-class for names like EF or AF41.`);
  return checkEnum(value, dscpClasses, 'DiffServ class', { ignoreCase: true });
}

export const tosNames: Named = [
  ['Minimize-Delay', '0x10: interactive traffic.'],
  ['Maximize-Throughput', '0x08: bulk transfers.'],
  ['Maximize-Reliability', '0x04.'],
  ['Minimize-Cost', '0x02.'],
  ['Normal-Service', '0x00.'],
];

/** `value[/mask]` (8 bits each) or a symbolic name (no mask with names). */
export function checkTos(value: string): ValueProblem | undefined {
  if (/^[0-9+]/.test(value)) {
    const [v, m, ...rest] = value.split('/');
    if (rest.length) return error(`'${value}' has more than one '/'.`);
    for (const p of m === undefined ? [v] : [v, m]) if (checkInteger(p, 0, 255)) return error(`'${p}' is not a TOS value: 0–255 (0x00–0xff).`);
    return undefined;
  }
  if (value.includes('/')) return error('A TOS name cannot take a mask: write the number instead.');
  return checkEnum(value, tosNames, 'TOS name', { ignoreCase: true });
}
