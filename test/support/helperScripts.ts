/** Seeded random scripts of shell helper functions, shared by the tests that run or model them. */

function generator(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

/** A helper: its name, how many arguments it takes ('any' for a list of ports), its lines. */
interface Helper {
  name: string;
  arity: 1 | 2 | 'any';
  lines: string[];
}

/** The words a caller passes a helper of `arity`, from what it has (`own`: its ports as words). */
function argsFor(rnd: () => number, arity: Helper['arity'], own: readonly string[], variadic: boolean): string {
  const port = () => String(2000 + Math.floor(rnd() * 12));
  const one = () => (own.length && rnd() < 0.7 ? pick(rnd, own) : port());
  if (arity === 1) return one();
  if (arity === 2) return `${pick(rnd, ['tcp', 'udp'])} ${one()}`;
  if (variadic && rnd() < 0.6) return '"$@"';
  return Array.from({ length: 1 + Math.floor(rnd() * 3) }, one).join(' ');
}

/**
 * A script of helper functions written at random from `seed`: helpers calling helpers with
 * their arguments (arities one, two or a list of ports), `local` copies, `shift`, loops over
 * `"$@"`; those no other helper calls are called at the top, then a few more. `definitions`
 * are its functions, `calls` its top-level calls, in order.
 */
export function helperScript(seed: number): { text: string; definitions: string[]; calls: string[] } {
  const rnd = generator(seed);
  const helpers: Helper[] = [];
  // helpers another one calls (the others are called at the top: compile refuses a function that never runs)
  const called = new Set<string>();
  const count = 2 + Math.floor(rnd() * 3);
  for (let h = 0; h < count; h++) {
    const arity = pick(rnd, [1, 2, 'any'] as const);
    const name = `h${h}`;
    const lines: string[] = [];
    // the words that stand for this helper's ports, as its body reads them
    let own: string[];
    let proto = '"$1"';
    if (arity === 1) {
      own = rnd() < 0.5 ? ['"$1"'] : ['"$port"'];
      if (own[0] === '"$port"') lines.push('  local port=$1');
    } else if (arity === 2) {
      if (rnd() < 0.5) {
        lines.push('  local proto=$1', '  shift');
        proto = '"$proto"';
        own = ['"$1"'];
      } else own = ['"$2"'];
    } else own = [];
    const items = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < items; i++) {
      const earlier = helpers.length && rnd() < 0.5 ? pick(rnd, helpers) : undefined;
      if (earlier) {
        lines.push(`  ${earlier.name} ${argsFor(rnd, earlier.arity, own, arity === 'any')}`);
        called.add(earlier.name);
      }
      else if (arity === 'any') lines.push(`  for p in "$@"; do iptables -A INPUT -p ${pick(rnd, ['tcp', 'udp'])} --dport "$p" -j ACCEPT; done`);
      else lines.push(`  iptables -A ${pick(rnd, ['INPUT', 'OUTPUT'])} -p ${arity === 2 ? proto : pick(rnd, ['tcp', 'udp'])} --dport ${pick(rnd, own)} -j ${pick(rnd, ['ACCEPT', 'DROP'])}`);
    }
    helpers.push({ name, arity, lines });
  }
  const definitions: string[] = [];
  for (const h of helpers) definitions.push(`${h.name}() {`, ...h.lines, '}');
  const callers = [...helpers.filter((h) => !called.has(h.name)), ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, helpers))];
  const calls = callers.map((h) => `${h.name} ${argsFor(rnd, h.arity, [], false)}`);
  return { text: `${['#!/bin/sh', ...definitions, ...calls].join('\n')}\n`, definitions, calls };
}
