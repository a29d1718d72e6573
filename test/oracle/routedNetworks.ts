import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { ip, linkedNamespace, NamespacePair } from './namespacePair.ts';
import { listenForPeersIn, listenIn } from './tcpProbe.ts';

/**
 * A router between two /24s of a test: a client and the router on `lan` (a NamespacePair:
 * router .1, client .2), and a namespace on `far` (the router .1, `farHosts` there, its default
 * route through the router) that the client reaches through the router. Only the test's own
 * ranges (10.200.0.0/16): `lan` and `far` are their first three parts.
 */
export class RoutedNetworks {
  readonly pair: NamespacePair;
  readonly router: string;
  readonly client: string;
  /** The namespace on the far side. */
  readonly far: string;
  /** The router's end of the far link. */
  readonly farDev: string;
  private readonly farEnd: string;
  private readonly farNet: string;
  private readonly farHosts: string[];
  private readonly services: ChildProcess[] = [];

  /**
   * The ULAs the IPv6 links get (see addIpv6): beside the IPv4 ranges, `fd00:200:<lan>::/64`
   * inside and `fd00:200:<far>::/64` outside, the router ::1 on both, the hosts ::2.
   */
  readonly v6: { lanRouter: string; lanHost: string; wanRouter: string; outside: string };

  constructor(name: string, lan: string, farNet: string, farHosts: string[]) {
    const third = (n: string) => n.split('.')[2];
    this.v6 = { lanRouter: `fd00:200:${third(lan)}::1`, lanHost: `fd00:200:${third(lan)}::2`, wanRouter: `fd00:200:${third(farNet)}::1`, outside: `fd00:200:${third(farNet)}::2` };
    this.farNet = farNet;
    this.farHosts = farHosts;
    const tag = process.pid % 100000;
    this.pair = new NamespacePair(name, `${lan}.1`, `${lan}.2`, 24);
    this.router = this.pair.a;
    this.client = this.pair.b;
    this.far = `${name}-f-${tag}`;
    this.farDev = `${name}r${tag}`;
    this.farEnd = `${name}f${tag}`;
  }

  create(): void {
    this.pair.create();
    linkedNamespace(this.router, this.far, { routerDev: this.farDev, dev: this.farEnd, routerAddr: `${this.farNet}.1`, addrs: this.farHosts, prefix: 24 });
    ip('-n', this.client, 'route', 'add', `${this.farNet}.0/24`, 'via', this.pair.addrA);
  }

  /** IPv6 on both links too (the addresses of `v6`), each side's default route through the router. */
  addIpv6(): void {
    const { lanRouter, lanHost, wanRouter, outside } = this.v6;
    ip('-n', this.router, 'addr', 'add', `${lanRouter}/64`, 'dev', this.pair.devA, 'nodad');
    ip('-n', this.client, 'addr', 'add', `${lanHost}/64`, 'dev', this.pair.devB, 'nodad');
    ip('-n', this.client, 'route', 'add', 'default', 'via', lanRouter);
    ip('-n', this.router, 'addr', 'add', `${wanRouter}/64`, 'dev', this.farDev, 'nodad');
    ip('-n', this.far, 'addr', 'add', `${outside}/64`, 'dev', this.farEnd, 'nodad');
    ip('-n', this.far, 'route', 'add', 'default', 'via', wanRouter);
  }

  /** A service on the far side answering `word` (see listenIn), stopped by destroy. */
  async serve(addr: string, port: number, word: string): Promise<void> {
    this.services.push(await listenIn(this.far, addr, port, word));
  }

  /** A service on the far side answering the address each connection comes from (see listenForPeersIn), stopped by destroy. */
  async servePeers(addr: string, port: number): Promise<void> {
    this.services.push(await listenForPeersIn(this.far, addr, port));
  }

  destroy(): void {
    for (const s of this.services) s.kill();
    spawnSync('ip', ['netns', 'del', this.far]);
    this.pair.destroy();
  }

  /** Made before the file's tests (then `ready`: its services, routes) and taken down after them, unless they are skipped. */
  forTests(skip: string | false, ready: () => Promise<void> | void): void {
    before(async () => {
      if (skip) return;
      this.create();
      await ready();
    });
    after(() => {
      if (!skip) this.destroy();
    });
  }

  /** A script run by the shell in the router's namespace, stopping at the first command that fails (`sh -e`). */
  runOnRouter(script: string): void {
    const r = spawnSync('ip', ['netns', 'exec', this.router, 'sh', '-e', '-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
}
