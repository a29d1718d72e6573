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

/**
 * A namespace `name` on a second link of `router` (one of a pair's namespaces), as the network
 * on a router's other side: `routerAddr` on the router's end `routerDev`, `addrs` on the far end
 * `dev` (its default route through the router), forwarding on in the router. Only the test's
 * own ranges. The caller removes it (`ip netns del`).
 */
export function linkedNamespace(router: string, name: string, link: { routerDev: string; dev: string; routerAddr: string; addrs: string[]; prefix: number }): void {
  ip('netns', 'add', name);
  ip('link', 'add', link.routerDev, 'netns', router, 'type', 'veth', 'peer', 'name', link.dev, 'netns', name);
  ip('-n', router, 'link', 'set', link.routerDev, 'up');
  ip('-n', router, 'addr', 'add', `${link.routerAddr}/${link.prefix}`, 'dev', link.routerDev);
  ip('-n', name, 'link', 'set', 'lo', 'up');
  ip('-n', name, 'link', 'set', link.dev, 'up');
  for (const a of link.addrs) ip('-n', name, 'addr', 'add', `${a}/${link.prefix}`, 'dev', link.dev);
  ip('-n', name, 'route', 'add', 'default', 'via', link.routerAddr);
  const fwd = spawnSync('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'], { encoding: 'utf8' });
  if (fwd.status !== 0) throw new Error(`forwarding in ${router}: ${fwd.stderr}`);
}
