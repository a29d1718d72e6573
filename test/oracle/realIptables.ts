import { spawn, spawnSync } from 'node:child_process';
import { after, before } from 'node:test';
import { requirement } from '../support/paths.ts';

/**
 * The real iptables-restore as the judge, inside a network namespace this process creates
 * (never the host's own tables). Each verdict loads one file for real: nf_tables' --test
 * misses chain references.
 */
export class NamespaceIptables {
  readonly name = `ipt-oracle-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  static available(): string | undefined {
    if (process.getuid?.() !== 0) return 'not root: the oracle loads rules into a network namespace';
    for (const tool of ['ip', 'iptables-restore', 'ip6tables-restore']) {
      if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install iptables iproute2)`;
    }
    return undefined;
  }

  /** As available(), with the legacy backend's iptables-restore beside nft's: tests that hold the two against each other. */
  static availableBothBackends(): string | undefined {
    return NamespaceIptables.available() ?? (spawnSync('sh', ['-c', 'command -v iptables-legacy-restore']).status === 0 ? undefined : 'iptables-legacy-restore is not installed (apt-get install iptables)');
  }

  /**
   * For test files whose tests all load into one namespace: each needs the same prerequisites,
   * the same skip (a failure under CI=true, see requirement) and a namespace that lives only
   * while its tests run. `what` names the tests in the skip reason; `also` is a further
   * prerequisite (needBuild, say), asked only once the namespace can be made, so a machine
   * lacking both is told once. Tests that need a fresh namespace each make their own.
   */
  static forTests(what: string, opts: { bothBackends?: boolean; also?: () => string | false } = {}): { ns: NamespaceIptables; skip: string | false } {
    const missing = opts.bothBackends ? NamespaceIptables.availableBothBackends() : NamespaceIptables.available();
    const skip = requirement(missing === undefined, `${what}: ${missing}`) || (opts.also?.() ?? false);
    const ns = new NamespaceIptables();
    before(() => {
      if (!skip) ns.create();
    });
    after(() => {
      if (!skip) ns.destroy();
    });
    return { ns, skip };
  }

  create(): void {
    const r = spawnSync('ip', ['netns', 'add', this.name]);
    if (r.status !== 0) throw new Error(`ip netns add failed: ${r.stderr}`);
  }

  destroy(): void {
    spawnSync('ip', ['netns', 'del', this.name]);
  }

  /** Runs a command in the namespace, waiting for it. */
  run(args: string[], input?: string): { ok: boolean; out: string; err: string; signal: NodeJS.Signals | null } {
    const r = spawnSync('ip', ['netns', 'exec', this.name, ...args], { input, encoding: 'utf8' });
    return { ok: r.status === 0, out: r.stdout, err: r.stderr, signal: r.signal };
  }

  /**
   * Empties the filter table of both backends (rules, user chains, INPUT's policy), then loads
   * the text with one of them: its verdict, and `iptables -S` of that backend after.
   */
  restoreWith(backend: 'legacy' | 'nft', text: string): { ok: boolean; err: string; filter: string } {
    for (const b of ['legacy', 'nft']) this.run(['sh', '-c', `iptables-${b} -F && iptables-${b} -X && iptables-${b} -P INPUT ACCEPT`]);
    const r = this.run([`iptables-${backend}-restore`], text);
    return { ok: r.ok, err: r.err, filter: this.run([`iptables-${backend}`, '-S']).out };
  }

  /** Loads the text; resolves to iptables' verdict and its message. */
  load(text: string, family: 'ipv4' | 'ipv6'): Promise<{ ok: boolean; message: string }> {
    return new Promise((resolve) => {
      const child = spawn('ip', ['netns', 'exec', this.name, family === 'ipv6' ? 'ip6tables-restore' : 'iptables-restore'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ ok: code === 0, message: err.trim().split('\n')[0] ?? '' }));
      // iptables-restore stops reading at the first bad line: a broken pipe is expected then
      child.stdin.on('error', () => undefined);
      child.stdin.end(text);
    });
  }
}

/** What iptables-save prints of the namespace's tables: rules as iptables reads them back, without counters or comments. */
export function savedTables(ns: NamespaceIptables, family: 'ipv4' | 'ipv6'): string {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, family === 'ipv6' ? 'ip6tables-save' : 'iptables-save'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`iptables-save failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]$/, '[0:0]'))
    .join('\n');
}

/** Runs tasks with a bounded number in flight. */
export async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}
