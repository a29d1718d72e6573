import type { Family } from '../knowledge/types.ts';
import type { ShellCommand } from '../syntax/shellParser.ts';
import type { Word } from '../syntax/nodes.ts';
import type { ForwardingFact } from './types.ts';

/** sysctl keys (dots or slashes) that switch forwarding on, per family (no prototype: looked up by keys as written). */
const KEYS: Readonly<Record<string, Family>> = Object.assign(Object.create(null) as Record<string, Family>, {
  'net.ipv4.ip_forward': 'ipv4',
  'net.ipv4.conf.all.forwarding': 'ipv4',
  'net.ipv6.conf.all.forwarding': 'ipv6',
});

function keyFamily(key: string): Family | undefined {
  return KEYS[key.replace(/^\/proc\/sys\//, '').replace(/\//g, '.')];
}

function fact(family: Family, value: Word | string | undefined, how: ForwardingFact['how'], span: ForwardingFact['span']): ForwardingFact {
  const v = typeof value === 'string' ? value : value && !value.dynamic ? value.value.trim() : undefined;
  return v === undefined ? { family, how, span } : { family, value: v, how, span };
}

/** `key=value` lines (sysctl.conf syntax, spaces allowed around `=`). */
export function sysctlAssignments(text: string): { key: string; value: string; index: number; length: number }[] {
  const out: { key: string; value: string; index: number; length: number }[] = [];
  const re = /^[ \t]*([\w./-]+)[ \t]*=[ \t]*(\S*)[ \t]*$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ key: m[1], value: m[2], index: m.index, length: m[0].length });
  return out;
}

/** Forwarding facts in a sysctl.conf-style file (for save files, the workspace's sysctl.d). */
export function factsOfSysctlConf(text: string): ForwardingFact[] {
  const out: ForwardingFact[] = [];
  for (const a of sysctlAssignments(text)) {
    const fam = keyFamily(a.key);
    if (fam) out.push(fact(fam, a.value, 'persist', { start: a.index, end: a.index + a.length }));
  }
  return out;
}

/**
 * Facts from one shell command: `sysctl [-w] key=value`, `sysctl -p` (unknown value),
 * `echo 1 > /proc/sys/net/ipv4/ip_forward`, `echo 1 | tee /proc/…`, and lines written to
 * sysctl.conf or sysctl.d (`echo net.ipv4.ip_forward=1 >> /etc/sysctl.conf`).
 */
export function forwardingFacts(cmd: ShellCommand, tool: 'sysctl' | 'write' | 'tee', argWords: Word[], previous?: ShellCommand): ForwardingFact[] {
  const out: ForwardingFact[] = [];
  if (tool === 'sysctl') {
    for (const w of argWords) {
      if (w.value === '-p' || w.value === '--load' || w.value === '--system') {
        // reloads config files we cannot see: forwarding may well be on
        out.push(fact('ipv4', undefined, 'runtime', w.span), fact('ipv6', undefined, 'runtime', w.span));
        continue;
      }
      const m = /^([\w./-]+)=(.*)$/.exec(w.value);
      const fam = m ? keyFamily(m[1]) : undefined;
      if (m && fam) out.push(fact(fam, w.dynamic ? undefined : m[2], 'runtime', w.span));
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
  for (const r of cmd.redirects) if (r.target && (r.op.endsWith('>') || r.op.endsWith('>>'))) targets.push(r.target);
  for (const t of targets) {
    const fam = keyFamily(t.value);
    if (fam) {
      out.push(fact(fam, dynamic ? undefined : written, 'runtime', cmd.span));
      continue;
    }
    if (/^\/etc\/sysctl\.conf$|^\/etc\/sysctl\.d\/.+\.conf$/.test(t.value)) {
      for (const a of sysctlAssignments(written)) {
        const f = keyFamily(a.key);
        if (f) out.push(fact(f, dynamic ? undefined : a.value, 'persist', cmd.span));
      }
    }
  }
  return out;
}
