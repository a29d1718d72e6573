import type { ArgSpec } from '../types.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/** Free text (comments, prefixes, names) and the string match's hex patterns. */

export function checkString(value: string, arg?: ArgSpec): ValueProblem | undefined {
  if (arg?.min !== undefined && value.length < arg.min) return error(arg.min === 1 ? 'The text cannot be empty.' : `The text needs at least ${arg.min} characters.`);
  if (arg?.fileIn !== undefined) {
    const why = value === '' ? 'an empty name' : value === '.' || value === '..' ? `'${value}'` : value.includes('/') ? 'a name with a /' : undefined;
    if (why) return error(`The kernel makes a file of this name in ${arg.fileIn} and refuses the rule with ${why} (Invalid argument).`);
  }
  if (arg?.max !== undefined && value.length > arg.max) return error(`The text is ${value.length} characters long; at most ${arg.max} are accepted.`, value.slice(0, arg.max));
  if (arg?.truncateAt !== undefined && value.length > arg.truncateAt) return warning(`The text is ${value.length} characters long; iptables keeps only the first ${arg.truncateAt} ('${value.slice(0, arg.truncateAt)}').`, value.slice(0, arg.truncateAt));
  if (/[\n\r]/.test(value)) return error('The text cannot contain a line break.');
  return undefined;
}

/**
 * The string match's --hex-string: plain text with hex bytes between pipes, `|0d 0a|`
 * (blanks inside the pipes are ignored). At most 128 bytes in all.
 */
export function checkHexString(value: string, max = 128): ValueProblem | undefined {
  if (value === '') return error('The pattern cannot be empty.');
  let bytes = 0;
  let inHex = false;
  let digits = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '|') {
      if (inHex) {
        if (digits.length === 0) return error('An empty |…| block: put hex bytes between the pipes, like |0d 0a|.');
        if (digits.length % 2) return error(`Odd number of hex digits in |${digits}|: every byte takes two digits.`);
        bytes += digits.length / 2;
        digits = '';
      }
      inHex = !inHex;
      continue;
    }
    if (inHex) {
      if (c === ' ') continue;
      if (!/[0-9a-fA-F]/.test(c)) return error(`'${c}' is not a hex digit (inside |…| only 0-9, a-f and blanks are allowed).`);
      digits += c;
    } else {
      if (c === '\\') {
        i++;
        if (i >= value.length) return error('A backslash at the end escapes nothing.');
      }
      bytes++;
    }
  }
  if (inHex) return error('Unbalanced | in the hex string: every hex block is closed by a second |.', `${value}|`);
  if (bytes > max) return error(`The pattern is ${bytes} bytes long; at most ${max}.`);
  return undefined;
}
