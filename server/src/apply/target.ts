/** Where the rules go: an ssh destination, parsed and checked before any process runs. */
export interface Target {
  user?: string;
  host: string;
  port?: number;
}

export type TargetParse = { ok: true; target: Target } | { ok: false; problem: string };

/**
 * Characters that a shell or ssh could read as more than a name. Hosts and users come from
 * settings a repository can ship, so a name holding one of these is refused outright rather
 * than escaped: no ssh option injection (`-oProxyCommand=…`), no command substitution.
 */
const HOSTILE: [RegExp, string][] = [
  [/[\r\n]/, 'a line break'],
  [/\s/, 'blank space'],
  [/['"]/, 'a quote'],
  [/;/, "';'"],
  [/\$/, "'$'"],
  [/`/, 'a backtick'],
  [/[|&<>(){}\\*?!#~]/, 'a shell metacharacter'],
  [/[\x00-\x1f\x7f]/, 'a control character'],
];

/** Why a user or host name cannot be given to ssh, or undefined when it is a plain name. */
export function nameProblem(value: string, what: 'host' | 'user'): string | undefined {
  if (!value) return `the ${what} is empty`;
  if (value.startsWith('-')) return `the ${what} '${printable(value)}' starts with '-', which ssh would read as an option`;
  for (const [re, name] of HOSTILE) if (re.test(value)) return `the ${what} '${printable(value)}' holds ${name}`;
  if (what === 'host' && !/^[A-Za-z0-9._:%-]+$/.test(value)) return `the host '${printable(value)}' is not a host name or address`;
  if (what === 'user' && !/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(value)) return `the user '${printable(value)}' is not a user name`;
  if (what === 'host' && value.includes('@')) return `the host '${printable(value)}' holds '@'`;
  return undefined;
}

/** Shows a hostile value safely in a message (line breaks and controls made visible). */
function printable(v: string): string {
  return v.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).slice(0, 80);
}

export function portProblem(port: number | undefined): string | undefined {
  if (port === undefined) return undefined;
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `the port ${port} is not between 1 and 65535`;
}

/** Checks a target built from separate fields (a `iptables.hosts` entry). */
export function targetProblem(t: Target): string | undefined {
  return (t.user !== undefined ? nameProblem(t.user, 'user') : undefined) ?? nameProblem(t.host, 'host') ?? portProblem(t.port);
}

/**
 * Parses `[user@]host[:port]`; an IPv6 address with a port is written `[addr]:port`, and a
 * bare IPv6 address (more than one ':') has no port.
 */
export function parseTarget(text: string): TargetParse {
  // hostile characters anywhere are refused before the string is split
  for (const [re, name] of HOSTILE) if (re.test(text)) return { ok: false, problem: `the target '${printable(text)}' holds ${name}` };
  if (text.startsWith('-')) return { ok: false, problem: `the target '${printable(text)}' starts with '-', which ssh would read as an option` };
  let rest = text;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const colon = rest.indexOf(':');
    host = rest.slice(0, colon);
    const p = rest.slice(colon + 1);
    if (!/^\d+$/.test(p)) return { ok: false, problem: `the port '${printable(p)}' is not a number` };
    port = Number(p);
  }
  const target: Target = { host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
  const problem = targetProblem(target);
  return problem ? { ok: false, problem } : { ok: true, target };
}

/** `user@host:port` as the user would write it. */
export function describeTarget(t: Target): string {
  const host = t.host.includes(':') && t.port !== undefined ? `[${t.host}]` : t.host;
  return `${t.user ? `${t.user}@` : ''}${host}${t.port !== undefined ? `:${t.port}` : ''}`;
}
