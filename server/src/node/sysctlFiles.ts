import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalysisSettings } from '../core/analysis/types.ts';
import type { HostSysctl } from '../core/simulate/evaluate.ts';
import { factsOfSysctlConf, sysctlAssignments } from '../core/model/sysctlFacts.ts';

/**
 * Kernel settings kept next to a rules file: `sysctl.conf` and `sysctl.d/*.conf` in its
 * folder or up to four folders above (also under `etc/`), as in a repository that mirrors
 * a router's /etc. The save-file checks of missing-ip-forward, dnat-to-loopback and
 * ipv6-left-open (IPv6 turned off) read them.
 */
export function workspaceSysctl(filePath: string): Pick<AnalysisSettings, 'workspaceForwarding' | 'workspaceRouteLocalnet' | 'workspaceSearched'> & { ipv6DisabledBy?: string } {
  const found: NonNullable<AnalysisSettings['workspaceForwarding']> = [];
  const localnet: NonNullable<AnalysisSettings['workspaceRouteLocalnet']> = [];
  let ipv6DisabledBy: string | undefined;
  for (const base of sysctlPlaces(filePath)) {
    const files = [join(base, 'sysctl.conf')];
    try {
      for (const f of readdirSync(join(base, 'sysctl.d'))) if (f.endsWith('.conf')) files.push(join(base, 'sysctl.d', f));
    } catch {
      // no sysctl.d here
    }
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        continue;
      }
      const facts = factsOfSysctlConf(text);
      for (const fact of facts.forwarding) found.push({ family: fact.family, value: fact.value, file: f });
      // a sysctl file names its interface: iface is always there
      for (const fact of facts.routeLocalnet) localnet.push({ iface: fact.iface!, value: fact.value, file: f });
      for (const a of sysctlAssignments(text)) if (/^net[./]ipv6[./]conf[./]all[./]disable_ipv6$/.test(a.key) && a.value === '1') ipv6DisabledBy ??= f;
    }
  }
  return { workspaceSearched: true, workspaceForwarding: found, workspaceRouteLocalnet: localnet, ...(ipv6DisabledBy ? { ipv6DisabledBy } : {}) };
}

/**
 * The folders whose `sysctl.conf` and `sysctl.d/*.conf` a rules file at `filePath` is judged
 * with (see workspaceSysctl), nearest first.
 */
export function sysctlPlaces(filePath: string): string[] {
  const out: string[] = [];
  let dir = dirname(filePath);
  for (let up = 0; up < 5; up++) {
    // `etc` under the folder above a repository's `etc/iptables` is that `etc` again: read once
    for (const base of [dir, join(dir, 'etc')]) if (!out.includes(base)) out.push(base);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** The same settings as the packet trace reads them for a save file (see HostSysctl). */
export function hostSysctl(filePath: string): HostSysctl {
  const { workspaceForwarding, workspaceRouteLocalnet } = workspaceSysctl(filePath);
  return { forwarding: workspaceForwarding ?? [], routeLocalnet: workspaceRouteLocalnet ?? [] };
}
