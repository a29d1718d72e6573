import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs iptables-restore --test / ip6tables-restore --test on one-rule files, all inside one
 * throwaway network namespace (`unshare --net`): the host's rules are never touched.
 */
export interface RestoreCase {
  family: 'ipv4' | 'ipv6';
  table: string;
  /** The rule line, e.g. `-A INPUT -p tcp --dport 22 -j ACCEPT`. */
  rule: string;
}

export interface RestoreResult {
  ok: boolean;
  message: string;
}

/** Why the real tool cannot be used here, or undefined when it can. */
export function realIptablesMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root: iptables-restore --test needs CAP_NET_ADMIN in a network namespace';
  for (const tool of ['unshare', 'iptables-restore', 'ip6tables-restore']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  const probe = spawnSync('unshare', ['--net', 'sh', '-c', 'printf "*filter\\nCOMMIT\\n" | iptables-restore --test'], { encoding: 'utf8' });
  if (probe.status !== 0) return `cannot run iptables-restore in a network namespace: ${(probe.stderr || probe.error?.message || '').trim()}`;
  return undefined;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function runRestoreCases(cases: readonly RestoreCase[], how: 'test' | 'load' = 'test'): RestoreResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'ipt-knowledge-'));
  try {
    const script: string[] = [];
    cases.forEach((c, i) => {
      const file = join(dir, `${i}.rules`);
      writeFileSync(file, `*${c.table}\n${c.rule}\nCOMMIT\n`);
      const tool = c.family === 'ipv6' ? 'ip6tables-restore' : 'iptables-restore';
      // a real load also meets the kernel's checks, which --test leaves out (REJECT's tcp-reset without -p tcp)
      script.push(`o=$(${tool}${how === 'test' ? ' --test' : ''} ${quote(file)} 2>&1); echo "@@${i} $? $(printf '%s' "$o" | head -1)"`);
    });
    const r = spawnSync('unshare', ['--net', 'bash', '-c', script.join('\n')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const results: RestoreResult[] = cases.map(() => ({ ok: false, message: 'no result' }));
    for (const line of r.stdout.split('\n')) {
      const m = /^@@(\d+) (\d+) ?(.*)$/.exec(line);
      if (m) results[Number(m[1])] = { ok: m[2] === '0', message: m[3] };
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CommandResult {
  ok: boolean;
  message: string;
}

/**
 * Runs iptables/ip6tables command lines for real, in order, inside one throwaway network
 * namespace (the kernel checks tables, hooks and protocols; the host is not touched).
 * Each entry is an argument vector after the tool name.
 */
export function runInNamespace(commands: readonly { tool: 'iptables' | 'ip6tables'; args: readonly string[] }[]): CommandResult[] {
  const script = commands.map((c, i) => `o=$(${c.tool} ${c.args.map(quote).join(' ')} 2>&1); echo "@@${i} $? $(printf '%s' "$o" | grep -v '^Try ' | head -1)"`);
  const r = spawnSync('unshare', ['--net', 'bash', '-c', script.join('\n')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const results: CommandResult[] = commands.map(() => ({ ok: false, message: 'no result' }));
  for (const line of r.stdout.split('\n')) {
    const m = /^@@(\d+) (\d+) ?(.*)$/.exec(line);
    if (m) results[Number(m[1])] = { ok: m[2] === '0', message: m[3] };
  }
  return results;
}

/** Splits a command line the simple way a shell would (double and single quotes). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}
