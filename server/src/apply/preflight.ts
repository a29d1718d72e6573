import type { Family } from '../core/knowledge/types.ts';
import { toolsFor, type Backend, type Tools } from './remoteCommands.ts';

/** What the preflight learnt about the host. */
export interface Preflight {
  uid?: number;
  /** `root`: the login is root; `yes`: `sudo -n` works; `no`: neither. */
  sudo: 'root' | 'yes' | 'no';
  /** First line of `iptables -V`. */
  version: string;
  backend?: Backend;
  have: Set<string>;
  ipForward?: string;
  ipv6Forwarding?: string;
  /** `net.ipv4.conf.<interface>.route_localnet` per interface (`all` and `default` among them). */
  routeLocalnet?: Map<string, string>;
  /** From `$SSH_CONNECTION`: this client as the host sees it, and the host's end. */
  connection?: { clientIp: string; clientPort: number; serverIp: string; serverPort: number };
  /** The interface the host routes replies to this client through. */
  interface?: string;
}

/** nf_tables or legacy from `iptables -V`; before 1.8 there was only legacy (no suffix). */
export function backendOf(version: string): Backend | undefined {
  if (!/^ip6?tables v\d/.test(version)) return undefined;
  if (/\(nf_tables\)/.test(version)) return 'nft';
  if (/\(legacy\)/.test(version) || !/\(/.test(version)) return 'legacy';
  return undefined;
}

export function parsePreflight(stdout: string): Preflight {
  const p: Preflight = { sudo: 'no', version: '', have: new Set() };
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    if (key === 'uid' && /^\d+$/.test(value)) p.uid = Number(value);
    else if (key === 'sudo' && (value === 'root' || value === 'yes' || value === 'no')) p.sudo = value;
    else if (key === 'iptables') p.version = value;
    else if (key === 'have') p.have.add(value);
    else if (key === 'ip_forward' && value) p.ipForward = value;
    else if (key === 'ipv6_forwarding' && value) p.ipv6Forwarding = value;
    else if (key === 'route_localnet') {
      const m = /^(\S+) (\d+)$/.exec(value);
      if (m) (p.routeLocalnet ??= new Map()).set(m[1], m[2]);
    }
    else if (key === 'connection') {
      const [clientIp, clientPort, serverIp, serverPort] = value.split(/\s+/);
      if (clientIp && serverIp && /^\d+$/.test(clientPort ?? '') && /^\d+$/.test(serverPort ?? '')) {
        p.connection = { clientIp, clientPort: Number(clientPort), serverIp, serverPort: Number(serverPort) };
      }
    } else if (key === 'route') {
      const dev = / dev (\S+)/.exec(value);
      if (dev) p.interface = dev[1];
    }
  }
  p.backend = backendOf(p.version);
  return p;
}

/**
 * Why apply cannot go on with this host, or nothing. `sudo` is the host entry's choice:
 * true always uses `sudo -n`, false never does, undefined uses it when the login is not root.
 */
export function preflightProblems(p: Preflight, families: Family[], sudo?: boolean): string[] {
  const out: string[] = [];
  if (!p.version) out.push('iptables is not installed on the host (iptables -V printed nothing)');
  else if (!p.backend) out.push(`cannot tell the iptables backend from '${p.version}'`);
  if (sudo === false && p.sudo !== 'root') out.push('the login is not root and the host entry says not to use sudo');
  else if (p.sudo === 'no') out.push('changing firewall rules needs root: log in as root, or allow this user `sudo -n` (no password prompt is possible)');
  if (p.backend) {
    const tools = toolsFor(p.backend, p.have);
    for (const f of families) {
      for (const t of [tools.restore[f], tools.save[f]]) if (!p.have.has(t)) out.push(`${t} is not installed on the host (needed for the ${f} rules)`);
    }
  }
  for (const t of ['setsid', 'nohup']) if (!p.have.has(t)) out.push(`${t} is not installed on the host: the rollback cannot be detached safely`);
  return out;
}

/** The host in one line, as the preflight found it: the CLI prints it, VS Code logs it. */
export function describePreflight(p: Preflight): string {
  const c = p.connection;
  const forwarding = `ip_forward=${p.ipForward ?? '?'}${p.ipv6Forwarding !== undefined ? `, ipv6 forwarding=${p.ipv6Forwarding}` : ''}`;
  const client = c ? `; this client is ${c.clientIp}, ssh on ${c.serverIp} port ${c.serverPort}${p.interface ? ` via ${p.interface}` : ''}` : '';
  return `Host: ${p.version}, ${p.sudo === 'root' ? 'root login' : 'sudo -n'}, ${forwarding}${client}`;
}

export function usesSudo(p: Preflight, sudo?: boolean): boolean {
  return sudo === true || (sudo !== false && p.sudo === 'yes');
}

export function preflightTools(p: Preflight): Tools {
  return toolsFor(p.backend ?? 'legacy', p.have);
}
