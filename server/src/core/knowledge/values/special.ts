import { checkInteger, parseBigNumber, U32 } from './integers.ts';
import { error, type ValueProblem } from './problem.ts';

/** Values with a small syntax of their own: owners, labels, tc classes, u32 and BPF programs. */

/** owner --uid-owner/--gid-owner: a name, or an id or range `a-b` (also `a:b`), ids below 2^32-1. */
export function checkOwnerId(value: string): ValueProblem | undefined {
  if (/^[0-9]/.test(value)) {
    const m = /^(\d+)(?:[-:](\d+))?$/.exec(value);
    if (!m) return error(`'${value}' is not an id or id range (first-last).`);
    for (const p of [m[1], m[2]]) if (p !== undefined && checkInteger(p, 0, U32 - 1)) return error(`${p} is out of range: ids are 0–4294967294.`);
    if (m[2] !== undefined && Number(m[1]) > Number(m[2])) return error(`The id range ${value} is reversed: the kernel refuses it. Write ${m[2]}-${m[1]}.`, `${m[2]}-${m[1]}`);
    return undefined;
  }
  return /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(value) ? undefined : error(`'${value}' is neither a user/group name nor a numeric id.`);
}

/** connlabel --label: a name from /etc/xtables/connlabel.conf or a bit number 0–127. */
export function checkConnlabel(value: string): ValueProblem | undefined {
  if (/^\d/.test(value)) return checkInteger(value, 0, 127) ? error(`'${value}' is not a label bit: 0–127.`) : undefined;
  return /^[A-Za-z_][\w.-]*$/.test(value) ? undefined : error(`'${value}' is not a label name or bit number.`);
}

/** CLASSIFY --set-class `major:minor`, both hexadecimal (0x optional), 16 bits each. */
export function checkTcClass(value: string): ValueProblem | undefined {
  const m = /^(?:0x)?([0-9a-fA-F]+):(?:0x)?([0-9a-fA-F]+)$/.exec(value);
  if (!m) return error(`'${value}' is not a tc class: write major:minor in hex, such as 1:10.`, /^[0-9a-fA-F]+$/.test(value) ? `1:${value}` : undefined);
  return undefined;
}

/** LED --led-delay: milliseconds, or inf. */
export function checkLedDelay(value: string): ValueProblem | undefined {
  if (value === 'inf') return undefined;
  return checkInteger(value, 0, U32) ? error(`'${value}' is not a delay: milliseconds, or inf.`) : undefined;
}

/** dst/hbh --*-opts: `type[:length]` items (numbers), at most 16. */
export function checkIpv6OptionList(value: string, maxItems = 16): ValueProblem | undefined {
  const items = value.split(',');
  if (items.length > maxItems) return error(`At most ${maxItems} options can be listed; this list has ${items.length}.`);
  for (const it of items) {
    const m = /^(\d+)(?::(\d+))?$/.exec(it);
    if (!m) return error(`'${it}' is not an option: write type or type:length (numbers).`);
  }
  return undefined;
}

/**
 * bpf --bytecode: `N,op jt jf k,op jt jf k,...` where N is the number of instructions that
 * follow (the output of nfbpf_compile or tcpdump -ddd with commas).
 */
export function checkBpfBytecode(value: string): ValueProblem | undefined {
  const parts = value.split(',');
  const n = /^\d+$/.test(parts[0]) ? Number(parts[0]) : NaN;
  if (Number.isNaN(n)) return error('The bytecode starts with the number of instructions, then the instructions separated by commas.');
  const ins = parts.slice(1);
  if (ins.length !== n) return error(`The bytecode announces ${n} instruction${n === 1 ? '' : 's'} but has ${ins.length}.`, [String(ins.length), ...ins].join(','));
  for (const i of ins) if (!/^\s*\d+\s+\d+\s+\d+\s+\d+\s*$/.test(i)) return error(`'${i}' is not an instruction: four decimal numbers 'code jt jf k'.`);
  if (n === 0 || n > 64) return error('A classic BPF program here has 1–64 instructions.');
  return undefined;
}

/**
 * u32 --u32: `location = value[,value...] [&& location = value...]`; a location is a number
 * followed by `& n`, `<< n`, `>> n` or `@ n` steps; a value is n or n:m. Limits: 10 tests,
 * 10 values per test, 10 numbers per location.
 */
export function checkU32(value: string): ValueProblem | undefined {
  const tests = value.split('&&');
  if (tests.length > 10) return error(`At most 10 tests (9 '&&'); this has ${tests.length}.`);
  const num = (s: string) => parseBigNumber(s.trim()) !== undefined && parseBigNumber(s.trim())! <= BigInt(U32);
  for (const test of tests) {
    const eq = test.split('=');
    if (eq.length !== 2) return error(eq.length < 2 ? `'${test.trim()}' has no '=': each test is location = value.` : `'${test.trim()}' has more than one '='.`);
    const [loc, vals] = eq;
    if (vals.trim() === '') return error(`'${test.trim()}' has no value after '='.`);
    const tokens = loc.trim().split(/\s*(&|<<|>>|@)\s*/);
    if (tokens.length > 19) return error('At most 10 numbers per location.');
    for (let i = 0; i < tokens.length; i++) {
      if (i % 2 === 0 && !num(tokens[i])) return error(`'${tokens[i]}' in '${loc.trim()}' is not a number (0 to 2^32-1, decimal or 0x hex).`);
    }
    const ranges = vals.split(',');
    if (ranges.length > 10) return error('At most 10 values per test.');
    for (const r of ranges) {
      const ends = r.split(':');
      if (ends.length > 2 || ends.some((e) => !num(e))) return error(`'${r.trim()}' is not a value: n or n:m.`);
    }
  }
  return undefined;
}
