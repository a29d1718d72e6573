import { spawnSync } from 'node:child_process';

/** Runs `ip` with these arguments; a failure throws with its message. */
export function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

/**
 * Two network namespaces this process creates, `a` and `b`, joined by a veth pair with one
 * address each (`a/len`, `b/len`: only the test's own ranges, 10.200.0.0/16 or a ULA), loopback
 * up. IPv6 addresses skip duplicate detection, so they are usable at once.
 */
export class NamespacePair {
  readonly a: string;
  readonly b: string;
  readonly addrA: string;
  readonly addrB: string;
  /** The veth ends: `devA` in `a`, `devB` in `b` (interface names are at most 15 characters). */
  readonly devA: string;
  readonly devB: string;
  private readonly prefix: number;

  constructor(name: string, addrA: string, addrB: string, prefix: number) {
    this.addrA = addrA;
    this.addrB = addrB;
    this.prefix = prefix;
    const tag = `${process.pid % 100000}`;
    this.a = `${name}-a-${tag}`;
    this.b = `${name}-b-${tag}`;
    this.devA = `${this.a.slice(0, 4)}a${tag}`;
    this.devB = `${this.b.slice(0, 4)}b${tag}`;
  }

  create(): void {
    ip('netns', 'add', this.a);
    ip('netns', 'add', this.b);
    ip('link', 'add', this.devA, 'netns', this.a, 'type', 'veth', 'peer', 'name', this.devB, 'netns', this.b);
    for (const [ns, dev, addr] of [[this.a, this.devA, this.addrA], [this.b, this.devB, this.addrB]]) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
      ip('-n', ns, 'addr', 'add', `${addr}/${this.prefix}`, 'dev', dev, ...(addr.includes(':') ? ['nodad'] : []));
    }
  }

  destroy(): void {
    spawnSync('ip', ['netns', 'del', this.a]);
    spawnSync('ip', ['netns', 'del', this.b]);
  }
}
