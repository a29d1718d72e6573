import type { Family } from '../knowledge/types.ts';
import type { ShellCommand } from '../syntax/shellParser.ts';
import type { Word } from '../syntax/nodes.ts';
import type { Span } from '../text/span.ts';
import type { ForwardingFact, RouteLocalnetFact } from './types.ts';

/**
 * The kernel settings the rules depend on, where a script or a sysctl file sets them:
 * forwarding per family (missing-ip-forward) and `route_localnet` per interface
 * (dnat-to-loopback).
 */
export interface SysctlFacts {
  forwarding: ForwardingFact[];
  routeLocalnet: RouteLocalnetFact[];
}

type Setting = { kind: 'forwarding'; family: Family } | { kind: 'route_localnet'; iface?: string };

/** The sysctl that turns forwarding on, per family, as messages name it. */
export const FORWARDING_KEY: Readonly<Record<Family, string>> = { ipv4: 'net.ipv4.ip_forward', ipv6: 'net.ipv6.conf.all.forwarding' };

/**
 * What settings of forwarding (a script's, or a workspace's sysctl files) leave for `family`:
 * on when one sets 1, or a value known only when it runs (`sysctl -p`, `$VAR`); off when one
 * sets 0 and none of those (`off`: the first); unset when there are none.
 */
export function forwardingOf<F extends { family: Family; value?: string }>(facts: readonly F[], family: Family): { state: 'on' | 'unset' } | { state: 'off'; off: F } {
  let off: F | undefined;
  for (const f of facts) {
    if (f.family !== family) continue;
    if (f.value === undefined || f.value === '1') return { state: 'on' };
    if (f.value === '0') off ??= f;
  }
  return off ? { state: 'off', off } : { state: 'unset' };
}

/** A setting of route_localnet: a script's, or a line of a workspace's sysctl files. */
export interface RouteLocalnetSetting {
  iface?: string;
  value?: string;
  span?: Span;
}

/**
 * Undefined when route_localnet may be on for packets arriving on `iface`: the last setting of
 * `all`, `default` or that interface (any but `lo` when none is named) is not 0, or not known.
 * Otherwise what turned it off, or an empty setting when nothing set it.
 */
export function routeLocalnetOff<S extends RouteLocalnetSetting>(settings: readonly S[], iface: string | undefined): Partial<S> | undefined {
  const last = new Map<string | undefined, S>();
  for (const s of settings) last.set(s.iface, s);
  let off: Partial<S> = {};
  for (const [name, s] of last) {
    const applies = name === undefined || name === 'all' || name === 'default' || (iface ? name === iface : name !== 'lo');
    if (!applies) continue;
    if (s.value === undefined || Number(s.value) !== 0) return undefined;
    off = s;
  }
  return off;
}

/** sysctl keys (dots or slashes) that switch forwarding on, per family (no prototype: looked up by keys as written). */
const FORWARDING: Readonly<Record<string, Family>> = Object.assign(Object.create(null) as Record<string, Family>, {
  'net.ipv4.ip_forward': 'ipv4',
  'net.ipv4.conf.all.forwarding': 'ipv4',
  'net.ipv6.conf.all.forwarding': 'ipv6',
});

/**
 * The setting a key names. In a /proc path the interface is one path segment; in sysctl's
 * dotted form an interface name's own dots are written as slashes (`eth0/100` for `eth0.100`).
 */
function settingOf(key: string): Setting | undefined {
  const k = key.replace(/^\/proc\/sys\//, '');
  // sysctl takes `net/ipv4/ip_forward` too: the first separator tells which form it is
  const path = /^[^.]*\//.test(k);
  const family = FORWARDING[path ? k.replace(/\//g, '.') : k];
  if (family) return { kind: 'forwarding', family };
  const m = path ? /^net\/ipv4\/conf\/([^/]+)\/route_localnet$/.exec(k) : /^net\.ipv4\.conf\.([^.]+)\.route_localnet$/.exec(k);
  if (!m) return undefined;
  // an interface given by an expansion: not known
  return m[1].includes('$') ? { kind: 'route_localnet' } : { kind: 'route_localnet', iface: path ? m[1] : m[1].replace(/\//g, '.') };
}

function valueOf(value: Word | string | undefined): string | undefined {
  return typeof value === 'string' ? value : value && !value.dynamic ? value.value.trim() : undefined;
}

function add(out: SysctlFacts, setting: Setting, value: Word | string | undefined, how: ForwardingFact['how'], span: ForwardingFact['span']): void {
  const v = valueOf(value);
  if (setting.kind === 'forwarding') out.forwarding.push(v === undefined ? { family: setting.family, how, span } : { family: setting.family, value: v, how, span });
  else out.routeLocalnet.push({ ...(setting.iface !== undefined ? { iface: setting.iface } : {}), ...(v !== undefined ? { value: v } : {}), how, span });
}

/** `key=value` lines (sysctl.conf syntax, spaces allowed around `=`). */
export function sysctlAssignments(text: string): { key: string; value: string; index: number; length: number }[] {
  const out: { key: string; value: string; index: number; length: number }[] = [];
  const re = /^[ \t]*([\w./-]+)[ \t]*=[ \t]*(\S*)[ \t]*$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ key: m[1], value: m[2], index: m.index, length: m[0].length });
  return out;
}

/** Facts in a sysctl.conf-style file (for save files, the workspace's sysctl.d). */
export function factsOfSysctlConf(text: string): SysctlFacts {
  const out: SysctlFacts = { forwarding: [], routeLocalnet: [] };
  for (const a of sysctlAssignments(text)) {
    const setting = settingOf(a.key);
    if (setting) add(out, setting, a.value, 'persist', { start: a.index, end: a.index + a.length });
  }
  return out;
}

/**
 * Facts from one shell command: `sysctl [-w] key=value`, `sysctl -p` (unknown values),
 * `echo 1 > /proc/sys/net/ipv4/ip_forward`, `echo 1 | tee /proc/…`, and lines written to
 * sysctl.conf or sysctl.d (`echo net.ipv4.ip_forward=1 >> /etc/sysctl.conf`). `resolve` reads
 * a redirection's target with the script's known variables.
 */
export function sysctlFacts(cmd: ShellCommand, tool: 'sysctl' | 'write' | 'tee', argWords: Word[], previous?: ShellCommand, resolve: (w: Word) => Word = (w) => w): SysctlFacts {
  const out: SysctlFacts = { forwarding: [], routeLocalnet: [] };
  if (tool === 'sysctl') {
    for (const w of argWords) {
      if (w.value === '-p' || w.value === '--load' || w.value === '--system') {
        // reloads config files we cannot see: any of these may well be set
        out.forwarding.push({ family: 'ipv4', how: 'runtime', span: w.span }, { family: 'ipv6', how: 'runtime', span: w.span });
        out.routeLocalnet.push({ how: 'runtime', span: w.span });
        continue;
      }
      // `net.ipv4.conf.$WAN.route_localnet=1`: an interface that is an expansion
      const m = /^([\w./${}-]+)=(.*)$/.exec(w.value);
      const setting = m ? settingOf(m[1]) : undefined;
      if (m && setting) add(out, setting, w.dynamic ? undefined : m[2], 'runtime', w.span);
    }
    return out;
  }
  // what is written: echo/printf's arguments, or for tee the previous command's
  const source = tool === 'tee' ? (cmd.after === '|' && previous ? previous.words.slice(1) : []) : argWords;
  const payload = source.filter((w) => !w.value.startsWith('-'));
  const written = payload.map((w) => w.value).join(' ').replace(/\\n/g, '\n');
  const dynamic = payload.some((w) => w.dynamic);
  const targets: Word[] = [];
  if (tool === 'tee') targets.push(...argWords.filter((w) => !w.value.startsWith('-')));
  // `echo 1 > $IP_FORWARD`: a variable set once above (or in the configuration read with `.`)
  for (const r of cmd.redirects) if (r.target && (r.op.endsWith('>') || r.op.endsWith('>>'))) targets.push(resolve(r.target));
  for (const t of targets) {
    const setting = settingOf(t.value);
    if (setting) {
      add(out, setting, dynamic ? undefined : written, 'runtime', cmd.span);
      continue;
    }
    // a 0 or 1 written where the shell decides (`echo 1 > $file` in a function that sets the
    // kernel's knobs, called with their /proc paths): forwarding may be among them, set to what
    // is not known
    if (t.dynamic && /^[01]$/.test(written.trim())) {
      out.forwarding.push({ family: 'ipv4', how: 'runtime', span: cmd.span }, { family: 'ipv6', how: 'runtime', span: cmd.span });
      continue;
    }
    if (/^\/etc\/sysctl\.conf$|^\/etc\/sysctl\.d\/.+\.conf$/.test(t.value)) {
      for (const a of sysctlAssignments(written)) {
        const s = settingOf(a.key);
        if (s) add(out, s, dynamic ? undefined : a.value, 'persist', cmd.span);
      }
    }
  }
  return out;
}
